import {readdir} from 'node:fs/promises';
import type {Readable} from 'node:stream';
import {type Digest, shortId} from '../digest.js';
import {StrataError} from '../errors.js';
import type {LayerIndex} from '../layer/types.js';
import {type Operation, type ProgressEvent, operation} from '../progress.js';
import {familiarReference, fullReference} from '../reference/reference.js';
import type {ImageRecord} from '../store/image-catalog.js';
import type {Store, StoreTransaction} from '../store/store.js';
import type {ArchiveSource} from './archive-source.js';
import {planFromDockerManifest} from './docker-manifest-plan.js';
import {loadLayer} from './load-layer.js';
import type {PlannedImage} from './load-plan.js';
import {planFromOciLayout} from './oci-layout-plan.js';
import {openArchiveSource} from './open-archive.js';

export type LoadOptions = {
	/** A tar (plain or gzip), an OCI layout directory, or `-` for stdin. */
	file: string;
	/** Read for `-`; process.stdin when not given. */
	stdin?: Readable;
};

/** One loaded image: the CLI prints `Loaded image: <tag>` per tag, or `Loaded image ID: <id>` when untagged. */
export type LoadedImage = {id: Digest; tags: string[]};

export type LoadResult = {
	loaded: LoadedImage[];
	/** Tags that pointed at another image before (Docker: "The image X already exists, renaming the old one..."). */
	moved: Array<{tag: string; previousId: Digest}>;
};

/** manifest.json wins when both are there, as in `docker load`: Docker 25+ archives carry both. */
async function planLoad(source: ArchiveSource): Promise<PlannedImage[]> {
	if (await source.has('manifest.json')) return planFromDockerManifest(source);
	if (await source.has('index.json')) return planFromOciLayout(source);
	const hint = source.incomplete ? ' (the archive has no end marker: was it cut short?)' : '';
	throw new StrataError(`${source.label}: not an image archive: it has no manifest.json or index.json${hint}`);
}

function describe(image: PlannedImage): string {
	return image.tags.length > 0 ? image.tags.map(familiarReference).join(', ') : shortId(image.id);
}

/**
 * Ingests every layer and config, then moves the tags. The transaction publishes nothing when
 * anything fails; what this load wrote to blobs/ by then is removed here, since no image refers to it.
 */
async function applyLoad(
	store: Store,
	tx: StoreTransaction,
	source: ArchiveSource,
	plan: PlannedImage[],
	emit: (event: ProgressEvent) => void,
): Promise<LoadResult> {
	const blobsBefore = new Set(await readdir(store.paths.blobs));
	try {
		const records: ImageRecord[] = [];
		for (const image of plan) {
			emit({kind: 'step', message: `Loading ${describe(image)}`});
			const layers: LayerIndex[] = [];
			for (const layer of image.layers) layers.push(await loadLayer(store, source, layer, emit));
			records.push(await tx.addImage(image.config, layers, {configBytes: image.configBytes}));
		}
		const result: LoadResult = {loaded: [], moved: []};
		for (const [i, image] of plan.entries()) {
			const id = records[i]!.id;
			for (const tag of image.tags) {
				const previousId = tx.setTag(fullReference(tag), id);
				if (previousId && previousId !== id) result.moved.push({tag: familiarReference(tag), previousId});
			}
			result.loaded.push({id, tags: image.tags.map(familiarReference)});
		}
		return result;
	} catch (error) {
		for (const name of await readdir(store.paths.blobs)) {
			if (!blobsBefore.has(name)) await store.layers.delete(`sha256:${name}`);
		}
		throw error;
	}
}

/** `docker load`: the images of a `docker save` archive (Docker 20.10 or 25+) or an OCI layout. */
export function loadArchive(store: Store, options: LoadOptions): Operation<LoadResult> {
	return operation(async emit =>
		// Opened inside the transaction: a stream is spooled to the store's tmp dir, which the
		// transaction sweeps of this process's temp files when it starts.
		store.write('load', async tx => {
			const source = await openArchiveSource(options.file, {tmpDir: store.paths.tmp, stdin: options.stdin});
			try {
				// Planning reads only JSON and tar headers: a malformed archive fails before any blob is written.
				const plan = await planLoad(source);
				return await applyLoad(store, tx, source, plan, emit);
			} finally {
				await source.close();
			}
		}),
	);
}
