import {OciRuntime} from '../runtime/oci-runtime.js';
import {unmountFilesystem} from './container-filesystem.js';
import type {ContainerRecord, ContainerState} from './container-record.js';
import {writeState} from './state-file.js';
import type {StoreLocation} from './store-location.js';

/**
 * A container whose supervisor died may still have processes and a mount: kill what the runtime still
 * has of it, unmount, and record it `dead` for good (with when it was found so). The caller holds the
 * container's lock.
 */
export async function cleanUpAfterDeadSupervisor(store: StoreLocation, record: ContainerRecord, state: ContainerState): Promise<void> {
	try {
		await OciRuntime.resolve(store.paths, record.hostConfig.runtime).forceDelete(record.id);
	} catch {
		// The runtime is gone too: nothing of it can be left running.
	}
	await unmountFilesystem(store, record);
	await writeState(store, record.id, {...state, status: 'dead', pid: undefined, supervisorPid: undefined, finishedAt: state.finishedAt ?? new Date().toISOString()});
}
