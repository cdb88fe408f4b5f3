// The `plan` event of a build: every step of the needed stages, numbered across them in plan order (the
// classic builder's `Step N/M`), and each stage's steps and dependencies (what may run concurrently).
import type {PlannedBuildStage, PlannedStep} from '../build-events.js';
import type {StagePlan} from '../dockerfile/plan-stages.js';

export interface BuildPlan {
	steps: PlannedStep[];
	stages: PlannedBuildStage[];
}

export function buildPlan(plan: StagePlan): BuildPlan {
	const steps: PlannedStep[] = [];
	const stages: PlannedBuildStage[] = [];
	for (const index of plan.order) {
		const {stage, dependencies} = plan.stages[index]!;
		const numbers: number[] = [];
		const add = (text: string, line: number) => {
			const step: PlannedStep = {number: steps.length + 1, stage: index, text, line};
			if (stage.name !== undefined) step.stageName = stage.name;
			steps.push(step);
			numbers.push(step.number);
		};
		add(stage.original, stage.line);
		for (const instruction of stage.instructions) add(instruction.original, instruction.line);
		stages.push({index, ...(stage.name === undefined ? {} : {name: stage.name}), steps: numbers, dependsOn: dependencies});
	}
	return {steps, stages};
}
