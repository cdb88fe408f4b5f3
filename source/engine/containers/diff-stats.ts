import {type BigIntStats, lstatSync, readdirSync} from 'node:fs';

/** What the two sides of a comparison know about one path. */
export type ComparedNode = {stats: BigIntStats; capability?: Buffer; linkTarget?: string};

/**
 * Docker's `statDifferent` (moby/go-archive changes): mode (type and permissions), owner and device
 * number always; modification time and size only for non-directories, because a directory's mtime and
 * size change with every add or delete inside it, which are reported on their own. Plus a changed
 * symlink target or file capability. Content is not read: fast, and what Docker does.
 */
export function nodesDiffer(before: ComparedNode, after: ComparedNode): boolean {
	const a = before.stats;
	const b = after.stats;
	if (a.mode !== b.mode || a.uid !== b.uid || a.gid !== b.gid || a.rdev !== b.rdev) return true;
	if (!b.isDirectory() && (!sameTime(a.mtimeNs, b.mtimeNs) || a.size !== b.size)) return true;
	if (before.linkTarget !== after.linkTarget) return true;
	return !sameBytes(before.capability, after.capability);
}

/** Docker's `sameFsTimeSpec`: equal seconds, and equal nanoseconds unless one side has none (a copy that lost them). */
function sameTime(a: bigint, b: bigint): boolean {
	const second = 1_000_000_000n;
	if (a / second !== b / second) return false;
	return a % second === b % second || a % second === 0n || b % second === 0n;
}

function sameBytes(a: Buffer | undefined, b: Buffer | undefined): boolean {
	if (!a || !b) return a === b;
	return a.equals(b);
}

/** Go's os.ReadDir order: names sorted by their bytes (JavaScript's sort compares UTF-16 units). */
export function sortByBytes(names: string[]): string[] {
	// For ASCII names the two orders agree, and most names are ASCII.
	if (names.every(name => /^[\u0000-\u007f]*$/.test(name))) return names.sort();
	return names
		.map(name => ({name, key: Buffer.from(name)}))
		.sort((a, b) => Buffer.compare(a.key, b.key))
		.map(({name}) => name);
}

/*
 * The walks below use synchronous calls on purpose: a diff is thousands of tiny lstats and reads, and
 * each asynchronous one is a round trip through libuv's thread pool, which on a busy machine costs ten
 * times the call itself (2,000 small files: ~1 s asynchronously, ~0.1 s synchronously). Walks hand the
 * event loop back now and then (source/engine/pacer.ts) so that a TUI stays responsive.
 */

/** A directory's entries with their lstat, in Go's order; a missing directory has none. */
export function readDirectoryStats(dir: string): Array<{name: string; stats: BigIntStats}> {
	let names: string[];
	try {
		names = sortByBytes(readdirSync(dir));
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') return [];
		throw error;
	}
	const result: Array<{name: string; stats: BigIntStats}> = [];
	for (const name of names) {
		const stats = lstatOrUndefined(`${dir}/${name}`);
		if (stats) result.push({name, stats});
	}
	return result;
}

/** lstat that answers undefined for a path that does not exist (or whose parent is not a directory). */
export function lstatOrUndefined(path: string): BigIntStats | undefined {
	try {
		return lstatSync(path, {bigint: true});
	} catch (error) {
		// A running container may delete a file between readdir and lstat: it is then simply not there.
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
		throw error;
	}
}

/** Whole seconds, rounded down like Go's `Truncate(time.Second)` then `Unix()`. */
export function wholeSeconds(nanoseconds: bigint): number {
	const seconds = nanoseconds / 1_000_000_000n;
	return Number(nanoseconds < 0n && seconds * 1_000_000_000n !== nanoseconds ? seconds - 1n : seconds);
}

/** An overlayfs whiteout: a character device with device number 0/0. */
export function isWhiteoutDevice(stats: BigIntStats): boolean {
	return stats.isCharacterDevice() && stats.rdev === 0n;
}
