import {Box, Text} from 'ink';
import type {LayerReport} from '../../../engine/analysis/layer-analysis.js';
import {useTheme} from '../../context/theme-context.js';
import {layerListLine} from './layer-summary.js';

type LayerListProps = {
	layers: readonly LayerReport[];
	selected: number;
	/** First layer in view. */
	top: number;
	width: number;
	height: number;
	/** The list has the keyboard: its cursor shows as the selection colour, else only in bold. */
	focused: boolean;
};

/** The layers, base first, `height` of them from `top`. */
export function LayerList({layers, selected, top, width, height, focused}: LayerListProps) {
	const theme = useTheme();
	return (
		<Box flexDirection="column" width={width} height={height}>
			{layers.slice(top, top + height).map(layer => {
				const isSelected = layer.index === selected;
				const style = isSelected ? (focused ? theme.style.selected : theme.style.accent) : {};
				return (
					<Text key={layer.index} wrap="truncate" {...style}>
						{layerListLine(layer, layers.length, width).padEnd(isSelected ? width : 0)}
					</Text>
				);
			})}
		</Box>
	);
}
