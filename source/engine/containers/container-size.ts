import {lstat, readdir} from 'node:fs/promises';
import {join} from 'node:path';
import {containerFilesystem} from './container-filesystem.js';
import type {ContainerRecord} from './container-record.js';
import type {StoreLocation} from './store-location.js';

/**
 * Bytes in the container's writable layer (Docker's SizeRw): overlay, the files of the upper dir; copy,
 * the files of the copy that are new or differ from the image (size or mtime), as the naive diff sees them.
 */
export async function containerSize(store: StoreLocation, record: ContainerRecord): Promise<number> {
	const filesystem = containerFilesystem(store, record);
	if (filesystem.driver === 'overlay') return treeSize(filesystem.upper, undefined);
	return treeSize(filesystem.rootfs, filesystem.lower);
}

async function treeSize(dir: string, compareWith: string | undefined): Promise<number> {
	let total = 0;
	const entries = await readdir(dir, {withFileTypes: true}).catch(() => []);
	for (const entry of entries) {
		const path = join(dir, entry.name);
		const other = compareWith === undefined ? undefined : join(compareWith, entry.name);
		if (entry.isDirectory()) {
			total += await treeSize(path, other);
			continue;
		}
		if (!entry.isFile()) continue;
		const info = await lstat(path).catch(() => undefined);
		if (!info) continue;
		if (other !== undefined) {
			const before = await lstat(other).catch(() => undefined);
			if (before?.isFile() && before.size === info.size && before.mtimeMs === info.mtimeMs) continue;
		}
		total += info.size;
	}
	return total;
}
