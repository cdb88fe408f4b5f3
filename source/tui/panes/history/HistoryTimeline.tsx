import {Box, Text} from 'ink';
import {useEffect, useMemo} from 'react';
import {ellipsis} from '../../../cli/format/ellipsis.js';
import {humanSize} from '../../../cli/format/units.js';
import {imageHistory} from '../../../engine/images/history.js';
import {KeyHintLine} from '../../components/KeyHintLine.js';
import {useKeys} from '../../context/key-router-context.js';
import {useKeymap} from '../../context/keymap-context.js';
import {useStoreData} from '../../context/store-context.js';
import {useTheme, type TextStyle, type Theme} from '../../context/theme-context.js';
import {useLatestState} from '../../hooks/use-latest-state.js';
import {normalizeKey} from '../../keymap.js';
import {timelineSteps, type TimelineLine, type TimelineTone} from './timeline-rows.js';
import {initialTimelineState, timelineKey, timelineModel, timelineView, type TimelineState} from './timeline-state.js';

export type HistoryTimelineProps = {
	imageRef: string;
	width: number;
	height: number;
	focused: boolean;
	/** Called with the layer's index (base first) when the user asks to see a step's layer. */
	onJumpToLayer?: (layerIndex: number) => void;
	onBack: () => void;
};

function toneStyle(theme: Theme, tone: TimelineTone): TextStyle {
	switch (tone) {
		case 'layerMarker':
		case 'bar':
		case 'label':
			return theme.style.accent;
		case 'rail':
		case 'emptyMarker':
		case 'emptyCommand':
		case 'detail':
		case 'barTrack':
			return theme.style.dim;
		default:
			return {};
	}
}

function TimelineRow({line, selected, focused}: {line: TimelineLine; selected: boolean; focused: boolean}) {
	const theme = useTheme();
	return (
		<Text wrap="truncate">
			{line.segments.map((segment, index) => {
				// The selected step's command carries the cursor; an unfocused pane keeps it, quieter.
				const isCursor = selected && (segment.tone === 'command' || segment.tone === 'emptyCommand');
				const style = isCursor ? (focused ? theme.style.selected : {bold: true}) : toneStyle(theme, segment.tone);
				return (
					<Text key={index} {...style}>
						{segment.text}
					</Text>
				);
			})}
		</Text>
	);
}

/** `docker history` as a timeline: newest step first, one ● per layer and ○ per metadata step. */
export function HistoryTimeline({imageRef, width, height, focused, onJumpToLayer, onBack}: HistoryTimelineProps) {
	const theme = useTheme();
	const loaded = useStoreData(async store => ({imageRef, items: await imageHistory(store, imageRef)}), [imageRef]);
	// The store hook keeps the last value while it loads the next: another image's history is not this one's.
	const items = loaded.data?.imageRef === imageRef ? loaded.data.items : undefined;
	const {error, loading} = loaded;
	const steps = useMemo(() => (items ? timelineSteps(items) : []), [items]);
	// Header and hint line take one row each; the timeline gets the rest.
	const bodyHeight = Math.max(height - 2, 1);
	const model = useMemo(() => timelineModel(steps, width, bodyHeight), [steps, width, bodyHeight]);
	const keymap = useKeymap();
	// Keys read and write the state through its ref: the next key can come before React renders the last.
	const [state, setState, stateRef] = useLatestState<TimelineState>(initialTimelineState);
	useEffect(() => setState(initialTimelineState), [imageRef, setState]);

	useKeys(
		(input, key) => {
			const outcome = timelineKey(stateRef.current, normalizeKey(input, key), model, keymap);
			setState(outcome.state);
			if (outcome.back) onBack();
			if (outcome.jumpToLayer !== undefined) onJumpToLayer?.(outcome.jumpToLayer);
		},
		{isActive: focused},
	);

	if (error && !items) {
		return (
			<Box width={width} height={height} flexDirection="column">
				<Text {...theme.style.error}>{ellipsis(`history of ${imageRef}: ${error.message}`, width)}</Text>
			</Box>
		);
	}
	if (!items) {
		return (
			<Box width={width} height={height}>
				<Text {...theme.style.dim}>{loading ? `Loading the history of ${imageRef}…` : ''}</Text>
			</Box>
		);
	}

	const {notice, expandedStep} = state;
	const {cursor, lines, top} = timelineView(state, model);
	const layerCount = steps.filter(step => !step.emptyLayer).length;
	const totalSize = steps.reduce((sum, step) => sum + step.size, 0);
	const position = steps.length === 0 ? '' : `${cursor + 1}/${steps.length}`;
	const title = ellipsis(`History of ${imageRef}`, Math.max(width - position.length - 1, 1));
	const summary = ` · ${steps.length} steps · ${layerCount} layers · ${humanSize(totalSize)}`;

	return (
		<Box width={width} height={height} flexDirection="column">
			<Box width={width} justifyContent="space-between">
				<Text wrap="truncate">
					<Text {...theme.style.header}>{title}</Text>
					<Text {...theme.style.dim}>{ellipsis(summary, Math.max(width - title.length - position.length - 1, 0))}</Text>
				</Text>
				<Text {...theme.style.dim}>{position}</Text>
			</Box>
			<Box flexDirection="column" height={bodyHeight}>
				{steps.length === 0 ? (
					<Text {...theme.style.dim}>This image records no history.</Text>
				) : (
					lines.slice(top, top + bodyHeight).map((line, index) => (
						<TimelineRow key={top + index} line={line} selected={line.step === cursor} focused={focused} />
					))
				)}
			</Box>
			{notice ? (
				<Text wrap="truncate" {...theme.style.warning}>
					{ellipsis(notice, width)}
				</Text>
			) : (
				<KeyHintLine
					hints={[
						['history.expand', expandedStep === cursor ? 'collapse' : 'details', true],
						['history.jumpToLayer', 'layer tree', true],
						['global.back', 'back'],
					]}
					width={width}
				/>
			)}
		</Box>
	);
}
