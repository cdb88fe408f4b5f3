import {rename, rm} from 'node:fs/promises';
import {join} from 'node:path';
import {ContainerPaths} from './container-paths.js';
import type {ContainerRecord} from './container-record.js';
import {unmountFilesystem} from './container-filesystem.js';
import type {StoreLocation} from './store-location.js';

/**
 * Deletes a stopped container's files: unmount, then rename the dir out of sight (readers never see a
 * half-deleted container; a crash leaves a `.removing-` dir the next create sweeps), then delete it.
 * The caller holds the container's lock.
 */
export async function deleteContainerFiles(store: StoreLocation, record: ContainerRecord): Promise<void> {
	const paths = new ContainerPaths(store.paths);
	await unmountFilesystem(store, record);
	const doomed = join(paths.containers, `.removing-${process.pid}-${record.id}`);
	try {
		await rename(paths.dir(record.id), doomed);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
		throw error;
	}
	await rm(doomed, {recursive: true, force: true, maxRetries: 3});
}
