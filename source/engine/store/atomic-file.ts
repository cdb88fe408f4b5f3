import {randomBytes} from 'node:crypto';
import {closeSync, fsync, openSync, renameSync, unlinkSync, writeFileSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import {promisify} from 'node:util';

const fsyncAsync = promisify(fsync);

// Opening, writing a small file, closing and renaming are synchronous calls here: each is quicker than a
// thread-pool round trip. Only the fsyncs, which wait for the disk, go to the pool, so that other work
// (a walk, another write) goes on meanwhile.

/** fsyncs a directory so that a rename inside it survives a crash. */
export async function syncDirectory(dir: string): Promise<void> {
	const fd = openSync(dir, 'r');
	try {
		await fsyncAsync(fd);
	} finally {
		closeSync(fd);
	}
}

/**
 * Replaces `path` with `data` so that readers see the old or the new content, never a mix:
 * write a temp file beside it, fsync, rename over, fsync the directory.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
	await writeThenRename(join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`), path, data);
}

/**
 * Writes `data` to `temp`, fsyncs it, renames it to `target` (same file system) and fsyncs the target's
 * directory: `target` appears whole or not at all, and stays after a crash. `temp` is gone on failure.
 */
export async function writeThenRename(temp: string, target: string, data: string | Uint8Array): Promise<void> {
	const fd = openSync(temp, 'w', 0o644);
	try {
		writeFileSync(fd, data);
		await fsyncAsync(fd);
	} catch (error) {
		closeSync(fd);
		removeQuietly(temp);
		throw error;
	}
	closeSync(fd);
	try {
		renameSync(temp, target);
	} catch (error) {
		removeQuietly(temp);
		throw error;
	}
	await syncDirectory(dirname(target));
}

function removeQuietly(path: string): void {
	try {
		unlinkSync(path);
	} catch {
		// Already gone.
	}
}
