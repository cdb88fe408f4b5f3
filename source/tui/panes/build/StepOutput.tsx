import {Box, Text} from 'ink';
import {LogStatus, type LogScroll} from '../../components/log-scroll.js';
import {useTheme} from '../../context/theme-context.js';
import {fit} from '../../text/fit.js';
import {type StepState, stepOutputLimit} from './build-run-state.js';

/**
 * One step's output: its title line (the step, line count, following or paused, the search) and the
 * visible window of its bounded buffer; the scroll state comes from useLogScroll in the pane.
 */
export function StepOutput({step, scroll, width, height, focused}: {step?: StepState; scroll: LogScroll; width: number; height: number; focused: boolean}) {
	const theme = useTheme();
	const lines = step?.output.lines ?? [];
	const dropped = step?.output.dropped ?? 0;
	const bodyHeight = Math.max(1, height - 1);
	const visible = lines.slice(scroll.top, scroll.top + bodyHeight);
	const emptyText = !step ? 'No step yet.' : step.status === 'pending' ? 'Not started.' : step.status === 'cached' ? 'Cached: nothing ran.' : step.status === 'failed' && step.message ? step.message : 'No output.';
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0}>
			<Text wrap="truncate">
				<Text {...(focused ? theme.style.accent : theme.style.dim)} bold>
					{step ? `Step ${step.number}` : 'Output'}
				</Text>
				<LogStatus scroll={scroll} count={lines.length} dropped={dropped} limit={stepOutputLimit} pausedHint="paused (F)" />
			</Text>
			<Box flexDirection="column" height={bodyHeight}>
				{lines.length === 0 ? <Text {...(step?.status === 'failed' ? theme.style.error : theme.style.dim)} wrap="truncate">{emptyText}</Text> : null}
				{visible.map((line, index) => (
					<Text key={scroll.top + index} wrap="truncate" {...(scroll.isMatch(line.text) ? theme.style.marked : line.stream === 'stderr' ? theme.style.warning : {})}>
						{fit(line.text, width)}
					</Text>
				))}
			</Box>
		</Box>
	);
}
