// planStages: which stages a build needs and in what order. FROM lines are expanded with the ARGs declared
// before the first FROM (and --build-arg), bases and `COPY --from` are resolved to earlier stages or to
// images, the target's dependencies are collected (other stages are skipped, as BuildKit does), and stages
// are grouped into levels whose members do not depend on each other and may run concurrently.
import {StrataError} from '../../errors.js';
import {BuildArgs, type BuildArgValues} from './build-args.js';
import {goQuote} from './go-quote.js';
import {dockerfileError} from './problem.js';
import {processWord} from './shell-lexer.js';
import type {CopyInstruction, Dockerfile, Stage} from './types.js';

/** What a stage starts from, or what a `COPY --from` reads. */
export type StageSource = {kind: 'scratch'} | {kind: 'stage'; index: number} | {kind: 'image'; reference: string};

export interface PlannedStage {
	stage: Stage;
	/** The base after expansion. */
	base: StageSource;
	/** `--platform` after expansion. */
	platform?: string;
	/** Each `COPY --from` of the stage, resolved. */
	copyFrom: Array<{instruction: CopyInstruction; source: Exclude<StageSource, {kind: 'scratch'}>}>;
	/** Indices of the stages this one needs (its base and COPY --from stages), ascending. */
	dependencies: number[];
}

export interface StagePlan {
	/** Every stage, planned, by index. */
	stages: PlannedStage[];
	/** Index of the stage the build produces (the last one unless a target was named). */
	target: number;
	/** The stages the target needs, itself included, in an order that builds dependencies first. */
	order: number[];
	/** `order` cut into levels: a stage's dependencies are all in earlier levels. */
	groups: number[][];
	/** Build arguments after the global ARGs: call `forStage()` for each stage's own state. */
	buildArgs: BuildArgs;
	/** --build-arg names no ARG in the built stages declares (Docker warns about them). */
	unusedBuildArgs: string[];
}

export interface PlanOptions {
	/** `--target`: a stage name (case-insensitive). */
	target?: string;
	/** `--build-arg` values. */
	buildArgs?: BuildArgValues;
}

export function planStages(dockerfile: Dockerfile, options: PlanOptions = {}): StagePlan {
	const {file} = dockerfile;
	const escape = dockerfile.directives.escape;
	const buildArgs = new BuildArgs(options.buildArgs);
	for (const arg of dockerfile.globalArgs) {
		// Upstream expands the whole ARG line with the values known before it, then declares its names.
		const env = buildArgs.allAllowed();
		const expanded = arg.args.map(definition => ({
			key: expand(file, arg.line, definition.key, env, escape),
			value: definition.value === undefined ? undefined : expand(file, arg.line, definition.value, env, escape),
		}));
		for (const {key, value} of expanded) {
			buildArgs.addArg(key, value);
			buildArgs.addMetaArg(key, value);
		}
	}

	const meta = buildArgs.allMeta();
	const planned: PlannedStage[] = [];
	for (const stage of dockerfile.stages) {
		const image = expand(file, stage.line, stage.from.image, meta, escape);
		if (image === '') throw dockerfileError(file, stage.line, `base name (${stage.from.image}) should not be blank`);
		const platform =
			stage.from.platform === undefined ? undefined : expand(file, stage.line, stage.from.platform, meta, escape);
		const base = resolveBase(image, dockerfile.stages, stage.index);
		const copyFrom = stage.instructions
			.filter((instruction): instruction is CopyInstruction => instruction.kind === 'COPY' && instruction.from !== undefined)
			.map(instruction => ({instruction, source: resolveCopyFrom(dockerfile, stage, instruction)}));
		const dependencies = new Set<number>();
		if (base.kind === 'stage') dependencies.add(base.index);
		for (const {source} of copyFrom) if (source.kind === 'stage') dependencies.add(source.index);
		planned.push({stage, base, platform, copyFrom, dependencies: [...dependencies].sort((a, b) => a - b)});
	}

	const target = findTarget(dockerfile, options.target);
	const needed = new Set<number>();
	const visit = (index: number) => {
		if (needed.has(index)) return;
		needed.add(index);
		for (const dependency of planned[index]!.dependencies) visit(dependency);
	};
	visit(target);
	// Dependencies always come earlier in the file, so index order builds them first.
	const order = [...needed].sort((a, b) => a - b);
	const level = new Map<number, number>();
	const groups: number[][] = [];
	for (const index of order) {
		const depth = Math.max(-1, ...planned[index]!.dependencies.map(dependency => level.get(dependency)!)) + 1;
		level.set(index, depth);
		(groups[depth] ??= []).push(index);
	}

	const consumed = new BuildArgs(options.buildArgs);
	consumed.mergeReferenced(buildArgs);
	for (const index of order) {
		for (const instruction of dockerfile.stages[index]!.instructions) {
			if (instruction.kind === 'ARG') for (const {key} of instruction.args) consumed.addArg(key, undefined);
		}
	}
	return {stages: planned, target, order, groups, buildArgs, unusedBuildArgs: consumed.unused()};
}

/** An earlier stage of that name (case-insensitive), `scratch`, or an image. */
function resolveBase(image: string, stages: Stage[], index: number): StageSource {
	const lower = image.toLowerCase();
	const earlier = stages.slice(0, index).find(stage => stage.name === lower);
	if (earlier) return {kind: 'stage', index: earlier.index};
	if (image === 'scratch') return {kind: 'scratch'};
	return {kind: 'image', reference: image};
}

/**
 * `--from=NAME` is an earlier stage's name, else an earlier stage's index, else an image. It is never
 * expanded: a variable in it is refused, as BuildKit does, rather than pulled as an image named `$X`.
 */
function resolveCopyFrom(
	dockerfile: Dockerfile,
	stage: Stage,
	instruction: CopyInstruction,
): Exclude<StageSource, {kind: 'scratch'}> {
	const from = instruction.from!;
	const fail = (message: string) => dockerfileError(dockerfile.file, instruction.line, message);
	if (expand(dockerfile.file, instruction.line, from, new Map(), dockerfile.directives.escape) !== from) {
		throw fail(
			'variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround',
		);
	}
	const lower = from.toLowerCase();
	const named = dockerfile.stages.find(candidate => candidate.name === lower);
	if (named) {
		if (named.index >= stage.index) {
			throw fail(
				`cannot copy from stage ${goQuote(from)}, it needs to be defined before current stage ${goQuote(stageLabel(stage))}`,
			);
		}
		return {kind: 'stage', index: named.index};
	}
	if (/^[+-]?[0-9]+$/.test(from)) {
		const index = Number(from);
		if (index === stage.index) throw fail(`invalid from flag value ${from}: refers to current build stage`);
		if (index < 0 || index > stage.index) throw fail(`invalid from flag value ${from}: index out of bounds`);
		return {kind: 'stage', index};
	}
	return {kind: 'image', reference: from};
}

function stageLabel(stage: Stage): string {
	return stage.name ?? `stage-${stage.index}`;
}

function findTarget(dockerfile: Dockerfile, target: string | undefined): number {
	if (target === undefined || target === '') return dockerfile.stages.length - 1;
	const found = dockerfile.stages.find(stage => stage.name === target.toLowerCase());
	if (!found) throw new StrataError(`target stage ${goQuote(target)} could not be found`);
	return found.index;
}

function expand(
	file: string,
	line: number,
	word: string,
	env: ReadonlyMap<string, string>,
	escape: string,
): string {
	try {
		return processWord(word, env, {escape}).result;
	} catch (error) {
		if (error instanceof StrataError) throw dockerfileError(file, line, error.message);
		throw error;
	}
}
