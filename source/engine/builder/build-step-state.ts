// A build step's progress as its events tell it (build-events.ts): one pure mapping that both faces use,
// the CLI's step list (cli/format/build-output-steps.ts) and the TUI's build pane (panes/build/build-run-state.ts).
import type {Digest} from '../digest.js';
import type {BuildEvent} from './build-events.js';

export type StepStatus = 'pending' | 'running' | 'cached' | 'done' | 'failed';

export interface StepProgress {
	status: StepStatus;
	/** When it started (ms since the epoch, the engine's clock). */
	startedAt?: number;
	durationMs?: number;
	layerSize?: number;
	imageId?: Digest;
	containerId?: string;
	/** Why it failed (`cancelled` for a step stopped because the build was). */
	message?: string;
	exitCode?: number;
}

/** The events that change a step's progress. */
export type StepProgressEvent = Extract<BuildEvent, {type: 'step-started' | 'step-container' | 'step-cached' | 'step-done' | 'step-failed'}>;

export function isStepProgressEvent(event: BuildEvent): event is StepProgressEvent {
	return event.type === 'step-started' || event.type === 'step-container' || event.type === 'step-cached' || event.type === 'step-done' || event.type === 'step-failed';
}

/** What `event` changes in `step`'s progress; `now` times a failure (its duration so far). */
export function stepProgressPatch(step: StepProgress, event: StepProgressEvent, now: number): Partial<StepProgress> {
	switch (event.type) {
		case 'step-started':
			return {status: 'running', startedAt: event.at};
		case 'step-container':
			return {containerId: event.containerId};
		case 'step-cached':
			return {status: 'cached', imageId: event.imageId};
		case 'step-done':
			return {status: 'done', imageId: event.imageId, durationMs: event.durationMs, layerSize: event.layerSize};
		case 'step-failed':
			return {status: 'failed', message: event.message, exitCode: event.exitCode, durationMs: step.startedAt === undefined ? undefined : now - step.startedAt};
	}
}

/** The step that failed the build: not one stopped because of it (`cancelled`), unless there is no other. */
export function failingStep<T extends StepProgress>(steps: readonly T[], options: {orCancelled?: boolean} = {}): T | undefined {
	return steps.find(step => step.status === 'failed' && step.message !== 'cancelled') ?? (options.orCancelled ? steps.find(step => step.status === 'failed') : undefined);
}
