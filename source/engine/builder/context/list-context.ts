// listContext: the files `docker build` would send from a context directory. The directory is read with
// fast-glob (dot files included, symlinks not followed), then walked in Go's WalkDir order and filtered the
// way the CLI's archiver does
// (moby/go-archive TarWithOptions): parent match results are handed down, an excluded directory is skipped
// unless an exception pattern names something inside it, sockets are left out, and a file seen again
// through another hard link becomes a hardlink entry.
import {lstatSync, readlinkSync, type Stats} from 'node:fs';
import {isAbsolute, join, relative, resolve, sep} from 'node:path';
import fg from 'fast-glob';
import {StrataError} from '../../errors.js';
import {compareWalkOrder, type ContextEntry, type ContextEntryType} from './context-entry.js';
import {PatternMatcher, type MatchInfo} from './pattern-matcher.js';

export interface ListContextOptions {
	/**
	 * The Dockerfile: a path inside the context (absolute, or relative to the context), `-` when it comes
	 * from stdin, or undefined. Inside the context it is always sent, like `.dockerignore`.
	 */
	dockerfilePath?: string;
	/** The context's .dockerignore (loadDockerignore); none excludes nothing. */
	ignore?: PatternMatcher;
	/** Turn repeated links to one inode into hardlink entries, as the CLI's tar does (default true). */
	detectHardlinks?: boolean;
}

export async function listContext(contextDir: string, options: ListContextOptions = {}): Promise<ContextEntry[]> {
	const root = resolve(contextDir);
	const matcher = keepBuildFiles(options.ignore ?? new PatternMatcher([]), dockerfileInContext(root, options.dockerfilePath));
	const entries: ContextEntry[] = [];
	const seenInodes = options.detectHardlinks === false ? undefined : new Map<string, string>();
	let batch = 0;
	const directories = readContextTree(root, matcher);
	// Go's WalkDir over what fast-glob read: each directory's names sorted, not every path (a sort of all
	// paths was a good part of a 5,000-file listing). Only the entries kept are lstat'ed; absolute paths are
	// concatenated (path.join's normalizing showed in profiles).
	const base = root === '/' ? '' : root;
	const walk = async (dir: string, parent: MatchInfo | undefined): Promise<void> => {
		const dirents = directories.get(dir) ?? [];
		dirents.sort((a, b) => compareWalkOrder(a.name, b.name));
		for (const dirent of dirents) {
			const path = dir === '' ? dirent.name : `${dir}/${dirent.name}`;
			const {excluded, info} = matcher.matchesWithParent(path, parent);
			const isDir = dirent.isDirectory();
			if (excluded) {
				// An excluded directory is still entered when an exception might re-include something in it.
				if (isDir && !matcher.excludedDirCanBeSkipped(path)) await walk(path, info);
				continue;
			}
			const absolute = `${base}/${path}`;
			const stats = lstatEntry(absolute);
			// Gone since the directory was read: not sent.
			if (!stats) continue;
			const entry = toEntry(absolute, path, stats, seenInodes);
			if (entry) entries.push(entry);
			// The event loop gets a turn now and then (a TUI building in-process stays responsive).
			if (++batch % 512 === 0) await new Promise(resolve => setImmediate(resolve));
			if (isDir && stats.isDirectory()) await walk(path, info);
		}
	};
	await walk('', undefined);
	return entries;
}

type ListedEntry = {name: string; isDirectory(): boolean};

/**
 * The context's entries by directory (`''` the root), as fast-glob reads them in one synchronous pass:
 * names and dirent types only, symlinks not followed. Directories .dockerignore excludes outright are not
 * read at all (prunablePatterns).
 */
function readContextTree(root: string, matcher: PatternMatcher): Map<string, ListedEntry[]> {
	let found: fg.Entry[];
	try {
		found = fg.sync('**', {cwd: root, dot: true, onlyFiles: false, followSymbolicLinks: false, objectMode: true, suppressErrors: false, ignore: prunablePatterns(matcher)});
	} catch (error) {
		throw new StrataError(`error checking context: ${(error as Error).message}`);
	}
	const directories = new Map<string, ListedEntry[]>();
	for (const {path, name, dirent} of found) {
		const dir = path.length === name.length ? '' : path.slice(0, path.length - name.length - 1);
		let list = directories.get(dir);
		if (!list) directories.set(dir, (list = []));
		list.push(dirent);
	}
	return directories;
}

function lstatEntry(absolute: string): Stats | undefined {
	try {
		return lstatSync(absolute, {throwIfNoEntry: false});
	} catch (error) {
		throw new StrataError(`error checking context: ${(error as Error).message}`);
	}
}

/**
 * The CLI re-includes `.dockerignore` and the Dockerfile with `!` exceptions when the patterns would exclude
 * them (TrimBuildFilesFromExcludes, which uses patternmatcher's shallow Matches).
 */
function keepBuildFiles(ignore: PatternMatcher, dockerfile: string | undefined): PatternMatcher {
	const patterns = ignore.source;
	if (ignore.matchesShallow('.dockerignore')) patterns.push('!.dockerignore');
	if (dockerfile !== undefined && ignore.matchesShallow(dockerfile)) patterns.push(`!${dockerfile}`);
	return patterns.length === ignore.patterns.length ? ignore : new PatternMatcher(patterns);
}

/** The Dockerfile's `/`-separated path inside the context, or undefined (stdin, outside, not given). */
export function dockerfileInContext(root: string, dockerfilePath: string | undefined): string | undefined {
	if (dockerfilePath === undefined || dockerfilePath === '-' || dockerfilePath === '') return undefined;
	const absolute = isAbsolute(dockerfilePath) ? dockerfilePath : join(root, dockerfilePath);
	const inside = relative(root, absolute);
	if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return undefined;
	return inside.split(sep).join('/');
}

function toEntry(absolute: string, path: string, stats: Stats, seenInodes: Map<string, string> | undefined): ContextEntry | undefined {
	const type = entryType(stats);
	if (type === undefined) return undefined;
	const entry: ContextEntry = {
		path,
		type,
		mode: stats.mode & 0o7777,
		size: type === 'file' ? stats.size : 0,
		uid: stats.uid,
		gid: stats.gid,
		mtimeMs: stats.mtimeMs,
		linkname: '',
		devmajor: 0,
		devminor: 0,
		dev: stats.dev,
		ino: stats.ino,
		ctimeMs: stats.ctimeMs,
	};
	if (type === 'symlink') {
		entry.linkname = readlinkSync(absolute);
	} else if (type === 'char' || type === 'block') {
		entry.devmajor = deviceMajor(stats.rdev);
		entry.devminor = deviceMinor(stats.rdev);
	} else if (type === 'file' && seenInodes && stats.nlink > 1) {
		const inode = `${stats.dev}:${stats.ino}`;
		const first = seenInodes.get(inode);
		if (first === undefined) {
			seenInodes.set(inode, path);
		} else {
			entry.type = 'hardlink';
			entry.linkname = first;
			entry.size = 0;
		}
	}
	return entry;
}

function entryType(stats: Stats): ContextEntryType | undefined {
	if (stats.isFile()) return 'file';
	if (stats.isDirectory()) return 'dir';
	if (stats.isSymbolicLink()) return 'symlink';
	if (stats.isFIFO()) return 'fifo';
	if (stats.isCharacterDevice()) return 'char';
	if (stats.isBlockDevice()) return 'block';
	// Sockets (and anything stranger) are not archived.
	return undefined;
}

/** Linux's major(): bits 8-19 and 32-43 of the device number. */
function deviceMajor(rdev: number): number {
	const high = Math.floor(rdev / 2 ** 32);
	return ((rdev >>> 8) & 0xfff) | ((high & 0xfffff000) >>> 0);
}

/** Linux's minor(): bits 0-7 and 20-43 of the device number. */
function deviceMinor(rdev: number): number {
	const high = Math.floor(rdev / 2 ** 32);
	return ((rdev & 0xff) | ((rdev >>> 12) & 0xfff00) | ((high & 0xfff) << 20)) >>> 0;
}

/**
 * Globs fast-glob may skip without reading: with no exception patterns, a directory named by a plain
 * pattern (`node_modules`, `**\/.git`) is excluded with everything below it, so reading it is wasted work.
 * The walk decides the same either way.
 */
function prunablePatterns(matcher: PatternMatcher): string[] {
	if (matcher.hasExclusions) return [];
	const globs: string[] = [];
	for (const pattern of matcher.patterns) {
		const text = pattern.text;
		const literal = text.startsWith('**/') ? text.slice(3) : text;
		if (!/^[\w.\-/]+$/.test(literal) || literal.split('/').some(part => part === '..' || part === '.' || part === '')) {
			continue;
		}
		globs.push(text.startsWith('**/') ? `**/${literal}/**` : `${literal}/**`);
	}
	return globs;
}
