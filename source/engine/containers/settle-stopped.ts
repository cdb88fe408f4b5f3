import {unmountFilesystem} from './container-filesystem.js';
import type {ContainerRecord, ContainerState} from './container-record.js';
import {deleteContainerFiles} from './delete-files.js';
import {writeState} from './state-file.js';
import type {StoreLocation} from './store-location.js';

/**
 * A container whose process is gone, or never started: unmount its root file system and record `state`,
 * or remove the container when it was made with --rm (Docker removes one whose start failed too).
 * The caller holds the container's lock.
 */
export async function settleStoppedContainer(store: StoreLocation, record: ContainerRecord, state: ContainerState): Promise<void> {
	// deleteContainerFiles unmounts first.
	if (record.hostConfig.autoRemove) return deleteContainerFiles(store, record);
	await unmountFilesystem(store, record);
	await writeState(store, record.id, state);
}
