import {Box, Text} from 'ink';
import {useTheme} from '../../context/theme-context.js';

/** Placeholder until containers arrive (a later issue): says so, and what works today. */
export function ContainersPane({width, height}: {width: number; height: number}) {
	const theme = useTheme();
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text {...theme.style.accent} bold>
				Containers
			</Text>
			<Text> </Text>
			<Text>Containers are not here yet: running images arrives in a later version of strata.</Text>
			<Text {...theme.style.dim}>Meanwhile, the Images pane (1) lists, inspects, tags and removes images.</Text>
		</Box>
	);
}
