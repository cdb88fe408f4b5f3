import {Box, Text} from 'ink';
import {useStatusMessage} from '../context/status-context.js';
import {useCatalog, useStore} from '../context/store-context.js';
import {useTheme} from '../context/theme-context.js';
import {fit, fitStart} from '../text/fit.js';

const icons = {info: '·', success: '✓', error: '✗', busy: '…'} as const;

/** The bottom line: the last action's result or error on the left; the store and its counts on the right. */
export function StatusLine({width}: {width: number}) {
	const theme = useTheme();
	const store = useStore();
	const message = useStatusMessage();
	const {catalog, error} = useCatalog();
	const counts = catalog ? `${catalog.records.size} image${catalog.records.size === 1 ? '' : 's'} · ${catalog.tags.size} tag${catalog.tags.size === 1 ? '' : 's'}` : '';
	const rightWidth = Math.min(Math.max(counts.length + 14, Math.floor(width * 0.45)), width - 20);
	const pathWidth = Math.max(8, rightWidth - counts.length - 3);
	const right = `${counts ? `${counts} · ` : ''}${fitStart(store.root, pathWidth).trimEnd()}`;
	const shown = message ?? (error ? {kind: 'error' as const, text: `cannot read the store: ${error.message}`} : undefined);
	const style = shown?.kind === 'error' ? theme.style.error : shown?.kind === 'success' ? theme.style.added : shown?.kind === 'busy' ? theme.style.accent : {};
	const leftWidth = Math.max(1, width - right.length - 1);
	return (
		<Box width={width} height={1}>
			<Text wrap="truncate">
				<Text {...style}>{fit(shown ? `${icons[shown.kind]} ${shown.text}` : '', leftWidth)}</Text>
				<Text> </Text>
				<Text {...theme.style.dim}>{right}</Text>
			</Text>
		</Box>
	);
}
