import {createReadStream} from 'node:fs';
import {lstat, readdir, readFile, readlink} from 'node:fs/promises';
import {join} from 'node:path';
import type {Readable} from 'node:stream';
import {createLayerTarPacker, type LayerTarHeader, type LayerTarPacker} from './tar-packer.js';

// The packer is the lower-level API this module is built on; it is exported here too so that callers
// that write layers find both in one place.
export {createLayerTarPacker, type LayerTarContent, type LayerTarHeader, type LayerTarPacker} from './tar-packer.js';

/** Files up to this size are read whole and sent as one chunk; larger ones are streamed. */
const wholeFileLimit = 1024 * 1024;

/**
 * Packs the tree under `dir` (not `dir` itself) as a layer tar the way Docker's archiver does:
 * depth-first, children sorted by name bytes (so the output is deterministic), names relative with
 * directories ending in `/`, mode, uid/gid and whole-second mtime kept, uname/gname empty, hardlinks
 * (same device and inode seen again) as typeflag 1 pointing at the first path, sockets skipped.
 *
 * Extended attributes are not carried: Node cannot read them without a native addon, so
 * `security.capability` is left out (callers with another source can pass it to the packer).
 * A file that changes size while it is read, or vanishes, fails the stream.
 */
export function directoryToLayerTar(dir: string): Readable {
	const packer = createLayerTarPacker();
	void (async () => {
		try {
			await packDirectory(packer, dir);
			await packer.finish();
		} catch (error) {
			packer.destroy(error instanceof Error ? error : new Error(String(error)));
		}
	})();
	return packer.readable;
}

async function packDirectory(packer: LayerTarPacker, root: string): Promise<void> {
	// First path of each multiply-linked inode, keyed by device and inode.
	const firstPaths = new Map<string, string>();

	async function walk(absolute: string, relative: string): Promise<void> {
		for (const name of sortByBytes(await readdir(absolute))) {
			const childAbsolute = join(absolute, name);
			const childRelative = relative === '' ? name : `${relative}/${name}`;
			const stats = await lstat(childAbsolute, {bigint: true});
			if (stats.isSocket()) continue;
			const header: LayerTarHeader = {
				path: childRelative,
				type: 'file',
				mode: Number(stats.mode & 0o7777n),
				uid: Number(stats.uid),
				gid: Number(stats.gid),
				mtime: floorSeconds(stats.mtimeNs),
			};
			if (stats.isDirectory()) {
				header.type = 'dir';
				await packer.add(header);
				await walk(childAbsolute, childRelative);
				continue;
			}
			if (stats.nlink > 1n) {
				const inode = `${stats.dev}:${stats.ino}`;
				const first = firstPaths.get(inode);
				if (first !== undefined) {
					await packer.add({...header, type: 'hardlink', linkname: first});
					continue;
				}
				firstPaths.set(inode, childRelative);
			}
			if (stats.isFile()) {
				header.size = Number(stats.size);
				const content =
					header.size === 0
						? undefined
						: header.size <= wholeFileLimit
							? await readFile(childAbsolute)
							: createReadStream(childAbsolute, {highWaterMark: wholeFileLimit});
				await packer.add(header, content);
			} else if (stats.isSymbolicLink()) {
				await packer.add({...header, type: 'symlink', linkname: await readlink(childAbsolute)});
			} else if (stats.isCharacterDevice() || stats.isBlockDevice()) {
				const [devmajor, devminor] = splitDeviceNumber(stats.rdev);
				await packer.add({...header, type: stats.isCharacterDevice() ? 'char' : 'block', devmajor, devminor});
			} else if (stats.isFIFO()) {
				await packer.add({...header, type: 'fifo'});
			}
		}
	}

	await walk(root, '');
}

/** Go's os.ReadDir sorts names by their bytes; JavaScript's default sort compares UTF-16 units. */
function sortByBytes(names: string[]): string[] {
	return names
		.map(name => ({name, key: Buffer.from(name)}))
		.sort((a, b) => Buffer.compare(a.key, b.key))
		.map(({name}) => name);
}

/** Whole seconds, rounded down like Go's `Truncate(time.Second)` then `Unix()`. */
function floorSeconds(nanoseconds: bigint): number {
	const seconds = nanoseconds / 1_000_000_000n;
	return Number(nanoseconds < 0n && seconds * 1_000_000_000n !== nanoseconds ? seconds - 1n : seconds);
}

/** Linux's `major()` and `minor()` of a device number. */
function splitDeviceNumber(rdev: bigint): [number, number] {
	const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
	const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
	return [Number(major), Number(minor)];
}
