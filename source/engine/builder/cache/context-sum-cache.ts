// The tarsums of a build context's files, kept between builds: a rebuild of an unchanged context reads no
// file twice. A stored sum is reused only for the same path with the same identity on disk (device, inode,
// size, mtime, ctime) and the same header fields (copy-hash.ts hashes those with the content): any write to a
// file changes its ctime, even when its mtime is set back. A file changed in the moments before the listing
// started is not stored (git's "racy git": a second change within the timestamps' granularity would go
// unseen). One file per context directory, under the store's strata/context-sums/, holding only the
// current context's files.
import {createHash} from 'node:crypto';
import {join} from 'node:path';
import type {StorePaths} from '../../store/paths.js';
import type {BuildContext} from '../context/build-context.js';
import type {ContextEntry} from '../context/context-entry.js';
import {readCacheFile, writeCacheFile} from './cache-file.js';

const VERSION = 1;
/** A file whose mtime or ctime is less than this before the listing started is not stored. */
export const RACY_MS = 2000;

/** One stored sum: path, sumKey, sum. */
type SumRecord = [string, string, string];

export class ContextSumCache {
	private constructor(
		private readonly file: string,
		private readonly context: BuildContext,
		/** Records the file held, and the sumKeys of the paths whose sums it gave this build. */
		private readonly storedCount: number,
		private readonly reused: ReadonlyMap<string, string>,
	) {}

	/** How many sums the cache gave this build. */
	get reusedCount(): number {
		return this.reused.size;
	}

	/** Reads the context's cache file and fills context.sums with the sums still valid. */
	static async load(paths: StorePaths, context: BuildContext): Promise<ContextSumCache> {
		const file = contextSumsFile(paths, context.root);
		const data = await readCacheFile(file, VERSION);
		const records = data?.root === context.root && Array.isArray(data.sums) ? (data.sums as unknown[]) : [];
		const reused = new Map<string, string>();
		for (const record of records) {
			if (!isSumRecord(record)) continue;
			const [path, key, sum] = record;
			const entry = context.entries.get(path);
			if (entry === undefined || sumKey(entry) !== key || context.sums.has(path)) continue;
			context.sums.set(path, sum);
			reused.set(path, key);
		}
		return new ContextSumCache(file, context, records.length, reused);
	}

	/** Stores the sums of the context's settled files (unless that is just what the file holds already). */
	async save(): Promise<void> {
		const {context} = this;
		const cutoff = (context.listedAt ?? Number.NEGATIVE_INFINITY) - RACY_MS;
		const records: SumRecord[] = [];
		let added = 0;
		for (const [path, sum] of context.sums) {
			// A reused sum's file is as it was when stored, and settled then.
			const stored = this.reused.get(path);
			if (stored !== undefined) {
				records.push([path, stored, sum]);
				continue;
			}
			const entry = context.entries.get(path);
			const key = entry && sumKey(entry);
			if (!key || !(entry!.mtimeMs < cutoff && entry!.ctimeMs! < cutoff)) continue;
			records.push([path, key, sum]);
			added++;
		}
		if (added === 0 && records.length === this.storedCount) return;
		await writeCacheFile(this.file, {version: VERSION, root: context.root, sums: records});
	}
}

/** The cache file of a context directory (an absolute path). */
export function contextSumsFile(paths: StorePaths, root: string): string {
	return join(paths.contextSums, `context-${createHash('sha256').update(root).digest('hex')}.json`);
}

/**
 * What a stored sum depends on besides the path: the file's identity on disk and every field of the header
 * hashed with its content; undefined for an entry with no identity (synthetic, or not listed from disk).
 */
function sumKey(entry: ContextEntry): string | undefined {
	if (entry.synthetic || entry.ino === undefined || entry.ctimeMs === undefined) return undefined;
	const identity = `${entry.dev}:${entry.ino}:${entry.size}:${entry.mtimeMs}:${entry.ctimeMs}:${entry.type}:${entry.mode}:${entry.uid}:${entry.gid}`;
	// Most entries have none of these: their key stays short.
	if (entry.linkname === '' && entry.devmajor === 0 && entry.devminor === 0 && entry.xattrs === undefined) return identity;
	return `${identity}:${entry.devmajor}:${entry.devminor}:${JSON.stringify([entry.linkname, entry.xattrs ?? {}])}`;
}

function isSumRecord(record: unknown): record is SumRecord {
	return Array.isArray(record) && record.length === 3 && record.every(field => typeof field === 'string');
}
