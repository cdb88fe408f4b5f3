import {initFilePaths} from './mount-points.js';

/**
 * What Docker keeps in a container's init layer rather than its writable one, so that neither `diff` nor
 * `commit` ever shows it: the init files (bind-mounted from containers/<id>/init/), `/.dockerenv`,
 * whatever is under `/dev` (a tmpfs at run time), and `/proc` and `/sys` (kernel mounts).
 */
const excludedPaths = new Set<string>([...initFilePaths, '.dockerenv', 'proc', 'sys']);
const excludedSubtrees = ['dev/', 'proc/', 'sys/'];

/** True for a clean relative path (no leading `/`) that must never be part of a diff or a commit. */
export function isExcludedFromDiff(path: string): boolean {
	return excludedPaths.has(path) || excludedSubtrees.some(prefix => path.startsWith(prefix));
}

/** The names of excludedPaths by their parent directory ('' for the root). */
const excludedByParent = new Map<string, Set<string>>();
for (const path of excludedPaths) {
	const slash = path.lastIndexOf('/');
	const parent = slash === -1 ? '' : path.slice(0, slash);
	excludedByParent.set(parent, (excludedByParent.get(parent) ?? new Set()).add(path.slice(slash + 1)));
}

/**
 * What isExcludedFromDiff leaves out of directory `dir` (a clean relative path, '' for the root): every
 * entry (`'all'`: under /dev, /proc, /sys), a few names (the root's, /etc's) or nothing (undefined). A walk
 * asks once per directory rather than once per entry.
 */
export function excludedNames(dir: string): 'all' | ReadonlySet<string> | undefined {
	if (excludedSubtrees.some(prefix => `${dir}/`.startsWith(prefix))) return 'all';
	return excludedByParent.get(dir);
}
