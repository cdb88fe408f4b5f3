// Builds one stage step by step, each step an intermediate image (its parent the previous one, so the next
// build finds it in the cache): RUN in a real container, COPY/ADD as a layer written from the context,
// everything else in the config. The base image's ONBUILD triggers run right after FROM, as the classic
// builder runs them. Every step reports its events; a cancelled build stops before its next step.
import type {Readable} from 'node:stream';
import type {Digest} from '../../digest.js';
import type {ImageConfig} from '../../image/types.js';
import {defaultPath} from '../../runtime/command-lookup.js';
import {StrataError} from '../../errors.js';
import {resolveImage} from '../../image/resolve.js';
import type {ImageRecord} from '../../store/image-catalog.js';
import type {Store} from '../../store/store.js';
import type {PlannedStep} from '../build-events.js';
import type {BuildContext} from '../context/build-context.js';
import {expandInstruction} from '../dockerfile/expand-instruction.js';
import {parseTrigger} from '../dockerfile/parse-dockerfile.js';
import type {PlannedStage, StagePlan} from '../dockerfile/plan-stages.js';
import {dockerfileError} from '../dockerfile/problem.js';
import type {Dockerfile, Instruction} from '../dockerfile/types.js';
import {expansionEnv, scratchConfig, type StageState} from './build-state.js';
import type {BuildOptions} from './build-options.js';
import {childConfig} from './child-config.js';
import {configStep} from './config-step.js';
import {copyStep} from './copy-step.js';
import {buildCancelled, runStep} from './run-step.js';
import {StageFiles} from './stage-files.js';
import {findCachedChild} from './step-cache.js';
import type {StepReporter} from './step-reporter.js';
import {workdirLayerTar} from './workdir-layer.js';
import {writeStep} from './write-step.js';
import type {BuildLease} from '../cache/build-lease.js';

type StepResult = {image: ImageRecord; cached: boolean};

/**
 * The classic builder gives a stage whose base has no PATH the default one (moby's
 * dispatchState.setDefaultPath at FROM), so it lands in the config of every step the stage writes.
 */
function withDefaultPath(image: ImageConfig): ImageConfig {
	const env = image.config?.Env ?? [];
	if (env.some(entry => entry.startsWith('PATH='))) return image;
	return {...image, config: {...image.config, Env: [...env, `PATH=${defaultPath}`]}};
}

export class StageBuilder {
	private readonly files: StageFiles;
	/** Finished stages: a stage starts only once those it depends on are here. */
	private readonly stages = new Map<number, StageState>();

	constructor(
		private readonly store: Store,
		private readonly dockerfile: Dockerfile,
		private readonly plan: StagePlan,
		private readonly context: BuildContext,
		private readonly options: BuildOptions,
		private readonly report: StepReporter,
		/** Aborted by the user's cancel or by another stage's failure. */
		private readonly signal: AbortSignal,
		/** Holds the images the build makes or finds, so that a prune elsewhere leaves them alone. */
		private readonly lease?: BuildLease,
	) {
		this.files = new StageFiles(store);
	}

	stage(index: number): StageState {
		return this.stages.get(index)!;
	}

	/** Builds stage `index` whose FROM step is `steps[0]`, followed by its instructions' steps. */
	async buildStage(index: number, steps: PlannedStep[]): Promise<StageState> {
		const planned = this.plan.stages[index]!;
		const from = steps[0]!;
		let state!: StageState;
		let triggers: Array<{step: PlannedStep; instruction: Instruction}> = [];
		await this.step(from.number, async startedAt => {
			state = await this.baseState(planned);
			this.lease?.hold(state.imageId);
			triggers = this.triggers(state, from);
			this.report.done(from.number, startedAt, state.imageId, 0);
		});
		for (const {step, instruction} of triggers) await this.instructionStep(step.number, planned, state, instruction);
		for (const [position, instruction] of planned.stage.instructions.entries()) await this.instructionStep(steps[position + 1]!.number, planned, state, instruction);
		this.stages.set(index, state);
		return state;
	}

	/** Runs `work` as step `number`: started, then done (by `work`), or failed with the error's message. */
	private async step(number: number, work: (startedAt: number) => Promise<void>): Promise<void> {
		if (this.signal.aborted) throw buildCancelled();
		const startedAt = this.report.started(number);
		try {
			await work(startedAt);
		} catch (error) {
			// A cancelled step's container was killed: its exit code is the kill's, nothing to report.
			if (this.signal.aborted) this.report.failed(number, 'cancelled');
			else this.report.failed(number, (error as Error).message, (error as {commandExitCode?: number}).commandExitCode);
			throw error;
		}
	}

	private async instructionStep(number: number, planned: PlannedStage, state: StageState, instruction: Instruction): Promise<void> {
		let exitCode: number | undefined;
		await this.step(number, async startedAt => {
			try {
				const parentLayers = state.image.rootfs.diff_ids.length;
				const {image, cached} = await this.execute(number, planned, state, instruction, code => {
					exitCode = code;
				});
				// A cache hit is held from now on (a step the build wrote was held as it was written).
				this.lease?.hold(image.id);
				state.imageId = image.id;
				state.image = await this.store.config(image);
				if (cached) this.report.cached(number, image.id);
				else this.report.done(number, startedAt, image.id, await this.layerSize(image, parentLayers));
			} catch (error) {
				if (exitCode !== undefined && exitCode !== 0 && error instanceof StrataError) Object.assign(error, {commandExitCode: exitCode});
				throw error;
			}
		});
	}

	/** The size of the layer the step added (0 when it added none). */
	private async layerSize(image: ImageRecord, parentLayers: number): Promise<number> {
		if (image.diffIDs.length <= parentLayers) return 0;
		return (await this.store.layers.index(image.diffIDs.at(-1)!)).size;
	}

	/**
	 * The base image's ONBUILD triggers, parsed and announced as steps; the stage's config forgets them
	 * (Docker clears OnBuild when a stage begins, so they fire once, in the first build FROM the image).
	 */
	private triggers(state: StageState, from: PlannedStep): Array<{step: PlannedStep; instruction: Instruction}> {
		const expressions = state.image.config?.OnBuild ?? [];
		if (expressions.length === 0) return [];
		const line = this.plan.stages[from.stage]!.stage.line;
		const instructions = expressions.map(expression => {
			const instruction = {...parseTrigger(expression, {file: this.dockerfile.file}), line};
			if (instruction.kind === 'COPY' && instruction.from !== undefined) throw dockerfileError(this.dockerfile.file, line, `ONBUILD ${expression}: COPY --from in a trigger is not supported`);
			return instruction;
		});
		state.image = {...state.image, config: {...state.image.config, OnBuild: null}};
		const steps = this.report.added(from, instructions.map(instruction => ({text: instruction.original, line})));
		return steps.map((step, position) => ({step, instruction: instructions[position]!}));
	}

	private async baseState(planned: PlannedStage): Promise<StageState> {
		const buildArgs = this.plan.buildArgs.forStage();
		const base = planned.base;
		if (base.kind === 'scratch') return {image: withDefaultPath(scratchConfig()), buildArgs, cmdSet: false};
		if (base.kind === 'stage') {
			const from = this.stages.get(base.index)!;
			return {imageId: from.imageId, image: structuredClone(from.image), buildArgs, cmdSet: false};
		}
		let record: ImageRecord;
		try {
			record = resolveImage(await this.store.catalog(), base.reference);
		} catch (error) {
			if (error instanceof StrataError) throw dockerfileError(this.dockerfile.file, planned.stage.line, `${error.message} (strata builds only from local images: import or load it first)`);
			throw error;
		}
		return {imageId: record.id, image: withDefaultPath(await this.store.config(record)), buildArgs, cmdSet: false};
	}

	private async execute(number: number, planned: PlannedStage, state: StageState, written: Instruction, onExit: (code: number | undefined) => void): Promise<StepResult> {
		const file = this.dockerfile.file;
		const noCache = this.options.noCache ?? false;
		const instruction = expandInstruction(written, expansionEnv(state), {file, escape: this.dockerfile.directives.escape});
		if (instruction.kind === 'RUN') {
			return runStep(this.store, state, instruction, {
				file,
				network: this.options.network ?? 'host',
				noCache,
				signal: this.signal,
				onContainer: id => this.report.container(number, id),
				onOutput: (stream, line) => this.report.output(number, stream, line),
				onExit,
				lease: this.lease,
			});
		}
		if (instruction.kind === 'COPY' || instruction.kind === 'ADD') {
			let context = this.context;
			if (instruction.kind === 'COPY' && instruction.from !== undefined) {
				const source = planned.copyFrom.find(entry => entry.instruction === written)!.source;
				context = await this.files.context(await this.sourceImage(source, instruction.line));
			}
			const tree = async () => (state.imageId === undefined ? undefined : this.files.tree(state.imageId));
			return copyStep(this.store, state, instruction, {file, context, tree, noCache, lease: this.lease});
		}
		const step = configStep(state, instruction);
		if (!step) throw dockerfileError(file, instruction.line, `${instruction.kind} is not supported`);
		if (instruction.kind !== 'WORKDIR') return this.commitConfig(state, step);
		// Docker 20.10 commits WORKDIR with the directories it made: a layer, not a config-only step.
		const workdir = step.settings.WorkingDir!;
		return this.commitConfig(state, step, async () => {
			try {
				return workdirLayerTar(workdir, state.imageId === undefined ? undefined : await this.files.tree(state.imageId));
			} catch (error) {
				if (error instanceof StrataError) throw dockerfileError(file, instruction.line, error.message);
				throw error;
			}
		});
	}

	/** A step whose config is known up front: found in the cache, or written (with `layer()`'s files, when given). */
	private async commitConfig(state: StageState, step: NonNullable<ReturnType<typeof configStep>>, layer?: () => Promise<Readable | undefined>): Promise<StepResult> {
		if (!this.options.noCache) {
			const probe = childConfig(state.image, {...step, created: ''});
			const cached = await findCachedChild(this.store, state.imageId, probe);
			if (cached) return {image: cached, cached: true};
		}
		return {image: await writeStep(this.store, state, {...step, layer: await layer?.(), label: layer ? 'WORKDIR step' : 'config', lease: this.lease}), cached: false};
	}

	private async sourceImage(source: PlannedStage['copyFrom'][number]['source'], line: number): Promise<Digest> {
		if (source.kind === 'stage') {
			const id = this.stages.get(source.index)?.imageId;
			if (id === undefined) throw dockerfileError(this.dockerfile.file, line, `stage ${source.index} has no files to copy`);
			return id;
		}
		try {
			return resolveImage(await this.store.catalog(), source.reference).id;
		} catch (error) {
			if (error instanceof StrataError) throw dockerfileError(this.dockerfile.file, line, error.message);
			throw error;
		}
	}

	/** `--label`s on the built image: one more config step, as the classic builder adds them. */
	async labelled(state: StageState, labels: Record<string, string>): Promise<StageState> {
		const settings = structuredClone(state.image.config ?? {});
		settings.Labels = {...(settings.Labels ?? {}), ...labels};
		const text = Object.entries(labels).map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(' ');
		const {image} = await this.commitConfig(state, {settings, createdBy: `/bin/sh -c #(nop)  LABEL ${text}`});
		return {...state, imageId: image.id, image: await this.store.config(image)};
	}

	/** A `FROM scratch` stage with no step at all still builds an (empty) image. */
	async emptyImage(state: StageState): Promise<StageState> {
		const image = await this.store.write('build', async tx => {
			const record = await tx.addImage(state.image, []);
			this.lease?.hold(record.id);
			return record;
		});
		return {...state, imageId: image.id};
	}

	cleanUp(): Promise<void> {
		return this.files.cleanUp();
	}
}
