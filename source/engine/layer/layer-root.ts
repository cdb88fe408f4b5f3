import {chmodSync, lstatSync, mkdirSync, readlinkSync, type Stats} from 'node:fs';
import {dirname} from 'node:path';
import {layerError, quote} from './layer-error.js';

/** Linux gives up after 40 symlinks in one lookup (ELOOP); so does strata. */
const maxSymlinkHops = 40;

/** Mode of directories a layer implies without listing them (Docker's `ImpliedDirectoryMode`). */
export const impliedDirectoryMode = 0o755;

/**
 * The directory a layer is extracted into, and the only place lookups may lead. Paths are resolved
 * one component at a time with lstat, so nothing is ever looked up through the host's view of a
 * symlink: a symlinked directory is followed as a container would see it (absolute targets start at
 * the root, `..` stops at the root), and only to a directory that already exists inside the root.
 * What is written through it therefore always lands inside the root.
 */
export class LayerRoot {
	/** Resolved real paths of directories, keyed by their path in the layer. */
	private readonly cache = new Map<string, string>();

	/** `path` must be the real (symlink-free) absolute path of an existing directory. */
	constructor(
		readonly path: string,
		private readonly label: string,
	) {}

	/** Call after anything was removed or replaced: cached lookups may be stale. */
	forget(): void {
		this.cache.clear();
	}

	/**
	 * The real path of the directory at clean layer path `dir` (`''` is the root). With `create`, for
	 * writing, missing directories are created (mode 0755) and anything else in the way is an error;
	 * without, the result is undefined when there is no such directory. `entry` names the layer entry
	 * in errors.
	 *
	 * Synchronous, and a directory whose parent was resolved before costs one lstat: a layer has hundreds
	 * of directories, and walking each from the root with thread-pool round trips kept extraction waiting
	 * (~40% of unpacking Debian's minbase was idle).
	 */
	resolveDirectory(dir: string, options: {create: boolean; entry: string}): string | undefined {
		if (dir === '') return this.path;
		const cached = this.cache.get(dir);
		if (cached !== undefined) return cached;
		const slash = dir.lastIndexOf('/');
		const parent = slash === -1 ? this.path : this.cache.get(dir.slice(0, slash));
		const last = dir.slice(slash + 1);
		if (parent !== undefined && last !== '.' && last !== '..') {
			// The common case: a directory right under one already resolved, and no symlink in the way.
			const candidate = `${parent}/${last}`;
			const stats = lstatOrUndefined(candidate);
			if (stats?.isDirectory()) return this.remember(dir, candidate);
			if (stats === undefined && options.create) {
				makeImpliedDirectory(candidate);
				return this.remember(dir, candidate);
			}
		}
		return this.walk(dir, options);
	}

	private remember(dir: string, real: string): string {
		this.cache.set(dir, real);
		return real;
	}

	/** resolveDirectory from the root, one component at a time, following symlinks inside the root. */
	private walk(dir: string, options: {create: boolean; entry: string}): string | undefined {
		// Components still to walk; `via` describes the symlink they came from, if any.
		const pending: Array<{part: string; via?: string}> = dir.split('/').map(part => ({part}));
		let current = this.path;
		let walked = '';
		let hops = 0;
		while (pending.length > 0) {
			const {part, via} = pending.shift()!;
			if (part === '' || part === '.') continue;
			if (part === '..') {
				if (current !== this.path) current = dirname(current);
				continue;
			}
			if (via === undefined) walked = walked === '' ? part : `${walked}/${part}`;
			const candidate = `${current}/${part}`;
			const stats = lstatOrUndefined(candidate);
			if (stats === undefined) {
				if (!options.create) return undefined;
				// Creating directories is fine in the layer's own tree, but not at a symlink's destination.
				if (via !== undefined) throw this.throughSymlink(options.entry, via);
				makeImpliedDirectory(candidate);
				current = candidate;
			} else if (stats.isDirectory()) {
				current = candidate;
			} else if (stats.isSymbolicLink()) {
				if (++hops > maxSymlinkHops) {
					throw layerError(this.label, `too many levels of symlinks under ${quote(options.entry)}`);
				}
				const target = readlinkSync(candidate);
				if (target.startsWith('/')) current = this.path;
				const link = via ?? `${quote(walked)} -> ${quote(target)}`;
				pending.unshift(...target.split('/').map(targetPart => ({part: targetPart, via: link})));
			} else {
				if (!options.create) return undefined;
				const what = via === undefined ? quote(walked) : `the target of symlink ${via}`;
				throw layerError(this.label, `cannot extract ${quote(options.entry)}: ${what} is not a directory`);
			}
		}
		return this.remember(dir, current);
	}

	private throughSymlink(entry: string, link: string): Error {
		return layerError(
			this.label,
			`cannot extract ${quote(entry)}: it would be written through symlink ${link}, ` +
				'which does not lead to a directory inside the layer root',
		);
	}
}

/** A directory the layer implies without listing it: mode 0755 whatever the umask. */
function makeImpliedDirectory(path: string): void {
	mkdirSync(path);
	chmodSync(path, impliedDirectoryMode);
}

function lstatOrUndefined(path: string): Stats | undefined {
	return lstatSync(path, {throwIfNoEntry: false});
}
