// Following symlinks without leaving the context (moby/sys/symlink FollowSymlinkInScope), over the listed
// entries instead of the disk: `..` stops at the root and an absolute link target starts again from the
// root, so a link can never lead outside; a missing component is accepted as it is. The entries are a
// build context's, or an image's merged layers (builder/executor/image-tree.ts).
import {StrataError} from '../../errors.js';
import {goClean} from './go-path.js';

/** What the walk needs of an entry, by clean relative path: its type and, for a symlink, its target. */
export type ScopedEntries = {get(path: string): {type: string; linkname?: string} | undefined};

const maxLinks = 255;

/**
 * The path cannot be followed: it goes through a file as if it were a directory, or has too many links.
 * Docker reports both as a `forbidden path outside the build context`.
 */
export class ScopeError extends StrataError {}

/** The path (relative, `''` for the root) that `path` names once every symlink in it is followed. */
export function followSymlinksInScope(entries: ScopedEntries, path: string): string {
	if (namesItself(entries, path)) return path;
	let rest = goClean(`/${path}`);
	let resolved = '';
	for (let step = 0; rest !== ''; step++) {
		if (step > maxLinks) throw new ScopeError(`too many links in ${path}`);
		const slash = rest.indexOf('/');
		const part = slash === -1 ? rest : rest.slice(0, slash);
		rest = slash === -1 ? '' : rest.slice(slash + 1);
		if (part === '') continue;
		const candidate = goClean(`/${resolved}${part}`);
		if (candidate === '/') {
			resolved = '';
			continue;
		}
		const relative = candidate.slice(1);
		if (insideFile(entries, relative)) throw new ScopeError(`${relative}: not a directory`);
		const entry = entries.get(relative);
		if (!entry || entry.type !== 'symlink') {
			resolved += `${part}/`;
			continue;
		}
		const target = entry.linkname ?? '';
		if (target.startsWith('/')) resolved = '';
		rest = `${target}/${rest}`;
	}
	return goClean(`/${resolved}`).slice(1);
}

/**
 * The common case, decided without the walk below (a COPY of a 5,000-file directory follows every path):
 * a clean path whose ancestors are all listed directories and which is itself listed and no symlink.
 */
function namesItself(entries: ScopedEntries, path: string): boolean {
	if (path === '' || path.startsWith('/') || path.endsWith('/')) return false;
	const entry = entries.get(path);
	if (!entry || entry.type === 'symlink') return false;
	let start = 0;
	for (let slash = path.indexOf('/'); ; slash = path.indexOf('/', start)) {
		const part = path.slice(start, slash === -1 ? undefined : slash);
		if (part === '' || part === '.' || part === '..') return false;
		if (slash === -1) return true;
		if (entries.get(path.slice(0, slash))?.type !== 'dir') return false;
		start = slash + 1;
	}
}

/** Whether looking `path` up would fail with ENOTDIR: an existing ancestor, before any missing one, is not a directory. */
function insideFile(entries: ScopedEntries, path: string): boolean {
	for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
		const ancestor = entries.get(path.slice(0, slash));
		if (!ancestor) return false;
		if (ancestor.type !== 'dir') return true;
	}
	return false;
}

/** Whether a source path written in the Dockerfile climbs out of the context (`../x`, `a/../../x`). */
export function escapesScope(path: string): boolean {
	const clean = goClean(path);
	return clean === '..' || clean.startsWith('../');
}
