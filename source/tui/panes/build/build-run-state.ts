// The build pane's picture of a running build, as a pure reducer over the engine's build events
// (builder/build-events.ts): the pane feeds it batches of events, one state update per frame.
import type {BuildEvent, PlannedStep} from '../../../engine/builder/build-events.js';
import {failingStep, type StepProgress, stepProgressPatch, type StepStatus} from '../../../engine/builder/build-step-state.js';
import type {Digest} from '../../../engine/digest.js';
import {appendBoundedLines, type BoundedLines} from '../../components/log-scroll.js';

/** The most output lines kept per step: older ones are dropped (and counted). */
export const stepOutputLimit = 5000;

export type OutputLine = {stream: 'stdout' | 'stderr'; text: string};

export type StepState = PlannedStep &
	StepProgress & {
		output: BoundedLines<OutputLine>;
	};

export type BuildPhase = 'running' | 'succeeded' | 'failed' | 'cancelled';

export type BuildRun = {
	phase: BuildPhase;
	/** The Dockerfile's name, once planned. */
	file?: string;
	steps: StepState[];
	notes: string[];
	/** The step the user chose (its number); undefined: the pane follows the build (see shownStep). */
	chosen?: number;
	/** Set when the build ended badly: the status line's text. */
	error?: string;
	imageId?: Digest;
	/** Asked to cancel: waiting for the engine to stop the running step. */
	cancelling: boolean;
	startedAt: number;
	endedAt?: number;
};

export type BuildRunAction =
	| {type: 'events'; events: readonly BuildEvent[]; now: number}
	| {type: 'choose'; step: number | undefined}
	| {type: 'cancelling'}
	| {type: 'succeeded'; imageId: Digest; now: number}
	| {type: 'failed'; error: string; cancelled: boolean; now: number};

export function startedRun(now: number): BuildRun {
	return {phase: 'running', steps: [], notes: [], cancelling: false, startedAt: now};
}

const emptyOutput: BoundedLines<OutputLine> = {lines: [], dropped: 0};

function planned(step: PlannedStep): StepState {
	return {...step, status: 'pending', output: emptyOutput};
}

/** Applies a batch of events: the step list changes once, each step's output is appended once. */
function applyEvents(run: BuildRun, events: readonly BuildEvent[], now: number): BuildRun {
	let steps = run.steps;
	let notes = run.notes;
	let file = run.file;
	// Output lines are gathered per step and appended in one go: a 5,000-line burst copies each buffer once.
	const output = new Map<number, OutputLine[]>();
	const flushOutput = () => {
		if (output.size === 0) return;
		steps = steps.map(step => {
			const added = output.get(step.number);
			return added ? {...step, output: appendBoundedLines(step.output, added, stepOutputLimit)} : step;
		});
		output.clear();
	};
	const update = (number: number, patch: (step: StepState) => Partial<StepState>) => {
		flushOutput();
		steps = steps.map(step => (step.number === number ? {...step, ...patch(step)} : step));
	};
	for (const event of events) {
		switch (event.type) {
			case 'plan':
				flushOutput();
				file = event.file;
				steps = event.steps.map(planned);
				break;
			case 'steps-added': {
				flushOutput();
				// ONBUILD triggers: numbered after every known step, but run (and listed) right after step `after`.
				const index = steps.findIndex(step => step.number === event.after);
				const added = event.steps.map(planned);
				steps = index === -1 ? [...steps, ...added] : [...steps.slice(0, index + 1), ...added, ...steps.slice(index + 1)];
				break;
			}
			case 'step-started':
			case 'step-container':
			case 'step-cached':
			case 'step-done':
			case 'step-failed':
				update(event.step, step => stepProgressPatch(step, event, now));
				break;
			case 'step-output': {
				const lines = output.get(event.step) ?? [];
				lines.push({stream: event.stream, text: event.line});
				output.set(event.step, lines);
				break;
			}
			case 'note':
				notes = [...notes, event.message];
				break;
		}
	}
	flushOutput();
	return {...run, steps, notes, file};
}

export function buildRunReducer(run: BuildRun, action: BuildRunAction): BuildRun {
	switch (action.type) {
		case 'events':
			return applyEvents(run, action.events, action.now);
		case 'choose':
			return {...run, chosen: action.step};
		case 'cancelling':
			return run.phase === 'running' ? {...run, cancelling: true} : run;
		case 'succeeded':
			return {...run, phase: 'succeeded', imageId: action.imageId, endedAt: action.now, cancelling: false};
		case 'failed': {
			// The step that failed the build, not those stopped because of it (`cancelled`).
			const failed = failingStep(run.steps, {orCancelled: true});
			// A cancelled or failed build leaves no step running.
			const steps = run.steps.map(step => (step.status === 'running' ? {...step, status: 'failed' as StepStatus, message: step.message ?? 'cancelled'} : step));
			return {
				...run,
				steps,
				phase: action.cancelled ? 'cancelled' : 'failed',
				error: action.error,
				endedAt: action.now,
				cancelling: false,
				// On failure the failed step is shown, its output visible.
				chosen: action.cancelled ? run.chosen : (failed?.number ?? run.chosen),
			};
		}
	}
}

/**
 * The step whose output the pane shows: the one the user chose, else the running step started last
 * (stages run concurrently), else the failed one, else the last that did anything.
 */
export function shownStep(run: BuildRun): StepState | undefined {
	if (run.chosen !== undefined) {
		const chosen = run.steps.find(step => step.number === run.chosen);
		if (chosen) return chosen;
	}
	const running = run.steps.filter(step => step.status === 'running');
	if (running.length > 0) return running.reduce((latest, step) => ((step.startedAt ?? 0) >= (latest.startedAt ?? 0) ? step : latest));
	const failed = failingStep(run.steps, {orCancelled: true});
	if (failed) return failed;
	return [...run.steps].reverse().find(step => step.status !== 'pending') ?? run.steps[0];
}

/** Counts for the pane's title line. */
export function stepCounts(run: BuildRun): Record<StepStatus, number> {
	const counts: Record<StepStatus, number> = {pending: 0, running: 0, cached: 0, done: 0, failed: 0};
	for (const step of run.steps) counts[step.status]++;
	return counts;
}
