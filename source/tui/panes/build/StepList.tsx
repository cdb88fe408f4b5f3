import {Box, Text} from 'ink';
import {humanSize} from '../../../cli/format/units.js';
import {useTheme} from '../../context/theme-context.js';
import {useWindowOffset} from '../../hooks/use-window-offset.js';
import type {TextStyle} from '../../theme.js';
import {fit} from '../../text/fit.js';
import type {StepState} from './build-run-state.js';

const spinnerFrames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Seconds with one decimal: `0.4s`, `12.3s`; minutes past a minute: `2m05s`. */
export function elapsedText(milliseconds: number): string {
	const seconds = Math.max(0, milliseconds) / 1000;
	if (seconds < 60) return `${seconds.toFixed(1)}s`;
	return `${Math.floor(seconds / 60)}m${String(Math.floor(seconds % 60)).padStart(2, '0')}s`;
}

/** The status column of a step: its symbol and what it says on the right. */
export function stepStatusText(step: StepState, now: number, spinnerFrame: number): {symbol: string; right: string} {
	switch (step.status) {
		case 'pending':
			return {symbol: '·', right: ''};
		case 'running':
			return {symbol: spinnerFrames[spinnerFrame % spinnerFrames.length]!, right: elapsedText(now - (step.startedAt ?? now))};
		case 'cached':
			return {symbol: '↺', right: 'cached'};
		case 'done':
			return {symbol: '✓', right: `${elapsedText(step.durationMs ?? 0)} ${step.layerSize ? humanSize(step.layerSize) : 'no layer'}`};
		case 'failed':
			if (step.message === 'cancelled') return {symbol: '⊘', right: 'cancelled'};
			return {symbol: '✗', right: step.exitCode === undefined ? 'failed' : `exit ${step.exitCode}`};
	}
}

/** The build's steps with their live status; the row whose output is shown is highlighted. */
export function StepList({steps, shown, total, width, height, focused, now, spinnerFrame}: {steps: readonly StepState[]; shown?: number; total: number; width: number; height: number; focused: boolean; now: number; spinnerFrame: number}) {
	const theme = useTheme();
	const cursor = Math.max(0, steps.findIndex(step => step.number === shown));
	const offset = useWindowOffset(cursor, steps.length, height);
	const statusStyle: Record<StepState['status'], TextStyle> = {
		pending: theme.style.dim,
		running: theme.style.accent,
		cached: theme.style.dim,
		done: theme.style.added,
		failed: theme.style.error,
	};
	const numberWidth = String(total).length * 2 + 1;
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0}>
			{steps.slice(offset, offset + height).map(step => {
				const {symbol, right} = stepStatusText(step, now, spinnerFrame);
				const isShown = step.number === shown;
				const rightWidth = Math.max(right.length, 14);
				const textWidth = Math.max(4, width - 2 - numberWidth - 1 - rightWidth - 1);
				const rowStyle = isShown && focused ? theme.style.selected : {};
				return (
					<Text key={step.number} wrap="truncate" {...rowStyle} bold={isShown}>
						<Text {...statusStyle[step.status]}>{symbol} </Text>
						<Text {...theme.style.dim}>{fit(`${step.number}/${total}`, numberWidth)} </Text>
						{fit(step.text, textWidth)} <Text {...statusStyle[step.status]}>{fit(right, rightWidth, 'right')}</Text>
					</Text>
				);
			})}
		</Box>
	);
}
