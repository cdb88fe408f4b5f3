// What the CLI's build renderers know about a build's steps, kept from its events (build-events.ts): the
// plan (with ONBUILD triggers where they run), each step's status, timing, size and last output lines.
import type {BuildEvent, PlannedStep} from '../../engine/builder/build-events.js';
import {failingStep, isStepProgressEvent, type StepProgress, stepProgressPatch} from '../../engine/builder/build-step-state.js';

export type {StepStatus} from '../../engine/builder/build-step-state.js';

/** Output lines kept per step (the failure summary shows them). */
export const keptOutputLines = 10;

export interface CliStep extends PlannedStep, StepProgress {
	/** For an ONBUILD trigger: the FROM step it runs after. */
	triggerOf?: number;
	lastLines: string[];
}

export class BuildSteps {
	/** In display order (triggers right after their FROM step). */
	readonly list: CliStep[] = [];
	readonly byNumber = new Map<number, CliStep>();
	/** The stages in plan order, each with its steps' numbers (triggers included). */
	readonly stages: Array<{index: number; steps: number[]}> = [];
	/** `Step N/M`'s M: the Dockerfile's steps (ONBUILD triggers are no `Step` of their own). */
	planned = 0;
	/** FROM step -> its triggers' numbers. */
	readonly triggers = new Map<number, number[]>();

	apply(event: BuildEvent): CliStep | undefined {
		switch (event.type) {
			case 'plan':
				this.planned = event.steps.length;
				for (const step of event.steps) this.add(step, this.list.length);
				for (const stage of event.stages) this.stages.push({index: stage.index, steps: [...stage.steps]});
				return undefined;
			case 'steps-added': {
				let position = this.list.findIndex(step => step.number === event.after) + 1;
				const numbers = event.steps.map(step => step.number);
				this.triggers.set(event.after, [...(this.triggers.get(event.after) ?? []), ...numbers]);
				for (const step of event.steps) this.add(step, position++, event.after);
				this.stages.find(stage => stage.steps.includes(event.after))?.steps.push(...numbers);
				return this.byNumber.get(event.after);
			}
			case 'note':
				return undefined;
			default:
				return this.update(event);
		}
	}

	private add(planned: PlannedStep, position: number, triggerOf?: number): void {
		const step: CliStep = {...planned, status: 'pending', lastLines: [], ...(triggerOf === undefined ? {} : {triggerOf})};
		this.list.splice(position, 0, step);
		this.byNumber.set(step.number, step);
	}

	private update(event: Exclude<BuildEvent, {type: 'plan' | 'steps-added' | 'note'}>): CliStep | undefined {
		const step = this.byNumber.get(event.step);
		if (!step) return undefined;
		if (isStepProgressEvent(event)) {
			Object.assign(step, stepProgressPatch(step, event, Date.now()));
		} else {
			step.lastLines.push(event.line);
			if (step.lastLines.length > keptOutputLines) step.lastLines.shift();
		}
		return step;
	}

	/** Whether every step of the stage has finished (done or cached). */
	stageFinished(stage: {steps: number[]}): boolean {
		return stage.steps.every(number => {
			const status = this.byNumber.get(number)?.status;
			return status === 'done' || status === 'cached';
		});
	}

	/** The `Step N/M : TEXT` line of a planned step. */
	heading(step: CliStep): string {
		return `Step ${step.number}/${this.planned} : ${step.text}`;
	}

	/** Lines that show why a build failed: the failing step and its last output lines (stderr). */
	failureSummary(): string[] {
		const failed = failingStep(this.list);
		if (!failed) return [];
		const from = failed.triggerOf === undefined ? undefined : this.byNumber.get(failed.triggerOf);
		const where = from ? `${this.heading(from)} (ONBUILD ${failed.text})` : this.heading(failed);
		const lines = [`Failed at ${where}`];
		if (failed.lastLines.length > 0) {
			lines.push(`Its last ${failed.lastLines.length === 1 ? 'output line' : `${failed.lastLines.length} output lines`}:`);
			for (const line of failed.lastLines) lines.push(`  ${line}`);
		}
		return lines;
	}
}
