// WORKDIR's layer. Docker 20.10's classic builder makes the directory in a container and commits it
// (moby builder/dockerfile/dispatchers.go dispatchWorkdir: "for performance reasons, we explicitly do a
// create/mkdir now"), so the step has a layer: the directories it created (root-owned, 0755) after the
// existing ancestors they were created in (an overlay copies those up, and Docker's diff records them).
// When the whole path exists the diff is empty, and Docker's commit records an empty layer: no layer.
import {posix} from 'node:path';
import type {Readable} from 'node:stream';
import {StrataError} from '../../errors.js';
import {createLayerTarPacker} from '../../layer/tar-packer.js';
import type {ImageTree} from './image-tree.js';

/** The layer for `WORKDIR directory` (absolute) on the image `tree` (undefined: scratch); undefined when it exists. */
export function workdirLayerTar(directory: string, tree: ImageTree | undefined): Readable | undefined {
	const components = directory.split('/').filter(Boolean);
	const entries: Array<{path: string; mode: number; uid: number; gid: number}> = [];
	let created = false;
	for (let depth = 1; depth <= components.length; depth++) {
		const path = components.slice(0, depth).join('/');
		const stats = tree?.lstat(path);
		if (stats === undefined) {
			created = true;
			entries.push({path, mode: 0o755, uid: 0, gid: 0});
			continue;
		}
		// A symlink is followed by the daemon's MkdirAll; strata leaves such a path as it is (no layer entries).
		if (stats.type === 'symlink') return undefined;
		if (stats.type !== 'dir') throw new StrataError(`WORKDIR ${directory}: ${posix.join('/', path)} exists and is not a directory`);
		entries.push({path, mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid});
	}
	return created ? directoryTar(entries) : undefined;
}

function directoryTar(entries: Array<{path: string; mode: number; uid: number; gid: number}>): Readable {
	const packer = createLayerTarPacker();
	const mtime = Math.floor(Date.now() / 1000);
	void (async () => {
		for (const entry of entries) await packer.add({...entry, path: `${entry.path}/`, type: 'dir', mtime});
		await packer.finish();
	})().catch(error => packer.destroy(error as Error));
	return packer.readable;
}
