// COPY and ADD: sources from the build context or a stage's files (`--from`) into one new layer. The
// history text carries the sources' content hash (`/bin/sh -c #(nop) COPY file:<hash> in /dest `), which
// is what makes a changed file miss the cache.
import type {BuildContext} from '../context/build-context.js';
import {copySourceHash} from '../context/copy-hash.js';
import {resolveCopySources, type ContextSource} from '../context/copy-sources.js';
import {StrataError} from '../../errors.js';
import type {ImageRecord} from '../../store/image-catalog.js';
import type {Store} from '../../store/store.js';
import {dockerfileError} from '../dockerfile/problem.js';
import type {AddInstruction, CopyInstruction} from '../dockerfile/types.js';
import type {StageState} from './build-state.js';
import {childConfig} from './child-config.js';
import {defaultShell} from './config-step.js';
import {absoluteDestination, copyLayerTar} from './copy-layer.js';
import {parseChmod, resolveOwner} from './copy-owner.js';
import {findCachedChild} from './step-cache.js';
import {writeStep} from './write-step.js';

export interface CopyStepOptions {
	file: string;
	/** Where the sources are: the build context, or the `--from` stage's or image's files. */
	context: BuildContext;
	/** The current image's unpacked files, undefined for scratch. */
	lower?: string;
	noCache: boolean;
}

export async function copyStep(store: Store, state: StageState, instruction: CopyInstruction | AddInstruction, options: CopyStepOptions): Promise<{image: ImageRecord; cached: boolean}> {
	const fail = (message: string) => dockerfileError(options.file, instruction.line, message);
	if (instruction.heredocs.length > 0) throw fail(`${instruction.kind} with a heredoc source is not supported yet`);
	let sources: ContextSource[];
	try {
		const resolved = resolveCopySources(options.context, instruction.sources, {instruction: instruction.kind, destination: instruction.destination});
		if (resolved.some(source => source.kind === 'url')) throw new StrataError('ADD from a URL is not supported yet');
		sources = resolved as ContextSource[];
	} catch (error) {
		if (error instanceof StrataError) throw fail(error.message);
		throw error;
	}
	const settings = structuredClone(state.image.config ?? {});
	const hash = await copySourceHash(sources);
	const createdBy = [...(settings.Shell ?? defaultShell), `#(nop) ${instruction.kind} ${hash} in ${instruction.destination} `].join(' ');
	if (!options.noCache) {
		const cached = await findCachedChild(store, state.imageId, childConfig(state.image, {settings, createdBy, created: ''}));
		if (cached) return {image: cached, cached: true};
	}
	let owner;
	let mode;
	try {
		owner = instruction.chown === undefined || instruction.chown === '' ? undefined : await resolveOwner(instruction.chown, options.lower);
		mode = instruction.chmod === undefined || instruction.chmod === '' ? undefined : parseChmod(instruction.chmod);
	} catch (error) {
		if (error instanceof StrataError) throw fail(error.message);
		throw error;
	}
	const destination = absoluteDestination(instruction.destination, settings.WorkingDir);
	const unpackArchives = instruction.kind === 'ADD' && instruction.unpack !== false;
	const layer = await copyLayerTar({sources, destination, lower: options.lower, owner, mode, unpackArchives});
	const image = await writeStep(store, state, {settings, createdBy, layer, label: `${instruction.kind} step (line ${instruction.line})`});
	return {image, cached: false};
}
