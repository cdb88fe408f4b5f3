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

const VERSION = 2;
/** A file whose mtime or ctime is less than this before the listing started is not stored. */
export const RACY_MS = 2000;

/**
 * One stored sum: path, sum, then what it depends on besides the path (fileRecord): device, inode, size,
 * mtime, ctime, mode, uid, gid, type, and the rarer header fields (headerExtra). Numbers, compared as they
 * are: building a key string per file was most of loading the cache.
 */
type SumRecord = [string, string, number, number, number, number, number, number, number, number, string, string];

export class ContextSumCache {
	private constructor(
		private readonly file: string,
		private readonly context: BuildContext,
		/** Records the file held, and how many gave this build a sum. */
		private readonly storedCount: number,
		readonly reusedCount: number,
	) {}

	/** Reads the context's cache file and fills context.sums with the sums still valid. */
	static async load(paths: StorePaths, context: BuildContext): Promise<ContextSumCache> {
		const file = contextSumsFile(paths, context.root);
		const data = await readCacheFile(file, VERSION);
		const records = data?.root === context.root && Array.isArray(data.sums) ? (data.sums as unknown[]) : [];
		let reused = 0;
		for (const record of records) {
			if (!isSumRecord(record)) continue;
			const entry = context.entries.get(record[0]);
			if (entry === undefined || !describes(record, entry) || context.sums.has(record[0])) continue;
			context.sums.set(record[0], record[1]);
			reused++;
		}
		return new ContextSumCache(file, context, records.length, reused);
	}

	/** Stores the sums of the context's settled files (unless that is just what the file holds already). */
	async save(): Promise<void> {
		const {context} = this;
		// Every sum came from the file, and it held no more: nothing to write.
		if (context.sums.size === this.reusedCount && this.reusedCount === this.storedCount) return;
		const cutoff = (context.listedAt ?? Number.NEGATIVE_INFINITY) - RACY_MS;
		const records: SumRecord[] = [];
		for (const [path, sum] of context.sums) {
			const entry = context.entries.get(path);
			const record = entry && fileRecord(path, sum, entry);
			if (!record || !(entry!.mtimeMs < cutoff && entry!.ctimeMs! < cutoff)) continue;
			records.push(record);
		}
		// The reused sums are all among them (their files were settled before an earlier listing): the new
		// ones may all have been racy.
		if (records.length === this.reusedCount && this.reusedCount === this.storedCount) return;
		await writeCacheFile(this.file, {version: VERSION, root: context.root, sums: records});
	}
}

/** The cache file of a context directory (an absolute path). */
export function contextSumsFile(paths: StorePaths, root: string): string {
	return join(paths.contextSums, `context-${createHash('sha256').update(root).digest('hex')}.json`);
}

/** The record of an entry's sum; undefined for an entry with no identity (synthetic, or not listed from disk). */
function fileRecord(path: string, sum: string, entry: ContextEntry): SumRecord | undefined {
	if (entry.synthetic || entry.dev === undefined || entry.ino === undefined || entry.ctimeMs === undefined) return undefined;
	return [path, sum, entry.dev, entry.ino, entry.size, entry.mtimeMs, entry.ctimeMs, entry.mode, entry.uid, entry.gid, entry.type, headerExtra(entry)];
}

/** Whether the record was made for this very file, with the header the entry has now. */
function describes(record: SumRecord, entry: ContextEntry): boolean {
	return (
		record[3] === entry.ino &&
		record[6] === entry.ctimeMs &&
		record[5] === entry.mtimeMs &&
		record[4] === entry.size &&
		record[2] === entry.dev &&
		record[7] === entry.mode &&
		record[8] === entry.uid &&
		record[9] === entry.gid &&
		record[10] === entry.type &&
		record[11] === headerExtra(entry) &&
		!entry.synthetic
	);
}

/** The header fields most entries leave empty (link target, device numbers, xattrs), '' when they do. */
function headerExtra(entry: ContextEntry): string {
	if (entry.linkname === '' && entry.devmajor === 0 && entry.devminor === 0 && entry.xattrs === undefined) return '';
	return JSON.stringify([entry.linkname, entry.devmajor, entry.devminor, entry.xattrs ?? {}]);
}

const recordTypes = ['string', 'string', 'number', 'number', 'number', 'number', 'number', 'number', 'number', 'number', 'string', 'string'];

function isSumRecord(record: unknown): record is SumRecord {
	return Array.isArray(record) && record.length === recordTypes.length && record.every((field, index) => typeof field === recordTypes[index]);
}
