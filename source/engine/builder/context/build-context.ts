// The build context as COPY and ADD see it: what the CLI sends (listContext), minus the Dockerfile and
// .dockerignore when .dockerignore excludes them (the daemon removes them after reading them, in
// remotecontext.removeDockerfile), plus the parent directories extraction creates for re-included files.
import {resolve} from 'node:path';
import {compareWalkOrder, type ContextEntry} from './context-entry.js';
import {loadDockerignore} from './dockerignore.js';
import {dockerfileInContext, listContext} from './list-context.js';
import type {PatternMatcher} from './pattern-matcher.js';

export interface BuildContext {
	/** Absolute directory the entries are read from. */
	root: string;
	/**
	 * `context`: a build context, sent by the CLI with owners reset to 0:0 (COPY's messages mention the
	 * context and .dockerignore). `stage`: a stage's or image's filesystem for `COPY --from`, hashed from the
	 * files themselves (real owners and their names, file type bits in the mode; copy-hash.ts headerText).
	 */
	origin: 'context' | 'stage';
	/** Every entry by path, synthetic parent directories included. */
	entries: ReadonlyMap<string, ContextEntry>;
	/** Paths in Go's walk order. */
	order: readonly string[];
	/** Content sums already computed, by path (filled by copy-hash.ts). */
	sums: Map<string, string>;
	/**
	 * When the listing started (ms since the epoch): a file changed less than a moment before it may change
	 * again unseen within its timestamps' granularity, so the sum cache keeps no sum for it (git's racy git).
	 */
	listedAt?: number;
}

export interface LoadBuildContextOptions {
	/** As for listContext: the Dockerfile inside the context, `-` for stdin, or undefined. */
	dockerfilePath?: string;
}

export async function loadBuildContext(contextDir: string, options: LoadBuildContextOptions = {}): Promise<BuildContext> {
	const root = resolve(contextDir);
	const listedAt = Date.now();
	const ignore = await loadDockerignore(root);
	const sent = await listContext(root, {dockerfilePath: options.dockerfilePath, ignore});
	const removed = removedBuildFiles(ignore, dockerfileInContext(root, options.dockerfilePath));
	const kept = sent.filter(entry => !removed.some(path => entry.path === path || entry.path.startsWith(`${path}/`)));
	return {...createBuildContext(root, kept, 'context'), listedAt};
}

/** A context over entries listed some other way (a stage's root filesystem: listContext with detectHardlinks off). */
export function createBuildContext(root: string, entries: readonly ContextEntry[], origin: BuildContext['origin']): BuildContext {
	const map = new Map<string, ContextEntry>();
	for (const entry of entries) map.set(entry.path, entry);
	for (const entry of entries) {
		for (let slash = entry.path.lastIndexOf('/'); slash > 0; slash = entry.path.lastIndexOf('/', slash - 1)) {
			const parent = entry.path.slice(0, slash);
			if (map.has(parent)) break;
			map.set(parent, syntheticDirectory(parent));
		}
	}
	const order = [...map.keys()].sort(compareWalkOrder);
	return {root: resolve(root), origin, entries: map, order, sums: new Map()};
}

/** `.dockerignore` and the Dockerfile, when the patterns exclude them or a parent (MatchesOrParentMatches). */
function removedBuildFiles(ignore: PatternMatcher, dockerfile: string | undefined): string[] {
	const candidates = dockerfile === undefined ? ['.dockerignore'] : ['.dockerignore', dockerfile];
	return candidates.filter(path => ignore.matches(path));
}

function syntheticDirectory(path: string): ContextEntry {
	return {
		path,
		type: 'dir',
		mode: 0o755,
		size: 0,
		uid: 0,
		gid: 0,
		mtimeMs: 0,
		linkname: '',
		devmajor: 0,
		devminor: 0,
		synthetic: true,
	};
}
