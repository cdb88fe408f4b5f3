// An image's files as a COPY --from context, kept between builds: its unpacked root is made once and never
// changes, so its listing and the sums COPY --from computed hold as long as that same directory does (its
// device, inode and ctime: a root unpacked again is listed again). The sums also carry owner names looked up
// in the host's /etc/passwd and /etc/group (owner-names.ts), so they are kept only while those files are the
// same. A rebuild's COPY --from then neither lists nor hashes the image's files. One file per image, under
// the store's strata/context-sums/; files of images no longer in the store are removed when saving.
import {createHash} from 'node:crypto';
import {readdir, readFile, stat, unlink} from 'node:fs/promises';
import {join} from 'node:path';
import {type Digest, digestHex} from '../../digest.js';
import type {StorePaths} from '../../store/paths.js';
import type {Store} from '../../store/store.js';
import {createBuildContext, type BuildContext} from '../context/build-context.js';
import {typeflags, type ContextEntry} from '../context/context-entry.js';
import {readCacheFile, writeCacheFile} from './cache-file.js';

const VERSION = 2;

/** The sums a context was loaded with (a save with nothing new writes nothing). */
const loadedSums = new WeakMap<BuildContext, number>();
/**
 * The owner files' fingerprint when each image's context was asked for: sums are saved only when it is
 * still the same, so none computed with names from files that changed during the build is kept.
 */
const ownersAtLoad = new Map<Digest, string>();

/** The image's cached context over `root`, or undefined when there is none for this very directory. */
export async function loadStageContext(paths: StorePaths, id: Digest, root: string): Promise<BuildContext | undefined> {
	const owners = await ownersFingerprint();
	ownersAtLoad.set(id, owners);
	const data = await readCacheFile(stageContextFile(paths, id), VERSION);
	if (!data || data.root !== (await rootIdentity(root)) || !Array.isArray(data.entries)) return undefined;
	const entries: ContextEntry[] = [];
	for (const stored of data.entries as unknown[]) {
		const entry = fromStored(stored);
		if (!entry) return undefined;
		entries.push(entry);
	}
	const context = createBuildContext(root, entries, 'stage');
	if (data.owners === owners && Array.isArray(data.sums)) {
		for (const record of data.sums as unknown[]) {
			if (Array.isArray(record) && typeof record[0] === 'string' && typeof record[1] === 'string' && context.entries.has(record[0])) {
				context.sums.set(record[0], record[1]);
			}
		}
	}
	loadedSums.set(context, context.sums.size);
	return context;
}

/**
 * Saves each image's context (when it has sums it was not loaded with) and then removes the cache files
 * of images the store no longer has. Never fails: it is a cache.
 */
export async function saveStageContexts(store: Store, contexts: Iterable<[Digest, Promise<BuildContext>]>): Promise<void> {
	try {
		const owners = await ownersFingerprint();
		let wrote = false;
		for (const [id, pending] of contexts) {
			const context = await pending.catch(() => undefined);
			if (!context || context.sums.size === 0 || context.sums.size === loadedSums.get(context) || ownersAtLoad.get(id) !== owners) continue;
			const root = await rootIdentity(context.root);
			if (root === undefined) continue;
			const entries = [...context.entries.values()].filter(entry => !entry.synthetic).map(toStored);
			await writeCacheFile(stageContextFile(store.paths, id), {version: VERSION, root, owners, entries, sums: [...context.sums]});
			loadedSums.set(context, context.sums.size);
			wrote = true;
		}
		// Swept when writing (a build that saves nothing spends nothing on it).
		if (wrote) await removeStale(store);
	} catch {
		// A cache: the next build lists and hashes again.
	}
}

function stageContextFile(paths: StorePaths, id: Digest): string {
	return join(paths.contextSums, `stage-${digestHex(id)}.json`);
}

async function removeStale(store: Store): Promise<void> {
	const {records} = await store.catalog();
	const kept = new Set([...records.keys()].map(id => `stage-${digestHex(id)}.json`));
	for (const name of await readdir(store.paths.contextSums).catch(() => [] as string[])) {
		if (name.startsWith('stage-') && name.endsWith('.json') && !kept.has(name)) await unlink(join(store.paths.contextSums, name)).catch(() => {});
	}
}

/** The unpacked root directory's identity: another directory under the same name is another listing. */
async function rootIdentity(root: string): Promise<string | undefined> {
	try {
		const info = await stat(root);
		return `${info.dev}:${info.ino}:${info.ctimeMs}`;
	} catch {
		return undefined;
	}
}

/** sha256 of the host's /etc/passwd and /etc/group, which give a stage header's owner names. */
async function ownersFingerprint(): Promise<string> {
	const hash = createHash('sha256');
	for (const path of ['/etc/passwd', '/etc/group']) hash.update(await readFile(path).catch(() => Buffer.alloc(0))).update('\0');
	return hash.digest('hex');
}

/**
 * An entry as stored: its fields in a row (half the size of an object's JSON, and read as fast), without
 * its disk identity (nothing to check once the root is known to be the same).
 */
type StoredEntry = [string, ContextEntry['type'], number, number, number, number, number, string, number, number, Record<string, string> | null];

const storedTypes = ['string', 'string', 'number', 'number', 'number', 'number', 'number', 'string', 'number', 'number', 'object'];

function toStored(entry: ContextEntry): StoredEntry {
	const {path, type, mode, size, uid, gid, mtimeMs, linkname, devmajor, devminor, xattrs} = entry;
	return [path, type, mode, size, uid, gid, mtimeMs, linkname, devmajor, devminor, xattrs ?? null];
}

/** The entry a stored row describes, or undefined for anything else. */
function fromStored(value: unknown): ContextEntry | undefined {
	if (!Array.isArray(value) || value.length !== storedTypes.length || !value.every((field, index) => typeof field === storedTypes[index])) return undefined;
	const [path, type, mode, size, uid, gid, mtimeMs, linkname, devmajor, devminor, xattrs] = value as StoredEntry;
	if (!Object.hasOwn(typeflags, type)) return undefined;
	const entry: ContextEntry = {path, type, mode, size, uid, gid, mtimeMs, linkname, devmajor, devminor};
	if (xattrs) entry.xattrs = xattrs;
	return entry;
}
