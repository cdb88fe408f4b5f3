// `docker build` with the classic builder's behaviour (intermediate images, its cache, its history) and
// BuildKit's scheduling (independent stages at once). The build reports structured events (plan, then
// each step's start, output, cache hit or result); the target stage's last image gets the tags; a failing
// or cancelled build tags nothing.
import {readFile} from 'node:fs/promises';
import {basename} from 'node:path';
import type {Digest} from '../../digest.js';
import {StrataError} from '../../errors.js';
import {type Operation, operation} from '../../progress.js';
import {fullReference, parseReferenceWithDefaultTag} from '../../reference/reference.js';
import type {Store} from '../../store/store.js';
import {BuildLease} from '../cache/build-lease.js';
import {ContextSumCache} from '../cache/context-sum-cache.js';
import {loadBuildContext} from '../context/build-context.js';
import {resolveBuildInput} from '../context/dockerfile-location.js';
import {parseDockerfile} from '../dockerfile/parse-dockerfile.js';
import {planStages} from '../dockerfile/plan-stages.js';
import type {BuildOptions, BuildResult} from './build-options.js';
import {buildPlan} from './build-plan.js';
import {buildCancelled} from './run-step.js';
import {StageBuilder} from './stage-builder.js';
import {runStageGraph} from './stage-schedule.js';
import type {StageState} from './build-state.js';
import {StepReporter} from './step-reporter.js';

export type {BuildOptions, BuildResult} from './build-options.js';

export const pullNote = '--pull: strata builds from local images only; nothing pulled';

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
		// The sums of files unchanged since the last build of this directory: COPY does not read them again.
		const sums = await ContextSumCache.load(store.paths, context);
		const report = new StepReporter(emit);
		const steps = buildPlan(plan);
		report.plan(file, steps);
		if (options.pull) report.note(pullNote);

		// Aborted by the caller's signal, or by the first failing stage (which stops the others).
		const stop = new AbortController();
		const cancel = () => stop.abort();
		if (options.signal?.aborted) cancel();
		options.signal?.addEventListener('abort', cancel, {once: true});
		// Until it is tagged, what the build makes is untagged: a prune in another process must leave it alone.
		const lease = BuildLease.take(store.paths);
		const builder = new StageBuilder(store, dockerfile, plan, context, options, report, stop.signal, lease);
		let final: StageState;
		try {
			await runStageGraph(
				{order: plan.order, dependencies: index => plan.stages[index]!.dependencies},
				async index => {
					const numbers = steps.stages.find(stage => stage.index === index)!.steps;
					await builder.buildStage(index, numbers.map(number => steps.steps[number - 1]!));
				},
				cancel,
				error => error instanceof StrataError && error.message === 'build cancelled',
			);
			final = builder.stage(plan.target);
			if (options.signal?.aborted) throw buildCancelled();
			if (options.labels && Object.keys(options.labels).length > 0) final = await builder.labelled(final, options.labels);
			if (final.imageId === undefined) final = await builder.emptyImage(final);
		} catch (error) {
			lease.release();
			// Whatever the cancel made fail (a killed container, a removed one), the build was cancelled.
			throw options.signal?.aborted ? buildCancelled() : error;
		} finally {
			options.signal?.removeEventListener('abort', cancel);
			await builder.cleanUp();
			await sums.save();
		}
		const id = final.imageId!;
		try {
			if (references.length > 0 && !(await alreadyTagged(store, id, references))) {
				await store.write('build', async tx => {
					if (!tx.catalog.records.has(id)) throw new StrataError(`the built image ${id} disappeared before it was tagged`);
					for (const reference of references) if (tx.catalog.tags.get(reference) !== id) tx.setTag(reference, id);
				});
			}
		} finally {
			lease.release();
		}
		const warnings = [...dockerfile.warnings];
		if (plan.unusedBuildArgs.length > 0) warnings.push(`[Warning] One or more build-args [${plan.unusedBuildArgs.join(' ')}] were not consumed`);
		return {id, tags: options.tags ?? [], warnings};
	});
}

/**
 * Whether every tag already names the image: then a rebuild writes nothing (saving the catalog, its fsyncs
 * and a garbage collection were a good part of a no-op rebuild's time).
 */
async function alreadyTagged(store: Store, id: Digest, references: readonly string[]): Promise<boolean> {
	const catalog = await store.catalog();
	return catalog.records.has(id) && references.every(reference => catalog.tags.get(reference) === id);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
	return Buffer.concat(chunks).toString('utf8');
}
