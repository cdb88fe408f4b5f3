import {Box, Text, useApp, useInput} from 'ink';

/** The TUI frame. The panes (images, history, layer tree) arrive with the TUI issue; `q` quits. */
export function App({version}: {version: string}) {
	const {exit} = useApp();
	useInput((input, key) => {
		if (input === 'q' || key.escape) exit();
	});
	return (
		<Box flexDirection="column" padding={1}>
			<Text bold>strata {version}</Text>
			<Text>The interactive image manager is coming. Meanwhile every verb works on the command line:</Text>
			<Text dimColor>strata images · strata import · strata load · strata save · strata history · strata layers</Text>
			<Text>Press q to quit.</Text>
		</Box>
	);
}
