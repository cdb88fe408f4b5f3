// RUN: a container from the current image runs the command (the stage's shell for the shell form), its
// output comes back line by line, and its file changes become the step's layer, as `commit` makes one.
// Aborting the build's signal kills the container (it is removed either way).
import {createInterface} from 'node:readline';
import {containerFilesystem} from '../../containers/container-filesystem.js';
import {createContainer} from '../../containers/create.js';
import {filesystemLayerEntries} from '../../containers/diff-filesystem.js';
import {diffLayerTar} from '../../containers/diff-layer.js';
import {removeContainer} from '../../containers/remove.js';
import {newContainerId} from '../../containers/container-names.js';
import {launchSupervisorAhead, startContainer} from '../../containers/start.js';
import {killContainer} from '../../containers/stop.js';
import {StrataError} from '../../errors.js';
import {drain} from '../../progress.js';
import type {ImageRecord} from '../../store/image-catalog.js';
import type {Store} from '../../store/store.js';
import {dockerfileError} from '../dockerfile/problem.js';
import type {RunInstruction} from '../dockerfile/types.js';
import type {StageState} from './build-state.js';
import {childConfig} from './child-config.js';
import {runCommand} from './heredoc-run.js';
import {findCachedChild} from './step-cache.js';
import {writeStep} from './write-step.js';
import type {BuildLease} from '../cache/build-lease.js';

export interface RunStepOptions {
	file: string;
	network: 'host' | 'none';
	noCache: boolean;
	/** The container it runs in, once created (Docker's ` ---> Running in 3f2a...`). */
	onContainer?: (id: string) => void;
	/** Each line of its output, without the newline. */
	onOutput?: (stream: 'stdout' | 'stderr', line: string) => void;
	/** The command's exit code, once it exited (a failing step's step-failed carries it). */
	onExit?: (code: number | undefined) => void;
	/** Aborted: the container is killed and the step throws StrataError('build cancelled'). */
	signal?: AbortSignal;
	/** The build's lease on its images (write-step.ts). */
	lease?: BuildLease;
}

export const buildCancelled = () => new StrataError('build cancelled');

/** The history text of a RUN: its argv, after `|N k=v ...` when build args are in its environment. */
export function runCreatedBy(argv: readonly string[], buildArgEnv: readonly string[]): string {
	const prefix = buildArgEnv.length > 0 ? `|${buildArgEnv.length} ${buildArgEnv.join(' ')} ` : '';
	return prefix + argv.join(' ');
}

/** The image the RUN made (or found in the cache, `cached` true). */
export async function runStep(store: Store, state: StageState, instruction: RunInstruction, options: RunStepOptions): Promise<{image: ImageRecord; cached: boolean}> {
	const settings = structuredClone(state.image.config ?? {});
	const {argv, shown, display} = runCommand(settings, instruction);
	const buildArgEnv = state.buildArgs.filterAllowed(settings.Env ?? []);
	const createdBy = runCreatedBy(shown, buildArgEnv);
	if (!options.noCache) {
		const probe = childConfig(state.image, {settings, createdBy, created: ''});
		const cached = await findCachedChild(store, state.imageId, probe);
		if (cached) return {image: cached, cached: true};
	}
	if (state.imageId === undefined) throw dockerfileError(options.file, instruction.line, `${instruction.original}: there is no image to run it in (FROM scratch)`);
	if (options.signal?.aborted) throw buildCancelled();
	const network = instruction.network === 'none' ? 'none' : instruction.network === 'host' ? 'host' : options.network;
	// The supervisor's Node start-up overlaps the create (which unpacks the image), as `strata run` does.
	const id = newContainerId();
	const supervisor = launchSupervisorAhead(store, id, {mode: 'attached'});
	const record = await drain(
		createContainer(store, {id, image: state.imageId, command: argv, entrypoint: '', env: buildArgEnv, workdir: settings.WorkingDir || undefined, user: settings.User || undefined, network}),
	).catch(error => {
		supervisor.cancel();
		throw error;
	});
	// A kill before the container runs fails (not running): it is checked again once it started.
	const kill = () => void killContainer(store, record.id).catch(() => {});
	options.signal?.addEventListener('abort', kill, {once: true});
	try {
		options.onContainer?.(record.id);
		if (options.signal?.aborted) {
			supervisor.cancel();
			throw buildCancelled();
		}
		const started = await startContainer(store, record.id, {mode: 'attached', supervisor});
		if (options.signal?.aborted) kill();
		const output = options.onOutput ?? (() => {});
		const forwarded = started.output ? [forwardLines(started.output.stdout, line => output('stdout', line)), forwardLines(started.output.stderr, line => output('stderr', line))] : [];
		const code = await started.exited;
		await Promise.all(forwarded);
		options.onExit?.(code);
		if (options.signal?.aborted) throw buildCancelled();
		if (code !== 0) {
			throw dockerfileError(options.file, instruction.line, `The command '${display}' returned a non-zero code: ${code ?? 'unknown'}`);
		}
		const entries = await filesystemLayerEntries(containerFilesystem(store, record), new Date());
		const image = await writeStep(store, state, {settings, createdBy, layer: entries.length > 0 ? diffLayerTar(entries) : undefined, label: `RUN step (line ${instruction.line})`, lease: options.lease});
		await removeContainer(store, record.id, {force: true});
		return {image, cached: false};
	} catch (error) {
		// Unlike Docker (which keeps it unless --force-rm), a failed step's container is removed too.
		await removeContainer(store, record.id, {force: true}).catch(() => {});
		throw error;
	} finally {
		options.signal?.removeEventListener('abort', kill);
	}
}

async function forwardLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): Promise<void> {
	for await (const line of createInterface({input: stream, crlfDelay: Number.POSITIVE_INFINITY})) onLine(line);
}
