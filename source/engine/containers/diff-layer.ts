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
		if (entry.type !== 'node') {
			// A whiteout or an opaque marker: an empty file.
			const path = entry.type === 'whiteout' ? whiteoutMarkerPath(entry.path) : opaqueMarkerPath(entry.path);
			if (!packer.write({path, type: 'file', mode: entry.mode, uid: entry.uid, gid: entry.gid, mtime: entry.mtime, size: 0})) await packer.ready();
			continue;
		}
		const {stats, source} = entry;
		if (stats.isSocket()) continue;
		// One header object per entry, its type and fields set here: this loop runs once per file changed.
		const header: LayerTarHeader = {
			path: entry.path,
			type: 'file',
			mode: Number(stats.mode & 0o7777n),
			uid: Number(stats.uid),
			gid: Number(stats.gid),
			mtime: wholeSeconds(stats.mtimeNs),
			capability: entry.capability,
		};
		let content: ReturnType<typeof wholeFileReader> | undefined;
		if (stats.isDirectory()) header.type = 'dir';
		else if (stats.nlink > 1n && linkedBefore(firstPaths, entry, header)) {
			// header is now a hardlink to the inode's first path.
		} else if (stats.isFile()) {
			const size = Number(stats.size);
			header.size = size;
			if (size > wholeFileLimit) {
				await packer.add(header, createReadStream(source, {highWaterMark: wholeFileLimit}));
				continue;
			}
			if (size > 0) content = wholeFileReader(source);
		} else if (stats.isSymbolicLink()) {
			header.type = 'symlink';
			header.linkname = readlinkSync(source);
		} else if (stats.isCharacterDevice() || stats.isBlockDevice()) {
			header.type = stats.isCharacterDevice() ? 'char' : 'block';
			[header.devmajor, header.devminor] = splitDeviceNumber(stats.rdev);
		} else if (stats.isFIFO()) header.type = 'fifo';
		else continue;
		if (!packer.write(header, content)) await packer.ready();
	}
}

/**
 * A file seen before under another name (same device and inode): turns `header` into a hardlink to its
 * first path and returns true; otherwise remembers this path as the inode's first and returns false.
 */
function linkedBefore(firstPaths: Map<string, string>, entry: DiffEntry & {type: 'node'}, header: LayerTarHeader): boolean {
	const inode = `${entry.stats.dev}:${entry.stats.ino}`;
	const first = firstPaths.get(inode);
	if (first === undefined) {
		firstPaths.set(inode, entry.path);
		return false;
	}
	header.type = 'hardlink';
	header.linkname = first;
	header.capability = undefined;
	return true;
}

/** Linux's `major()` and `minor()` of a device number. */
function splitDeviceNumber(rdev: bigint): [number, number] {
	const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
	const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
	return [Number(major), Number(minor)];
}
