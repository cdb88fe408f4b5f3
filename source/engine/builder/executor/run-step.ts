// RUN: a container from the current image runs the command (the stage's shell for the shell form), its
// output comes back as log events, and its file changes become the step's layer, as `commit` makes one.
import {createInterface} from 'node:readline';
import {containerFilesystem} from '../../containers/container-filesystem.js';
import {createContainer} from '../../containers/create.js';
import {filesystemLayerEntries} from '../../containers/diff-filesystem.js';
import {diffLayerTar} from '../../containers/diff-layer.js';
import {removeContainer} from '../../containers/remove.js';
import {startContainer} from '../../containers/start.js';
import {drain, type ProgressEvent} from '../../progress.js';
import type {ImageRecord} from '../../store/image-catalog.js';
import type {Store} from '../../store/store.js';
import {dockerfileError} from '../dockerfile/problem.js';
import type {RunInstruction} from '../dockerfile/types.js';
import type {StageState} from './build-state.js';
import {childConfig} from './child-config.js';
import {commandArgv} from './config-step.js';
import {findCachedChild} from './step-cache.js';
import {writeStep} from './write-step.js';

export interface RunStepOptions {
	file: string;
	network: 'host' | 'none';
	noCache: boolean;
	emit: (event: ProgressEvent) => void;
}

/** The history text of a RUN: its argv, after `|N k=v ...` when build args are in its environment. */
export function runCreatedBy(argv: readonly string[], buildArgEnv: readonly string[]): string {
	const prefix = buildArgEnv.length > 0 ? `|${buildArgEnv.length} ${buildArgEnv.join(' ')} ` : '';
	return prefix + argv.join(' ');
}

/** The image the RUN made (or found in the cache, `cached` true). */
export async function runStep(store: Store, state: StageState, instruction: RunInstruction, options: RunStepOptions): Promise<{image: ImageRecord; cached: boolean}> {
	const settings = structuredClone(state.image.config ?? {});
	const argv = commandArgv(settings, instruction);
	const buildArgEnv = state.buildArgs.filterAllowed(settings.Env ?? []);
	const createdBy = runCreatedBy(argv, buildArgEnv);
	if (!options.noCache) {
		const probe = childConfig(state.image, {settings, createdBy, created: ''});
		const cached = await findCachedChild(store, state.imageId, probe);
		if (cached) return {image: cached, cached: true};
	}
	if (state.imageId === undefined) throw dockerfileError(options.file, instruction.line, `${instruction.original}: there is no image to run it in (FROM scratch)`);
	const network = instruction.network === 'none' ? 'none' : instruction.network === 'host' ? 'host' : options.network;
	const record = await drain(
		createContainer(store, {image: state.imageId, command: argv, entrypoint: '', env: buildArgEnv, workdir: settings.WorkingDir || undefined, user: settings.User || undefined, network}),
	);
	try {
		options.emit({kind: 'step', message: ` ---> Running in ${record.id.slice(0, 12)}`});
		const started = await startContainer(store, record.id, {mode: 'attached'});
		const forwarded = started.output ? [forwardLines(started.output.stdout, options.emit), forwardLines(started.output.stderr, options.emit)] : [];
		const code = await started.exited;
		await Promise.all(forwarded);
		if (code !== 0) {
			throw dockerfileError(options.file, instruction.line, `The command '${argv.join(' ')}' returned a non-zero code: ${code ?? 'unknown'}`);
		}
		const entries = await filesystemLayerEntries(containerFilesystem(store, record), new Date());
		const image = await writeStep(store, state, {settings, createdBy, layer: entries.length > 0 ? diffLayerTar(entries) : undefined, label: `RUN step (line ${instruction.line})`});
		await removeContainer(store, record.id, {force: true});
		options.emit({kind: 'step', message: `Removing intermediate container ${record.id.slice(0, 12)}`});
		return {image, cached: false};
	} catch (error) {
		// Unlike Docker (which keeps it unless --force-rm), a failed step's container is removed too.
		await removeContainer(store, record.id, {force: true}).catch(() => {});
		throw error;
	}
}

async function forwardLines(stream: NodeJS.ReadableStream, emit: (event: ProgressEvent) => void): Promise<void> {
	for await (const line of createInterface({input: stream, crlfDelay: Number.POSITIVE_INFINITY})) emit({kind: 'log', message: line});
}
