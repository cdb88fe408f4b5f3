import {createReadStream, readlinkSync} from 'node:fs';
import type {Readable} from 'node:stream';
import {opaqueMarkerPath, whiteoutMarkerPath} from '../layer/layer-path.js';
import {wholeFileLimit, wholeFileReader} from '../layer/read-whole.js';
import {createLayerTarPacker, type LayerTarHeader, type LayerTarPacker} from '../layer/tar-packer.js';
import type {DiffEntry} from './diff-entry.js';
import {wholeSeconds} from './diff-stats.js';

/**
 * Streams a commit layer: the entries as a Docker-style layer tar (see createLayerTarPacker), read
 * straight from the container's files, with no temp file. A file seen again under another name (same
 * device and inode) is a hardlink to its first path; sockets are skipped, as Docker's archiver does.
 * A file that changes size while it is read fails the stream: pause a running container first.
 * The store indexes it from the packer's headers (packedTarHeaders): hand it over as it is, unwrapped.
 */
export function diffLayerTar(entries: DiffEntry[]): Readable {
	const packer = createLayerTarPacker();
	void (async () => {
		try {
			await packEntries(packer, entries);
			await packer.finish();
		} catch (error) {
			packer.destroy(error instanceof Error ? error : new Error(String(error)));
		}
	})();
	return packer.readable;
}

async function packEntries(packer: LayerTarPacker, entries: DiffEntry[]): Promise<void> {
	const firstPaths = new Map<string, string>();
	for (const entry of entries) {
		if (entry.type === 'whiteout') {
			await packer.add({path: whiteoutMarkerPath(entry.path), type: 'file', mode: entry.mode, uid: entry.uid, gid: entry.gid, mtime: entry.mtime, size: 0});
			continue;
		}
		if (entry.type === 'opaque') {
			await packer.add({path: opaqueMarkerPath(entry.path), type: 'file', mode: entry.mode, uid: entry.uid, gid: entry.gid, mtime: entry.mtime, size: 0});
			continue;
		}
		const {stats, source} = entry;
		if (stats.isSocket()) continue;
		const header: LayerTarHeader = {
			path: entry.path,
			type: 'file',
			mode: Number(stats.mode & 0o7777n),
			uid: Number(stats.uid),
			gid: Number(stats.gid),
			mtime: wholeSeconds(stats.mtimeNs),
			capability: entry.capability,
		};
		if (stats.isDirectory()) {
			await packer.add({...header, type: 'dir'});
			continue;
		}
		if (stats.nlink > 1n) {
			const inode = `${stats.dev}:${stats.ino}`;
			const first = firstPaths.get(inode);
			if (first !== undefined) {
				await packer.add({...header, type: 'hardlink', linkname: first, capability: undefined});
				continue;
			}
			firstPaths.set(inode, entry.path);
		}
		if (stats.isFile()) {
			const size = Number(stats.size);
			const content = size === 0 ? undefined : size <= wholeFileLimit ? wholeFileReader(source) : createReadStream(source, {highWaterMark: wholeFileLimit});
			await packer.add({...header, size}, content);
		} else if (stats.isSymbolicLink()) {
			await packer.add({...header, type: 'symlink', linkname: readlinkSync(source)});
		} else if (stats.isCharacterDevice() || stats.isBlockDevice()) {
			const [devmajor, devminor] = splitDeviceNumber(stats.rdev);
			await packer.add({...header, type: stats.isCharacterDevice() ? 'char' : 'block', devmajor, devminor});
		} else if (stats.isFIFO()) {
			await packer.add({...header, type: 'fifo'});
		}
	}
}

/** Linux's `major()` and `minor()` of a device number. */
function splitDeviceNumber(rdev: bigint): [number, number] {
	const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
	const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
	return [Number(major), Number(minor)];
}
