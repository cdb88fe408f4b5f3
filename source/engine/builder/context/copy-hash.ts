// The classic builder's content hash of COPY/ADD sources: the cache key and the `COPY file:<hex> in /dest `
// history text. Each entry's sum is tarsum v1's: sha256 over its tar header fields (name, mode, uid, gid,
// size, typeflag, linkname, uname, gname, devmajor, devminor, sorted xattrs; mtime deliberately left out)
// followed by its content. A file source is `file:<sum>`; a directory `dir:` + sha256 of its entries' sums,
// sorted, joined by `,`; several sources `multi:` + sha256 of their hashes in order, joined by `,`.
// A context's headers are those of the tar the CLI sent; a stage's (`COPY --from`) are those the daemon
// makes itself from the files (moby remotecontext.NewLazySource: Go's FileInfoHeader), see headerText.
import {createHash} from 'node:crypto';
import {StrataError} from '../../errors.js';
import type {BuildContext} from './build-context.js';
import {typeflags, type ContextEntry} from './context-entry.js';
import type {ContextSource, CopySource} from './copy-sources.js';
import {compareGoStrings} from './go-path.js';
import {hashFiles} from './hash-files.js';
import {loadOwnerNames, type OwnerNames} from './owner-names.js';
import {followSymlinksInScope, ScopeError} from './scoped-path.js';

/** The hash of a COPY/ADD's sources (all from a context; combine URL downloads with combineSourceHashes). */
export async function copySourceHash(sources: readonly CopySource[]): Promise<string> {
	const hashes: string[] = [];
	for (const source of sources) {
		if (source.kind === 'url') throw new StrataError(`the hash of ${source.url} depends on its download`);
		hashes.push(await contextSourceHash(source));
	}
	return combineSourceHashes(hashes);
}

/** One source's hash, with the classic builder's prefixes. */
export async function contextSourceHash(source: ContextSource): Promise<string> {
	if (source.entry.type !== 'dir') return `file:${(await pathSum(source.context, source.source)) ?? source.source}`;
	// The directory itself counts, unless it is the context root; entries below are not followed.
	const paths = source.context.order.filter(path => source.path === '' || path === source.path || path.startsWith(`${source.path}/`));
	// The sums of the entries that are their own targets, in one pass first (hashFiles reads many files much
	// faster than a read per entry); pathSum then finds them.
	const targets = paths.map(path => source.context.entries.get(path)!).filter(entry => !entry.synthetic && entry.type !== 'symlink');
	await sumEntries(source.context, targets);
	const sums: string[] = [];
	for (const path of paths) {
		// Listed below a followed directory, an entry has only directories above it, so it leads to itself
		// unless it is a symlink (what pathSum would find, without following each path).
		const entry = source.context.entries.get(path)!;
		const sum = entry.type === 'symlink' ? await pathSum(source.context, path) : entry.synthetic ? path : source.context.sums.get(path);
		// Docker skips an entry it cannot hash (a symlink through a file, a loop).
		if (sum !== undefined) sums.push(sum);
	}
	// Go sorts bytewise; the default sort (by UTF-16 code units, natively) agrees unless there are surrogates.
	const sorted = sums.some(sum => surrogate.test(sum)) ? sums.sort((a, b) => compareGoStrings(a, b)) : sums.sort();
	return `dir:${sha256(sorted.join(','))}`;
}

const surrogate = /[\ud800-\udfff]/;

/** One hash for several sources (`multi:`), or the single source's own. */
export function combineSourceHashes(hashes: readonly string[]): string {
	if (hashes.length === 1) return hashes[0]!;
	return `multi:${sha256(hashes.join(','))}`;
}

/**
 * The sum Docker looks up for a path: that of the entry the path leads to once symlinks are followed in
 * scope (the file actually copied), or, for something never sent, the path itself.
 */
async function pathSum(context: BuildContext, path: string): Promise<string | undefined> {
	let target: string;
	try {
		target = followSymlinksInScope(context.entries, path);
	} catch (error) {
		if (error instanceof ScopeError) return undefined;
		throw error;
	}
	const entry = context.entries.get(target);
	// A stage's missing target (a dangling link) answers the followed path, a context's the path as written.
	if (!entry || entry.synthetic) return context.origin === 'stage' ? target : path;
	return entrySum(context, entry);
}

/** tarsum v1 of one entry, cached on the context. */
export async function entrySum(context: BuildContext, entry: ContextEntry): Promise<string> {
	if (!context.sums.has(entry.path)) await sumEntries(context, [entry]);
	return context.sums.get(entry.path)!;
}

/** Fills context.sums for the entries that have none yet. */
async function sumEntries(context: BuildContext, entries: readonly ContextEntry[]): Promise<void> {
	const pending = entries.filter(entry => !context.sums.has(entry.path));
	if (pending.length === 0) return;
	const owners = context.origin === 'stage' ? await ownerNamesFor(context) : undefined;
	const files = pending.map(entry => {
		const names = owners ? {uname: owners.user(entry.uid), gname: owners.group(entry.gid)} : undefined;
		return {path: entry.path, prefix: headerBytes(entry, context.origin, names), size: entry.type === 'file' ? entry.size : 0};
	});
	await hashFiles(context.root, files, (path, sum) => context.sums.set(path, sum));
}

/** The host's owner names, read once per stage context (Go's os/user caches them in the daemon too). */
const ownerNames = new WeakMap<BuildContext, Promise<OwnerNames>>();

function ownerNamesFor(context: BuildContext): Promise<OwnerNames> {
	let names = ownerNames.get(context);
	if (!names) {
		names = loadOwnerNames();
		ownerNames.set(context, names);
	}
	return names;
}

/** The file type bits Go's FileInfoHeader puts in a header's mode (archive's fillGo18FileTypeBits). */
const modeTypeBits: Record<ContextEntry['type'], number> = {
	file: 0o100000,
	hardlink: 0o100000,
	symlink: 0o120000,
	char: 0o20000,
	block: 0o60000,
	dir: 0o40000,
	fifo: 0o10000,
};

/**
 * The header fields as tarsum writes them, key then value, no separators. A context was sent by the CLI,
 * which resets owners to 0:0 and writes no names and no file type bits in the mode. A stage's header is
 * Go's FileInfoHeader of the file on disk: real owners, the owners' names on the daemon's host (`names`),
 * the type bits in the mode. A download (ADD from a URL) passes its own mode and names.
 */
export function headerText(entry: ContextEntry, origin: BuildContext['origin'], names?: OwnerNameFields): string {
	return headerFields(entry, origin, names).map(([key, value]) => key + value).join('');
}

/** headerText as the bytes hashed: names in UTF-8, xattr values (byte strings) as the bytes they stand for. */
function headerBytes(entry: ContextEntry, origin: BuildContext['origin'], names?: OwnerNameFields): Buffer {
	const fields = headerFields(entry, origin, names);
	const xattrStart = fields.length - Object.keys(entry.xattrs ?? {}).length;
	return Buffer.concat(fields.flatMap(([key, value], index) => [Buffer.from(key), Buffer.from(value, index < xattrStart ? 'utf8' : 'latin1')]));
}

interface OwnerNameFields {
	uname: string;
	gname: string;
}

function headerFields(entry: ContextEntry, origin: BuildContext['origin'], names: OwnerNameFields = {uname: '', gname: ''}): Array<[string, string]> {
	const owned = origin === 'stage';
	const fields: Array<[string, string]> = [
		['name', entry.type === 'dir' ? `${entry.path}/` : entry.path],
		['mode', String(owned ? entry.mode | modeTypeBits[entry.type] : entry.mode)],
		['uid', String(owned ? entry.uid : 0)],
		['gid', String(owned ? entry.gid : 0)],
		['size', String(entry.type === 'file' ? entry.size : 0)],
		['typeflag', typeflags[entry.type]],
		['linkname', entry.linkname],
		['uname', names.uname],
		['gname', names.gname],
		['devmajor', String(entry.devmajor)],
		['devminor', String(entry.devminor)],
	];
	const xattrs = Object.entries(entry.xattrs ?? {}).sort(([a], [b]) => compareGoStrings(a, b));
	return [...fields, ...xattrs];
}

function sha256(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}
