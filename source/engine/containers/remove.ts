import {digestHex} from '../digest.js';
import {StrataError} from '../errors.js';
import {OciRuntime} from '../runtime/oci-runtime.js';
import type {Store} from '../store/store.js';
import {withContainerLock} from './container-lock.js';
import {containerSize} from './container-size.js';
import type {ContainerRecord} from './container-record.js';
import {listContainers, readContainer} from './container-store.js';
import {cleanUpAfterDeadSupervisor} from './dead-container.js';
import {deleteContainerFiles} from './delete-files.js';
import {observedState} from './observed-state.js';
import {sweepUnpackedImages} from './unpacked-image.js';
import {isActive, waitForExit} from './wait.js';

/**
 * `docker rm [-f]`: a running container needs force (then it is killed first); a dead one has its
 * leftovers killed. The image's unpacked root goes when no container needs it and the image is gone.
 */
export async function removeContainer(store: Store, nameOrId: string, options: {force?: boolean} = {}): Promise<ContainerRecord> {
	const {record, state} = await readContainer(store, nameOrId);
	if (isActive(state)) {
		if (!options.force) {
			throw new StrataError(`You cannot remove a running container ${record.id}. Stop the container before attempting removal or force remove`);
		}
		await OciRuntime.resolve(store.paths, record.hostConfig.runtime).kill(record.id, 'KILL');
		// Never under the lock: the supervisor takes it to record the exit. With --rm it removes the container itself.
		if ((await waitForExit(store, record.id, 30_000)) === undefined) return record;
	}
	await withContainerLock(store, record.id, 'rm', async () => {
		const current = await observedState(store, record.id);
		if (isActive(current)) throw new StrataError(`container ${record.name} was started again while being removed`);
		if (current.status === 'dead') await cleanUpAfterDeadSupervisor(store, record, current);
		await deleteContainerFiles(store, record);
	}).catch(error => {
		// Removed by someone else meanwhile (its own --rm): the result is the one asked for.
		if (error instanceof StrataError && error.message.startsWith('No such container')) return;
		throw error;
	});
	await sweepUnused(store);
	return record;
}

/** `docker container prune`: removes every container that is not running; returns them with the bytes freed. */
export async function pruneContainers(store: Store): Promise<{removed: ContainerRecord[]; spaceReclaimed: number}> {
	const removed: ContainerRecord[] = [];
	let spaceReclaimed = 0;
	for (const {record, state} of await listContainers(store)) {
		if (isActive(state)) continue;
		const size = await containerSize(store, record).catch(() => 0);
		try {
			await removeContainer(store, record.id);
			removed.push(record);
			spaceReclaimed += size;
		} catch (error) {
			// Started meanwhile: prune skips it, like Docker.
			if (!(error instanceof StrataError)) throw error;
		}
	}
	return {removed, spaceReclaimed};
}

async function sweepUnused(store: Store): Promise<void> {
	const used = new Set((await listContainers(store)).map(container => digestHex(container.record.image)));
	await sweepUnpackedImages(store, used);
}
