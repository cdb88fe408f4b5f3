import {Box, Text} from 'ink';
import {useState} from 'react';
import {toIndentedJson} from '../../../cli/format/json.js';
import {inspectImage} from '../../../engine/images/inspect.js';
import {ScrollView} from '../../components/ScrollView.js';
import {keyFor, useCommands, useKeymap} from '../../context/keymap-context.js';
import {useStoreData} from '../../context/store-context.js';
import {useTheme} from '../../context/theme-context.js';
import {errorText} from '../../context/status-context.js';
import {wrapLines} from '../../text/fit.js';
import {inspectSummary} from './inspect-summary.js';

/** `inspect` for one image: a readable summary, or Docker's JSON (`v` switches); both scroll. */
export function InspectView({imageRef, title, width, height, focused, onBack}: {imageRef: string; title: string; width: number; height: number; focused: boolean; onBack: () => void}) {
	const theme = useTheme();
	const keymap = useKeymap();
	const [raw, setRaw] = useState(false);
	const {data, error} = useStoreData(store => inspectImage(store, imageRef), [imageRef]);
	useCommands(
		['inspect', 'global'],
		({command}) => {
			if (command === 'inspect.toggle') setRaw(value => !value);
			else if (command === 'global.back') onBack();
		},
		{isActive: focused},
	);
	const lines = data ? (raw ? wrapLines(toIndentedJson([data]).trimEnd().split('\n'), width, 8) : wrapLines(inspectSummary(data), width, 14)) : [];
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text wrap="truncate">
				<Text {...theme.style.accent}>Inspect </Text>
				<Text bold>{title}</Text>
				<Text {...theme.style.dim}>
					{'  '}
					{raw ? 'JSON' : 'summary'} · {keyFor(keymap, 'inspect.toggle')} {raw ? 'summary' : 'JSON'} · esc back
				</Text>
			</Text>
			{error ? <Text {...theme.style.error}>{errorText(error)}</Text> : null}
			{!data && !error ? <Text {...theme.style.dim}>Reading the image config…</Text> : null}
			<ScrollView lines={lines} width={width} height={Math.max(1, height - 1)} focused={focused} resetKey={`${imageRef} ${raw}`} />
		</Box>
	);
}
