import {StrataError} from '../errors.js';
import {StoreLock} from '../store/lock.js';
import {ContainerPaths} from './container-paths.js';
import type {StoreLocation} from './store-location.js';

/**
 * Runs `work` as the only one changing this container's mounts and lifecycle (start, the supervisor's
 * cleanup at exit, rm, withRootfs users such as export): a lock file in the container's dir holding the
 * owner's pid, taken over when that owner died. Never held while waiting for the container to exit.
 */
export async function withContainerLock<T>(store: StoreLocation, id: string, command: string, work: () => Promise<T>, options: {timeoutMs?: number} = {}): Promise<T> {
	let lock: StoreLock;
	try {
		lock = await StoreLock.acquire(`${new ContainerPaths(store.paths).dir(id)}/lock`, {command, timeoutMs: options.timeoutMs});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') throw new StrataError(`No such container: ${id}`);
		if (error instanceof StrataError) throw new StrataError(`container ${id.slice(0, 12)} is busy: ${error.message.replace(/^store \S+ is locked by /, 'used by ')}`);
		throw error;
	}
	try {
		return await work();
	} finally {
		await lock.release();
	}
}
