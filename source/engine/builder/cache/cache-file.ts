// A JSON file strata keeps only to go faster (the sum caches): written with a temp file and a rename so a
// reader never sees half of one, but not fsynced, and read leniently: a missing, unreadable or corrupt file,
// or one of another version, reads as nothing, and a failed write is no error (the next build recomputes).
import {randomBytes} from 'node:crypto';
import {mkdir, readFile, rename, unlink, writeFile} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';

/** The file's content when it parses and has this version, else undefined. */
export async function readCacheFile(path: string, version: number): Promise<Record<string, unknown> | undefined> {
	try {
		const data = JSON.parse(await readFile(path, 'utf8')) as unknown;
		if (typeof data !== 'object' || data === null || (data as {version?: unknown}).version !== version) return undefined;
		return data as Record<string, unknown>;
	} catch {
		return undefined;
	}
}

export async function writeCacheFile(path: string, data: Record<string, unknown>): Promise<void> {
	const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
	try {
		await mkdir(dirname(path), {recursive: true});
		await writeFile(temp, JSON.stringify(data));
		await rename(temp, path);
	} catch {
		await unlink(temp).catch(() => {});
	}
}
