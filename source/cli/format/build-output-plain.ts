// `--progress plain`: the classic builder's lines (`Step 3/7 : RUN make`, ` ---> Running in 3f2a...`, the
// output, `Removing intermediate container ...`, ` ---> Using cache`, ` ---> 3f2a...`). Stages may run at
// the same time; their lines are still printed stage by stage in plan order, a later stage's held back
// until the stages before it are printed, so the output reads as a sequential build's.
import type {BuildEvent} from '../../engine/builder/build-events.js';
import type {Digest} from '../../engine/digest.js';
import {BuildSteps, type CliStep} from './build-output-steps.js';

const shortId = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

export class PlainBuildOutput {
	readonly steps = new BuildSteps();
	/** Position in steps.stages of the stage being printed as it runs. */
	private current = 0;
	private readonly held = new Map<number, string[]>();

	constructor(
		private readonly write: (line: string) => void,
		/** Notes (`--pull` does nothing...): printed at once, outside the step lines. */
		private readonly writeNote: (line: string) => void,
	) {}

	handle(event: BuildEvent): void {
		if (event.type === 'note') {
			this.writeNote(event.message);
			return;
		}
		const step = this.steps.apply(event);
		if (!step) return;
		for (const line of this.lines(event, step)) this.print(step.stage, line);
		this.advance();
	}

	/** Prints whatever is still held back (a build that failed or was cancelled while stages ran). */
	finish(): void {
		for (const stage of this.steps.stages.slice(this.current)) for (const line of this.held.get(stage.index) ?? []) this.write(line);
		this.held.clear();
		this.current = this.steps.stages.length;
	}

	private lines(event: BuildEvent, step: CliStep): string[] {
		switch (event.type) {
			case 'steps-added':
				return [`# Executing ${event.steps.length} build trigger${event.steps.length > 1 ? 's' : ''}`];
			case 'step-started':
				return step.triggerOf === undefined ? [this.steps.heading(step)] : [];
			case 'step-container':
				return [` ---> Running in ${shortId(event.containerId)}`];
			case 'step-output':
				return [event.line];
			case 'step-cached':
				return [' ---> Using cache', ...this.result(step, event.imageId)];
			case 'step-done':
				return [...(step.containerId ? [`Removing intermediate container ${shortId(step.containerId)}`] : []), ...this.result(step, event.imageId)];
			default:
				return [];
		}
	}

	/**
	 * ` ---> <id>` after a step; a FROM with ONBUILD triggers prints it after its last trigger instead
	 * (Docker runs the triggers inside the FROM step), the triggers before that print none.
	 */
	private result(step: CliStep, imageId: Digest | undefined): string[] {
		if (imageId === undefined) return [];
		if (this.steps.triggers.has(step.number)) return [];
		if (step.triggerOf !== undefined && this.steps.triggers.get(step.triggerOf)!.at(-1) !== step.number) return [];
		return [` ---> ${shortId(imageId)}`];
	}

	private print(stage: number, line: string): void {
		if (this.steps.stages[this.current]?.index === stage) {
			this.write(line);
			return;
		}
		const held = this.held.get(stage) ?? [];
		held.push(line);
		this.held.set(stage, held);
	}

	/** Once the stage being printed has finished, the next one's held lines follow, and so on. */
	private advance(): void {
		while (this.current < this.steps.stages.length && this.steps.stageFinished(this.steps.stages[this.current]!)) {
			this.current += 1;
			const next = this.steps.stages[this.current];
			if (!next) break;
			for (const line of this.held.get(next.index) ?? []) this.write(line);
			this.held.delete(next.index);
		}
	}
}
