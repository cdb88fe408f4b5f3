import {Box, Text} from 'ink';
import {ellipsis} from '../../../cli/format/ellipsis.js';
import {humanSize} from '../../../cli/format/units.js';
import type {LayerReport} from '../../../engine/analysis/layer-analysis.js';
import {useTheme} from '../../context/theme-context.js';
import {clampRows, wrapText} from '../history/wrap-text.js';

/** The selected layer in full under the list (wide layout): digest, change counts and the whole command. */
export function LayerDetails({layer, width, height}: {layer: LayerReport; width: number; height: number}) {
	const theme = useTheme();
	const {added, modified, removed} = layer.changeCounts;
	// Three rows of facts above; the command gets the rest.
	const commandRows = clampRows(wrapText(layer.createdBy || '(no created-by)', width), Math.max(height - 3, 0), width);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text {...theme.style.header} wrap="truncate">
				{ellipsis(`Layer ${layer.index} · ${humanSize(layer.size)}`, width)}
			</Text>
			<Text {...theme.style.dim} wrap="truncate">
				{ellipsis(layer.diffID, width)}
			</Text>
			<Text wrap="truncate">
				<Text {...theme.style.added}>+{added} added</Text>
				<Text> </Text>
				<Text {...theme.style.modified}>~{modified} modified</Text>
				<Text> </Text>
				<Text {...theme.style.removed}>-{removed} removed</Text>
			</Text>
			{commandRows.map((row, index) => (
				<Text key={index} wrap="truncate">
					{row}
				</Text>
			))}
		</Box>
	);
}
