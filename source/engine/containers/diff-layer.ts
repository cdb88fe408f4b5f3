import {closeSync, createReadStream, openSync, readlinkSync, readSync} from 'node:fs';
import {Readable} from 'node:stream';
import {StrataError} from '../errors.js';
import {opaqueMarkerPath, whiteoutMarkerPath} from '../layer/layer-path.js';
import {createLayerTarPacker, type LayerTarHeader, type LayerTarPacker} from '../layer/tar-packer.js';
import type {DiffEntry} from './diff-entry.js';
import {wholeSeconds} from './diff-stats.js';

/**
 * Files up to this size are read whole, synchronously (a thread-pool round trip per small file costs
 * more than the read, see diff-stats.ts), and sent as one chunk; larger ones are streamed.
 */
const wholeFileLimit = 1024 * 1024;
/** The tar goes out in chunks of about this size: per-chunk costs downstream (hash, index, write) stay small. */
const chunkSize = 256 * 1024;

/**
 * Streams a commit layer: the entries as a Docker-style layer tar (see createLayerTarPacker), read
 * straight from the container's files, with no temp file. A file seen again under another name (same
 * device and inode) is a hardlink to its first path; sockets are skipped, as Docker's archiver does.
 * A file that changes size while it is read fails the stream: pause a running container first.
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
	return Readable.from(coalesce(packer.readable), {objectMode: false});
}

/** Joins the packer's per-entry chunks (a small file is one) into chunks of about `chunkSize`. */
async function* coalesce(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
	let pending: Buffer[] = [];
	let size = 0;
	for await (const chunk of source) {
		pending.push(chunk);
		size += chunk.length;
		if (size < chunkSize) continue;
		yield pending.length === 1 ? pending[0]! : Buffer.concat(pending, size);
		pending = [];
		size = 0;
	}
	if (size > 0) yield Buffer.concat(pending, size);
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
			const content = size === 0 ? undefined : size <= wholeFileLimit ? readWhole(source, size, entry.path) : createReadStream(source, {highWaterMark: wholeFileLimit});
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

/**
 * A small file's content: `size` bytes as lstat saw them, in one read (readFileSync would fstat and
 * read again). A read of a regular file is short only at its end, so asking for one byte more tells a
 * file that grew since (refused here) from one that did not; one that shrank comes back short and the
 * packer refuses it.
 */
function readWhole(path: string, size: number, name: string): Buffer {
	const buffer = Buffer.allocUnsafe(size + 1);
	const fd = openSync(path, 'r');
	try {
		const read = readSync(fd, buffer, 0, size + 1, 0);
		if (read > size) throw new StrataError(`${JSON.stringify(name)} changed while it was being packed (it grew past ${size} bytes)`);
		return buffer.subarray(0, read);
	} finally {
		closeSync(fd);
	}
}

/** Linux's `major()` and `minor()` of a device number. */
function splitDeviceNumber(rdev: bigint): [number, number] {
	const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
	const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
	return [Number(major), Number(minor)];
}
