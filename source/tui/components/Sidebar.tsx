import {Box, Text} from 'ink';
import {shortId} from '../../engine/digest.js';
import {keyFor, useKeymap} from '../context/keymap-context.js';
import {useTheme} from '../context/theme-context.js';
import {panes, type PaneId} from '../panes/pane-registry.js';
import {fit} from '../text/fit.js';

/** How an image reference reads in narrow places: IDs short, `docker.io/library/` already gone. */
export function shortRef(ref: string | undefined): string {
	if (!ref) return '';
	return ref.startsWith('sha256:') ? shortId(ref) : ref;
}

/** The left column: the panes, their number keys, and what each shows. */
export function Sidebar({active, width, height, version, details}: {active: PaneId; width: number; height: number; version: string; details: Partial<Record<PaneId, string>>}) {
	const theme = useTheme();
	const keymap = useKeymap();
	const inner = width - 2;
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="single" borderTop={false} borderBottom={false} borderLeft={false} borderColor={theme.colors.dim} flexShrink={0}>
			<Text wrap="truncate">
				<Text {...theme.style.accent} bold>
					strata
				</Text>
				<Text {...theme.style.dim}> {version}</Text>
			</Text>
			<Text> </Text>
			{panes.map(pane => {
				const isActive = pane.id === active;
				const key = keyFor(keymap, pane.command) ?? ' ';
				const detail = details[pane.id];
				return (
					<Box key={pane.id} flexDirection="column">
						<Text wrap="truncate" {...(isActive ? theme.style.selected : {})} bold={isActive}>
							{fit(`${key} ${pane.title}`, inner + 1)}
						</Text>
						{detail ? (
							<Text wrap="truncate" {...theme.style.dim}>
								{fit(`  ${detail}`, inner + 1)}
							</Text>
						) : null}
					</Box>
				);
			})}
		</Box>
	);
}
