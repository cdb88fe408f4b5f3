// COPY and ADD: sources from the build context or a stage's files (`--from`) into one new layer. The
// history text carries the sources' content hash (`/bin/sh -c #(nop) COPY file:<hash> in /dest `), which
// is what makes a changed file miss the cache.
import type {BuildContext} from '../context/build-context.js';
import {combineSourceHashes, contextSourceHash} from '../context/copy-hash.js';
import {resolveCopySources, type ContextSource} from '../context/copy-sources.js';
import {StrataError} from '../../errors.js';
import type {ImageRecord} from '../../store/image-catalog.js';
import type {Store} from '../../store/store.js';
import {dockerfileError} from '../dockerfile/problem.js';
import type {AddInstruction, CopyInstruction} from '../dockerfile/types.js';
import type {StageState} from './build-state.js';
import {childConfig} from './child-config.js';
import {defaultShell} from './config-step.js';
import {downloadHash, downloadUrlSource} from './add-url.js';
import {absoluteDestination, copyLayerTar} from './copy-layer.js';
import {heredocSource} from './copy-heredoc.js';
import {parseChmod, resolveOwner} from './copy-owner.js';
import type {ImageTree} from './image-tree.js';
import type {BuildLease} from '../cache/build-lease.js';
import {FileSources} from './file-source.js';
import {findCachedChild} from './step-cache.js';
import {writeStep} from './write-step.js';

export interface CopyStepOptions {
	file: string;
	/** Where the sources are: the build context, or the `--from` stage's or image's files. */
	context: BuildContext;
	/** The current image's files (undefined for scratch), asked for only when the step is no cache hit. */
	tree: () => Promise<ImageTree | undefined>;
	noCache: boolean;
	lease?: BuildLease;
}

export async function copyStep(store: Store, state: StageState, instruction: CopyInstruction | AddInstruction, options: CopyStepOptions): Promise<{image: ImageRecord; cached: boolean}> {
	const files = new FileSources();
	try {
		return await copyFrom(store, state, instruction, options, files);
	} finally {
		await files.cleanUp();
	}
}

async function copyFrom(store: Store, state: StageState, instruction: CopyInstruction | AddInstruction, options: CopyStepOptions, files: FileSources): Promise<{image: ImageRecord; cached: boolean}> {
	const fail = (message: string) => dockerfileError(options.file, instruction.line, message);
	let sources: ContextSource[];
	try {
		sources = await copySources(instruction, options.context, files);
	} catch (error) {
		if (error instanceof StrataError) throw fail(error.message);
		throw error;
	}
	const settings = structuredClone(state.image.config ?? {});
	const hash = await sourcesHash(sources);
	// moby's performCopy: `fmt.Sprintf("%s %s%s in %s ", cmdName, chownComment, srcHash, dest)`, so the flag
	// runs into the hash (`COPY --chown=5:6dir:<hash> in /x `).
	const chown = instruction.chown ? `--chown=${instruction.chown}` : '';
	const createdBy = [...(settings.Shell ?? defaultShell), `#(nop) ${instruction.kind} ${chown}${hash} in ${instruction.destination} `].join(' ');
	if (!options.noCache) {
		const cached = await findCachedChild(store, state.imageId, childConfig(state.image, {settings, createdBy, created: ''}));
		if (cached) return {image: cached, cached: true};
	}
	const tree = await options.tree();
	let owner;
	let mode;
	try {
		owner = instruction.chown === undefined || instruction.chown === '' ? undefined : await resolveOwner(instruction.chown, tree);
		mode = instruction.chmod === undefined || instruction.chmod === '' ? undefined : parseChmod(instruction.chmod);
	} catch (error) {
		if (error instanceof StrataError) throw fail(error.message);
		throw error;
	}
	const destination = absoluteDestination(instruction.destination, settings.WorkingDir);
	const unpackArchives = instruction.kind === 'ADD' && instruction.unpack !== false;
	const layer = await copyLayerTar({sources, destination, tree, owner, mode, unpackArchives});
	const image = await writeStep(store, state, {settings, createdBy, layer, label: `${instruction.kind} step (line ${instruction.line})`, lease: options.lease});
	return {image, cached: false};
}

/** The context (or stage) paths, downloads and heredoc bodies the instruction copies, in that order. */
async function copySources(instruction: CopyInstruction | AddInstruction, context: BuildContext, files: FileSources): Promise<ContextSource[]> {
	const {heredocs, destination} = instruction;
	const checksum = instruction.kind === 'ADD' ? instruction.checksum : undefined;
	const resolved = instruction.sources.length === 0 && heredocs.length > 0 ? [] : resolveCopySources(context, instruction.sources, {instruction: instruction.kind, destination, inlineSources: heredocs.length});
	if (checksum !== undefined) {
		if (resolved.length + heredocs.length !== 1) throw new StrataError("checksum can't be specified for multiple sources");
		if (resolved[0]?.kind !== 'url') throw new StrataError("checksum can't be specified for non-HTTP sources");
	}
	const sources: ContextSource[] = [];
	for (const source of resolved) sources.push(source.kind === 'url' ? await downloadUrlSource(files, source.url, {destination, checksum}) : source);
	for (const heredoc of heredocs) sources.push(await heredocSource(files, heredoc));
	return sources;
}

/** Docker's hash: each source's own (`file:`, `dir:`; a download's bare sum), `multi:` for several. */
async function sourcesHash(sources: readonly ContextSource[]): Promise<string> {
	const hashes: string[] = [];
	for (const source of sources) hashes.push(source.remote ? await downloadHash(source) : await contextSourceHash(source));
	return combineSourceHashes(hashes);
}
