// What each key does in the history timeline, as a pure step from one state to the next (see
// layer-tree-state.ts for why the pane applies keys to a state it holds outside React's).
import {commandFor, defaultKeymap, type KeyBinding} from '../../keymap.js';
import {movedCursor} from '../../list-navigation.js';
import {scrollTop} from '../layers/scroll-window.js';
import {stepLineRange, timelineLines, type TimelineLine, type TimelineStep} from './timeline-rows.js';

export type TimelineState = {
	selected: number;
	expandedStep?: number;
	/** First line the window showed; the view moves it only as far as the selection needs. */
	top: number;
	/** A one-off message for the hint line, cleared by the next key. */
	notice: string;
};

/** The steps and the room they are drawn in; `linesFor` is remembered per expanded step. */
export type TimelineModel = {
	steps: readonly TimelineStep[];
	bodyHeight: number;
	linesFor(expandedStep: number | undefined): readonly TimelineLine[];
};

export type TimelineOutcome = {state: TimelineState; back?: boolean; jumpToLayer?: number};

export type TimelineView = {cursor: number; lines: readonly TimelineLine[]; top: number};

export const initialTimelineState: TimelineState = {selected: 0, top: 0, notice: ''};

export function timelineModel(steps: readonly TimelineStep[], width: number, bodyHeight: number): TimelineModel {
	let last: {expandedStep: number | undefined; lines: readonly TimelineLine[]} | undefined;
	return {
		steps,
		bodyHeight,
		linesFor(expandedStep) {
			if (!last || last.expandedStep !== expandedStep) last = {expandedStep, lines: timelineLines(steps, {width, expandedStep})};
			return last.lines;
		},
	};
}

export function timelineView(state: TimelineState, model: TimelineModel): TimelineView {
	const cursor = Math.min(state.selected, Math.max(model.steps.length - 1, 0));
	const lines = model.linesFor(state.expandedStep);
	const range = stepLineRange(lines, cursor);
	return {cursor, lines, top: scrollTop(state.top, range.start, range.end, model.bodyHeight, lines.length)};
}

/** Applies one key (its normalized name); the outcome may ask the pane to close or to open a layer. */
export function timelineKey(state: TimelineState, keyName: string, model: TimelineModel, keymap: KeyBinding[] = defaultKeymap): TimelineOutcome {
	const command = commandFor(keymap, ['history', 'list', 'global'], keyName);
	if (command === undefined) return {state};
	const current = state.notice === '' ? state : {...state, notice: ''};
	if (command === 'global.back') {
		// The expanded step closes first, so esc never leaves the pane by surprise.
		if (current.expandedStep !== undefined) return {state: {...current, expandedStep: undefined}};
		return {state: current, back: true};
	}
	const {steps} = model;
	if (steps.length === 0) return {state: current};
	const view = timelineView(current, model);
	const linesPerStep = view.lines.length / steps.length;
	const selected = movedCursor(command, view.cursor, steps.length, Math.max(1, Math.floor(model.bodyHeight / linesPerStep)));
	if (selected !== undefined) {
		const range = stepLineRange(view.lines, selected);
		return {state: {...current, selected, top: scrollTop(view.top, range.start, range.end, model.bodyHeight, view.lines.length)}};
	}
	if (command === 'history.expand' || command === 'list.open') {
		return {state: {...current, expandedStep: current.expandedStep === view.cursor ? undefined : view.cursor}};
	}
	if (command === 'history.jumpToLayer') {
		const {layer} = steps[view.cursor];
		if (!layer) return {state: {...current, notice: 'this step added no layer (a metadata step)'}};
		return {state: current, jumpToLayer: layer.index};
	}
	return {state: current};
}
