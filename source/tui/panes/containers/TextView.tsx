import {Box, Text} from 'ink';
import {useEffect, useState} from 'react';
import {ScrollView, type StyledLine} from '../../components/ScrollView.js';
import {useCommands} from '../../context/keymap-context.js';
import {errorText} from '../../context/status-context.js';
import {useTheme} from '../../context/theme-context.js';

/** Lines loaded once (a diff, an inspect), scrollable with the list keys; esc goes back. */
export function TextView({title, load, width, height, focused, onBack}: {title: string; load: () => Promise<StyledLine[]>; width: number; height: number; focused: boolean; onBack: () => void}) {
	const theme = useTheme();
	const [state, setState] = useState<{lines?: StyledLine[]; error?: unknown}>({});
	useEffect(() => {
		let cancelled = false;
		load().then(
			lines => !cancelled && setState({lines}),
			(error: unknown) => !cancelled && setState({error}),
		);
		return () => {
			cancelled = true;
		};
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, []);
	useCommands(
		['global'],
		({command}) => {
			if (command === 'global.back') onBack();
		},
		{isActive: focused},
	);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text wrap="truncate">
				<Text {...theme.style.accent} bold>
					{title}
				</Text>
				<Text {...theme.style.dim}> · j/k scroll · esc back</Text>
			</Text>
			{state.lines ? (
				<ScrollView lines={state.lines} width={width} height={height - 1} focused={focused} />
			) : (
				<Text {...(state.error ? theme.style.error : theme.style.dim)}>{state.error ? errorText(state.error) : 'Reading…'}</Text>
			)}
		</Box>
	);
}
