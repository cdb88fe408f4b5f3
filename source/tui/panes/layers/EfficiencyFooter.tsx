import {Box, Text} from 'ink';
import type {ImageLayersReport} from '../../../engine/analysis/layer-analysis.js';
import {useTheme} from '../../context/theme-context.js';
import {efficiencySummary, wastedFileLines} from './layer-summary.js';

/** dive's image figures (score, wasted bytes, user wasted share) and the largest wasted files that fit. */
export function EfficiencyFooter({report, width, height}: {report: ImageLayersReport; width: number; height: number}) {
	const theme = useTheme();
	const {efficiency} = report;
	// A score under 90% is where dive's CI check fails by default: worth the warning colour.
	const summaryStyle = efficiency.score < 0.9 ? theme.style.warning : theme.style.accent;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text wrap="truncate" {...summaryStyle}>
				{efficiencySummary(efficiency, report.totalSize, width)}
			</Text>
			{wastedFileLines(efficiency, width, height - 1).map((line, index) => (
				<Text key={index} wrap="truncate" {...theme.style.dim}>
					{line}
				</Text>
			))}
		</Box>
	);
}
