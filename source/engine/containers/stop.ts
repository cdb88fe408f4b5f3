import {StrataError} from '../errors.js';
import {OciRuntime} from '../runtime/oci-runtime.js';
import type {Store} from '../store/store.js';
import {withContainerLock} from './container-lock.js';
import type {ContainerRecord} from './container-record.js';
import {readContainer} from './container-store.js';
import {cleanUpAfterDeadSupervisor} from './dead-container.js';
import {observedState} from './observed-state.js';
import {isActive, waitForExit} from './wait.js';

/** `docker kill -s` names: `KILL`, `SIGKILL`, `9`. Returns the runtime's spelling (`KILL`, `9`). */
export function normalizeSignal(signal: string): string {
	const name = signal.toUpperCase().replace(/^SIG/, '');
	if (!/^(\d+|[A-Z0-9+-]+)$/.test(name)) throw new StrataError(`invalid signal: ${signal}`);
	return name;
}

/**
 * `docker stop`: the stop signal (the image's StopSignal, else SIGTERM), then SIGKILL after `timeoutSeconds`;
 * returns once the exit is recorded. Stopping a container that is not running is an error naming its state
 * (podman's wording); a dead one (supervisor gone) has its leftovers killed and unmounted instead.
 */
export async function stopContainer(store: Store, nameOrId: string, options: {timeoutSeconds?: number} = {}): Promise<ContainerRecord> {
	const {record, state} = await readContainer(store, nameOrId);
	if (state.status === 'dead') {
		await withContainerLock(store, record.id, 'stop', () => cleanUpAfterDeadSupervisor(store, record, state));
		return record;
	}
	if (!isActive(state)) throw new StrataError(`can only stop running containers: ${record.name} is in state ${state.status}`);
	const runtime = OciRuntime.resolve(store.paths, record.hostConfig.runtime);
	const timeoutSeconds = options.timeoutSeconds ?? 10;
	await runtime.kill(record.id, normalizeSignal(record.config.StopSignal ?? 'SIGTERM'));
	try {
		await waitForExit(store, record.id, Math.max(0, timeoutSeconds) * 1000);
		return record;
	} catch {
		// Did not stop in time: Docker's answer is SIGKILL.
	}
	await runtime.kill(record.id, 'KILL');
	await waitForExit(store, record.id, 30_000);
	return record;
}

/** `docker kill -s SIG`: signals the container's init; an error when it is not running. */
export async function killContainer(store: Store, nameOrId: string, signal = 'KILL'): Promise<ContainerRecord> {
	const {record, state} = await readContainer(store, nameOrId);
	const name = normalizeSignal(signal);
	if (state.status === 'dead') {
		await withContainerLock(store, record.id, 'kill', () => cleanUpAfterDeadSupervisor(store, record, state));
		return record;
	}
	if (!isActive(state)) throw new StrataError(`Cannot kill container: ${record.name}: container ${record.id} is not running`);
	const runtime = OciRuntime.resolve(store.paths, record.hostConfig.runtime);
	if (!(await runtime.kill(record.id, name))) {
		// The runtime no longer has it: it exited while we looked; anything else is the runtime's failure.
		if (isActive(await observedState(store, record.id))) await runtime.exec(['kill', record.id, name], `Cannot kill container: ${record.name}`);
	}
	if (name === 'KILL' || name === '9') await waitForExit(store, record.id, 30_000);
	return record;
}
