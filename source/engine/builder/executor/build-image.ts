// `docker build` with the classic builder's behaviour: each instruction of the needed stages is a step
// that makes an intermediate image (its parent the previous one, so the next build finds it in the
// cache), RUN in a real container, COPY/ADD as a layer written from the context, everything else in the
// config. The target stage's last image gets the tags; a failing step tags nothing.
import {readFile} from 'node:fs/promises';
import {basename} from 'node:path';
import type {Digest} from '../../digest.js';
import {StrataError} from '../../errors.js';
import {resolveImage} from '../../image/resolve.js';
import {type Operation, operation, type ProgressEvent} from '../../progress.js';
import {fullReference, parseReferenceWithDefaultTag} from '../../reference/reference.js';
import type {ImageRecord} from '../../store/image-catalog.js';
import type {Store} from '../../store/store.js';
import {loadBuildContext, type BuildContext} from '../context/build-context.js';
import {resolveBuildInput} from '../context/dockerfile-location.js';
import {expandInstruction} from '../dockerfile/expand-instruction.js';
import {parseDockerfile} from '../dockerfile/parse-dockerfile.js';
import {planStages, type PlannedStage, type StagePlan} from '../dockerfile/plan-stages.js';
import {dockerfileError} from '../dockerfile/problem.js';
import type {Dockerfile, Instruction} from '../dockerfile/types.js';
import {expansionEnv, scratchConfig, type StageState} from './build-state.js';
import {configStep} from './config-step.js';
import {copyStep} from './copy-step.js';
import {runStep} from './run-step.js';
import {StageFiles} from './stage-files.js';
import {findCachedChild} from './step-cache.js';
import {childConfig} from './child-config.js';
import {writeStep} from './write-step.js';

export interface BuildOptions {
	/** The context directory. */
	contextDir: string;
	/** `-f`: the Dockerfile (relative to `cwd`); default CONTEXT/Dockerfile. */
	dockerfile?: string;
	/** `-t` references. */
	tags?: string[];
	/** `--build-arg` values (undefined: a bare name the environment did not supply). */
	buildArgs?: Record<string, string | undefined>;
	target?: string;
	noCache?: boolean;
	/** `--label`: added to the built image. */
	labels?: Record<string, string>;
	/** RUN's network (default host). */
	network?: 'host' | 'none';
	cwd?: string;
	/** Where `-f -` reads the Dockerfile from. */
	stdin?: NodeJS.ReadableStream;
}

export interface BuildResult {
	id: Digest;
	/** The tags set, as given. */
	tags: string[];
	/** Notes such as unused build args (Docker prints them as warnings). */
	warnings: string[];
}

export function buildImage(store: Store, options: BuildOptions): Operation<BuildResult> {
	return operation(async emit => {
		const references = (options.tags ?? []).map(tag => {
			const reference = parseReferenceWithDefaultTag(tag);
			if (reference.digest) throw new StrataError(`invalid reference format: ${tag} (a tag cannot carry a digest)`);
			return fullReference(reference);
		});
		const input = await resolveBuildInput(options.contextDir, options.dockerfile, {cwd: options.cwd});
		let text: string;
		if (input.dockerfile.kind === 'stdin') {
			if (options.stdin === undefined) throw new StrataError('a Dockerfile from stdin (-f -) needs stdin');
			text = await readAll(options.stdin);
		} else {
			text = await readFile(input.dockerfile.absolute, 'utf8');
		}
		const file = input.dockerfile.kind === 'stdin' ? 'Dockerfile' : basename(input.dockerfile.absolute);
		const dockerfile = parseDockerfile(text, {file});
		const plan = planStages(dockerfile, {target: options.target, buildArgs: options.buildArgs ?? {}});
		const context = await loadBuildContext(input.contextDir, {dockerfilePath: input.dockerfile.kind === 'context' ? input.dockerfile.path : undefined});
		const builder = new StageBuilder(store, dockerfile, plan, context, options, emit);
		let final: StageState;
		try {
			final = await builder.buildAll();
			if (options.labels && Object.keys(options.labels).length > 0) final = await builder.labelled(final, options.labels);
			if (final.imageId === undefined) final = await builder.emptyImage(final);
		} finally {
			await builder.cleanUp();
		}
		const id = final.imageId!;
		if (references.length > 0) {
			await store.write('build', async tx => {
				if (!tx.catalog.records.has(id)) throw new StrataError(`the built image ${id} disappeared before it was tagged`);
				for (const reference of references) tx.setTag(reference, id);
			});
		}
		const warnings = [...dockerfile.warnings];
		if (plan.unusedBuildArgs.length > 0) warnings.push(`[Warning] One or more build-args [${plan.unusedBuildArgs.join(' ')}] were not consumed`);
		return {id, tags: options.tags ?? [], warnings};
	});
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
	return Buffer.concat(chunks).toString('utf8');
}

class StageBuilder {
	private readonly files: StageFiles;
	private readonly stages = new Map<number, StageState>();
	private readonly total: number;
	private step = 0;

	constructor(
		private readonly store: Store,
		private readonly dockerfile: Dockerfile,
		private readonly plan: StagePlan,
		private readonly context: BuildContext,
		private readonly options: BuildOptions,
		private readonly emit: (event: ProgressEvent) => void,
	) {
		this.files = new StageFiles(store);
		this.total = plan.order.reduce((sum, index) => sum + 1 + plan.stages[index]!.stage.instructions.length, 0);
	}

	async buildAll(): Promise<StageState> {
		for (const index of this.plan.order) this.stages.set(index, await this.buildStage(this.plan.stages[index]!));
		return this.stages.get(this.plan.target)!;
	}

	private announce(text: string): void {
		this.step += 1;
		this.emit({kind: 'step', message: `Step ${this.step}/${this.total} : ${text}`});
	}

	private done(image: ImageRecord | Digest, cached: boolean): void {
		if (cached) this.emit({kind: 'step', message: ' ---> Using cache'});
		const id = typeof image === 'string' ? image : image.id;
		this.emit({kind: 'step', message: ` ---> ${id.slice(7, 19)}`});
	}

	private async buildStage(planned: PlannedStage): Promise<StageState> {
		this.announce(planned.stage.original);
		const state = await this.baseState(planned);
		if (state.imageId) this.done(state.imageId, false);
		for (const instruction of planned.stage.instructions) {
			this.announce(instruction.original);
			const {image, cached} = await this.execute(planned, state, instruction);
			state.imageId = image.id;
			state.image = await this.store.config(image);
			this.done(image, cached);
		}
		return state;
	}

	private async baseState(planned: PlannedStage): Promise<StageState> {
		const buildArgs = this.plan.buildArgs.forStage();
		const base = planned.base;
		if (base.kind === 'scratch') return {image: scratchConfig(), buildArgs, cmdSet: false};
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
		return {imageId: record.id, image: await this.store.config(record), buildArgs, cmdSet: false};
	}

	private async execute(planned: PlannedStage, state: StageState, written: Instruction): Promise<{image: ImageRecord; cached: boolean}> {
		const file = this.dockerfile.file;
		const noCache = this.options.noCache ?? false;
		const instruction = expandInstruction(written, expansionEnv(state), {file, escape: this.dockerfile.directives.escape});
		if (instruction.kind === 'RUN') return runStep(this.store, state, instruction, {file, network: this.options.network ?? 'host', noCache, emit: this.emit});
		if (instruction.kind === 'COPY' || instruction.kind === 'ADD') {
			const lower = state.imageId === undefined ? undefined : await this.files.root(state.imageId);
			let context = this.context;
			if (instruction.kind === 'COPY' && instruction.from !== undefined) {
				const source = planned.copyFrom.find(entry => entry.instruction === written)!.source;
				context = await this.files.context(await this.sourceImage(source, instruction.line));
			}
			return copyStep(this.store, state, instruction, {file, context, lower, noCache});
		}
		const step = configStep(state, instruction);
		if (!step) throw dockerfileError(file, instruction.line, `${instruction.kind} is not supported`);
		return this.commitConfig(state, step);
	}

	private async commitConfig(state: StageState, step: NonNullable<ReturnType<typeof configStep>>): Promise<{image: ImageRecord; cached: boolean}> {
		if (!this.options.noCache) {
			const probe = childConfig(state.image, {...step, created: ''});
			const cached = await findCachedChild(this.store, state.imageId, probe);
			if (cached) return {image: cached, cached: true};
		}
		return {image: await writeStep(this.store, state, {...step, label: 'config'}), cached: false};
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

	cleanUp(): Promise<void> {
		return this.files.cleanUp();
	}

	/** A `FROM scratch` stage with no step at all still builds an (empty) image. */
	async emptyImage(state: StageState): Promise<StageState> {
		const image = await this.store.write('build', tx => tx.addImage(state.image, []));
		return {...state, imageId: image.id};
	}
}
