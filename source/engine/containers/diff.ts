import type {Store} from '../store/store.js';
import {containerFilesystem} from './container-filesystem.js';
import {readContainer} from './container-store.js';
import type {ContainerChange} from './diff-entry.js';
import {filesystemChanges} from './diff-filesystem.js';

export type {ContainerChange} from './diff-entry.js';

/**
 * `docker diff`: what the container added (A), changed (C) and deleted (D) against its image, parents
 * before children. Read from the container's files whether it runs or not; init files never appear.
 */
export async function containerDiff(store: Store, nameOrId: string): Promise<ContainerChange[]> {
	const {record} = await readContainer(store, nameOrId);
	return filesystemChanges(containerFilesystem(store, record));
}
