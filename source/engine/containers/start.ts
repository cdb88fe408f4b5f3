import {StrataError} from '../errors.js';
import {OciRuntime} from '../runtime/oci-runtime.js';
import {type LaunchedSupervisor, launchSupervisor} from '../runtime/supervisor-launch.js';
import type {StartReport, SupervisorMode} from '../runtime/supervisor-protocol.js';
import type {Store} from '../store/store.js';
import {writeBundle} from '../runtime/bundle.js';
import {unmountFilesystem} from './container-filesystem.js';
import type {ContainerRecord, ContainerState} from './container-record.js';
import {withContainerLock} from './container-lock.js';
import {readContainer} from './container-store.js';
import {cleanUpAfterDeadSupervisor} from './dead-container.js';
import {observedState} from './observed-state.js';
import {settleStoppedContainer} from './settle-stopped.js';
import {writeState} from './state-file.js';

export type StartOptions = {
	/** detached (default): runs on after we exit; attached: output on our stdout/stderr; tty: a terminal (needs ours to be one). */
	mode?: SupervisorMode;
	/** Give the container our stdin (`-i`). Detached, `-i` keeps its stdin open instead (nothing is written to it). */
	stdin?: boolean;
	/** A supervisor launchSupervisorAhead started for this container with these same options; else one is launched now. */
	supervisor?: LaunchedSupervisor;
};

export type StartedContainer = {
	record: ContainerRecord;
	/** The container's init process on the host. */
	pid: number;
	/** The supervisor's pid (signal it to signal the container: it forwards to the runtime). */
	supervisorPid: number;
	/**
	 * Attached and tty: the container's exit code once it exited and was recorded (and removed with
	 * --rm). Detached: resolves undefined right away (use waitContainer).
	 */
	exited: Promise<number | undefined>;
	/** Attached: the container's output, to be copied to ours; both end when it exited. */
	output?: {stdout: NodeJS.ReadableStream; stderr: NodeJS.ReadableStream};
};

/**
 * Launches the supervisor of a start with `options` before container `id` exists: its Node start-up
 * (the larger part of a start) then overlaps the caller's work, such as `run`'s create. Hand it to
 * startContainer as `options.supervisor`, or cancel it.
 */
export function launchSupervisorAhead(store: Store, id: string, options: StartOptions = {}): LaunchedSupervisor {
	const mode = options.mode ?? 'detached';
	return launchSupervisor(store.root, id, mode, options.stdin ? (mode === 'detached' ? 'hold' : 'inherit') : 'none');
}

/**
 * Starts a created or stopped container under a new supervisor and returns once it runs. A command
 * that cannot start is a StrataError with Docker's exit code (127 not found, 126 not executable, 125
 * a runtime failure with the runtime's message); the container stays, `created` with the error.
 */
export async function startContainer(store: Store, nameOrId: string, options: StartOptions = {}): Promise<StartedContainer> {
	const mode = options.mode ?? 'detached';
	let supervisor = options.supervisor;
	let report: StartReport | undefined;
	try {
		const {record} = await readContainer(store, nameOrId);
		// Checked before anything is spawned: a missing runtime is the user's to fix.
		OciRuntime.resolve(store.paths, record.hostConfig.runtime);
		await withContainerLock(store, record.id, 'start', async () => {
			const state = await observedState(store, record.id);
			if (state.status === 'running' || state.status === 'paused') throw new StrataError(`container ${record.name} is already running`);
			if (state.status === 'dead') await cleanUpAfterDeadSupervisor(store, record, state);
			const previous: ContainerState = {...state, status: 'created', pid: undefined, supervisorPid: undefined, error: undefined};
			// A new container's state is this already: no write (and fsync) for nothing.
			if (JSON.stringify(previous) !== JSON.stringify(state)) await writeState(store, record.id, previous);
			supervisor ??= launchSupervisorAhead(store, record.id, options);
			// The bundle is made here, while the supervisor's Node starts, not by the supervisor after it.
			const {problem} = await writeBundle(store, record, {terminal: mode === 'tty'}).catch(async error => {
				await unmountFilesystem(store, record).catch(() => {});
				throw error;
			});
			if (problem) {
				// Docker's way: the container stays (created, or exited if it ran before) with the error, or goes with --rm.
				await settleStoppedContainer(store, record, {...previous, status: previous.startedAt ? 'exited' : 'created', exitCode: problem.exitCode, finishedAt: new Date().toISOString(), error: problem.message});
				throw new StrataError(problem.message, problem.exitCode);
			}
			report = await supervisor.start();
		});
		return await started(record, mode, supervisor!, report);
	} catch (error) {
		// A supervisor launched ahead that never got its container must not wait for one.
		if (report === undefined) supervisor?.cancel();
		throw error;
	}
}

async function started(record: ContainerRecord, mode: SupervisorMode, supervisor: LaunchedSupervisor, report: StartReport | undefined): Promise<StartedContainer> {
	const exitCode = new Promise<number>(resolve => {
		if (supervisor.child.exitCode !== null) resolve(supervisor.child.exitCode);
		else supervisor.child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 0)));
	});
	if (!report || 'failed' in report) {
		// The supervisor records the failure and cleans up (removes the container for --rm) before it exits.
		await exitCode;
		if (!report) throw new StrataError(`container ${record.name}: its supervisor exited before starting it (exit code ${supervisor.child.exitCode ?? 'unknown'})`, 125);
		throw new StrataError(report.failed, report.exitCode);
	}
	if (mode === 'detached') {
		supervisor.child.unref();
		return {record, pid: report.started, supervisorPid: supervisor.child.pid!, exited: Promise.resolve(undefined)};
	}
	const {stdout, stderr} = supervisor.child;
	const output = mode === 'attached' && stdout && stderr ? {stdout, stderr} : undefined;
	return {record, pid: report.started, supervisorPid: supervisor.child.pid!, exited: exitCode, output};
}
