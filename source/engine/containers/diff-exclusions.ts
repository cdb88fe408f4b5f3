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
