// Emits a build's structured events (build-events.ts) as ProgressEvents: the one place that knows their
// shapes, so the executor says what happened (started, cached, done...) and not how it is reported.
import type {PlannedStep} from '../build-events.js';
import type {BuildEvent} from '../build-events.js';
import type {Digest} from '../../digest.js';
import type {ProgressEvent} from '../../progress.js';
import type {BuildPlan} from './build-plan.js';

export class StepReporter {
	/** The number the next added step (an ONBUILD trigger) gets. */
	private nextNumber = 1;

	constructor(private readonly emitProgress: (event: ProgressEvent) => void) {}

	private emit(event: BuildEvent): void {
		this.emitProgress({kind: 'build', event});
	}

	plan(file: string, plan: BuildPlan): void {
		this.nextNumber = plan.steps.length + 1;
		this.emit({type: 'plan', file, steps: plan.steps, stages: plan.stages});
	}

	/** Announces steps found while building, run after step `after`; returns them numbered. */
	added(after: PlannedStep, steps: Array<{text: string; line: number}>): PlannedStep[] {
		const numbered = steps.map(({text, line}) => ({...after, number: this.nextNumber++, text, line}));
		this.emit({type: 'steps-added', steps: numbered, after: after.number});
		return numbered;
	}

	started(step: number): number {
		const at = Date.now();
		this.emit({type: 'step-started', step, at});
		return at;
	}

	container(step: number, containerId: string): void {
		this.emit({type: 'step-container', step, containerId});
	}

	output(step: number, stream: 'stdout' | 'stderr', line: string): void {
		this.emit({type: 'step-output', step, stream, line});
	}

	cached(step: number, imageId: Digest): void {
		this.emit({type: 'step-cached', step, imageId});
	}

	done(step: number, startedAt: number, imageId: Digest | undefined, layerSize: number): void {
		this.emit({type: 'step-done', step, ...(imageId === undefined ? {} : {imageId}), durationMs: Date.now() - startedAt, layerSize});
	}

	failed(step: number, message: string, exitCode?: number): void {
		this.emit({type: 'step-failed', step, message, ...(exitCode === undefined ? {} : {exitCode})});
	}

	note(message: string): void {
		this.emit({type: 'note', message});
	}
}
