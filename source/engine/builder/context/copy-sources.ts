// resolveCopySources: what COPY/ADD sources name in a build context, by the classic builder's rules
// (moby daemon/builder/dockerfile/copy.go): a leading `/` and `./` are ignored; a source with `*`, `?` or
// `[` is a filepath.Match pattern tried against every path of the context; symlinks are followed inside the
// context; a path written to climb out of the context is refused; ADD accepts http(s) URLs.
import {StrataError} from '../../errors.js';
import type {BuildContext} from './build-context.js';
import type {ContextEntry} from './context-entry.js';
import {BadPatternError, containsWildcards, goMatch} from './go-path.js';
import {escapesScope, followSymlinksInScope, ScopeError} from './scoped-path.js';

/** A source found in the context. */
export interface ContextSource {
	kind: 'context';
	/** The source as written, after dropping a leading `/` and `./` (or the matching path, for a pattern). */
	source: string;
	/** Path of what is copied, symlinks followed (`''` for the whole context). */
	path: string;
	/** The name a file gets when copied into a directory: the source's own base name, even for a symlink. */
	name: string;
	/** The entry copied: a directory's contents are copied, symlinks below it stay symlinks. */
	entry: ContextEntry;
	context: BuildContext;
	/** Downloaded by ADD from a URL: never unpacked, and hashed without the `file:` prefix (as Docker does). */
	remote?: boolean;
}

/** An ADD source to download. */
export interface UrlSource {
	kind: 'url';
	url: string;
}

export type CopySource = ContextSource | UrlSource;

export interface ResolveCopyOptions {
	/** For messages and URL handling (COPY refuses URLs). Default COPY. */
	instruction?: 'COPY' | 'ADD';
	/** Treat `*`, `?` and `[` as patterns (Docker always does for COPY/ADD sources). Default true. */
	wildcards?: boolean;
	/** The destination, to check that several sources go into a directory (`/dest/`). */
	destination?: string;
	/** Heredoc sources the instruction also has: they count as sources. Default 0. */
	inlineSources?: number;
}

/** Docker's urlutil.IsURL: only http and https sources are downloaded. */
export function isUrlSource(source: string): boolean {
	return source.startsWith('http://') || source.startsWith('https://');
}

/** Throws StrataError with Docker's message (`COPY failed: file not found in build context ...`). */
export function resolveCopySources(
	context: BuildContext,
	sources: readonly string[],
	options: ResolveCopyOptions = {},
): CopySource[] {
	const instruction = options.instruction ?? 'COPY';
	const failed = (message: string) => new StrataError(`${instruction} failed: ${message}`);
	const resolved: CopySource[] = [];
	for (const written of sources) {
		if (isUrlSource(written)) {
			if (instruction === 'COPY') throw failed("source can't be a URL for COPY");
			resolved.push({kind: 'url', url: written});
			continue;
		}
		let source = written.startsWith('/') ? written.slice(1) : written;
		if (source.startsWith('./')) source = source.slice(2);
		if (options.wildcards !== false && containsWildcards(source)) {
			for (const path of context.order) {
				if (matchesPattern(source, path)) resolved.push(findSource(context, path, failed));
			}
		} else {
			resolved.push(findSource(context, source, failed));
		}
	}
	const count = resolved.length + (options.inlineSources ?? 0);
	if (count === 0) throw failed('no source files were specified');
	const destination = options.destination;
	if (destination !== undefined && count > 1 && !destination.endsWith('/')) {
		throw new StrataError(
			`When using ${instruction} with more than one source file, the destination must be a directory and end with a /`,
		);
	}
	return resolved;
}

/**
 * What copying a source writes: a file source's (followed) entry, or everything below a directory source in
 * walk order, symlinks as symlinks (the directory itself is not included: its contents go to the destination).
 */
export function copiedEntries(source: ContextSource): ContextEntry[] {
	if (source.entry.type !== 'dir') return [source.entry];
	const prefix = source.path === '' ? '' : `${source.path}/`;
	return source.context.order
		.filter(path => path.startsWith(prefix) && path !== source.path)
		.map(path => source.context.entries.get(path)!);
}

function matchesPattern(pattern: string, path: string): boolean {
	try {
		return goMatch(pattern, path);
	} catch (error) {
		// Docker ignores the error: a malformed pattern simply matches nothing.
		if (error instanceof BadPatternError) return false;
		throw error;
	}
}

function findSource(context: BuildContext, source: string, failed: (message: string) => StrataError): ContextSource {
	const forbidden = () => failed(`forbidden path outside the build context: ${source} ()`);
	if (escapesScope(source)) throw forbidden();
	let path: string;
	try {
		path = followSymlinksInScope(context.entries, source);
	} catch (error) {
		if (error instanceof ScopeError) throw forbidden();
		throw error;
	}
	const entry = path === '' ? rootEntry() : context.entries.get(path);
	if (!entry) {
		const stat = `stat ${source}: file does not exist`;
		throw failed(context.origin === 'context' ? `file not found in build context or excluded by .dockerignore: ${stat}` : stat);
	}
	return {kind: 'context', source, path, name: baseName(source), entry, context};
}

function rootEntry(): ContextEntry {
	return {path: '', type: 'dir', mode: 0o755, size: 0, uid: 0, gid: 0, mtimeMs: 0, linkname: '', devmajor: 0, devminor: 0};
}

/** Go's filepath.Base. */
function baseName(path: string): string {
	const trimmed = path.replace(/\/+$/, '');
	if (trimmed === '') return path === '' ? '.' : '/';
	return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
