import {randomBytes} from 'node:crypto';
import {open, rename, unlink} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';

/** fsyncs a directory so that a rename inside it survives a crash. */
export async function syncDirectory(dir: string): Promise<void> {
	const handle = await open(dir, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/**
 * Replaces `path` with `data` so that readers see the old or the new content, never a mix:
 * write a temp file beside it, fsync, rename over, fsync the directory.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
	const dir = dirname(path);
	const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
	const handle = await open(temp, 'w', 0o644);
	try {
		await handle.writeFile(data);
		await handle.sync();
	} catch (error) {
		await handle.close();
		await unlink(temp).catch(() => {});
		throw error;
	}
	await handle.close();
	try {
		await rename(temp, path);
	} catch (error) {
		await unlink(temp).catch(() => {});
		throw error;
	}
	await syncDirectory(dir);
}
