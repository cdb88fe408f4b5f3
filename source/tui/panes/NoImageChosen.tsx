import {Box, Text} from 'ink';
import {useTheme} from '../context/theme-context.js';

/** What History and Layers show before an image is chosen. */
export function NoImageChosen({title, hint, width, height}: {title: string; hint: string; width: number; height: number}) {
	const theme = useTheme();
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text {...theme.style.accent} bold>
				{title}
			</Text>
			<Text> </Text>
			<Text>No image chosen.</Text>
			<Text {...theme.style.dim}>{hint}</Text>
		</Box>
	);
}
