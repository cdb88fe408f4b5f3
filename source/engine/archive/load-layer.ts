import {createHash} from 'node:crypto';
import {type Digest, shortId} from '../digest.js';
import {StrataError} from '../errors.js';
import type {LayerIndex} from '../layer/types.js';
import type {ProgressEvent} from '../progress.js';
import type {Store} from '../store/store.js';
import type {ArchiveSource} from './archive-source.js';
import type {PlannedLayer} from './load-plan.js';

// Progress for a big layer would be thousands of events; a few per second is what a display can show.
const progressIntervalMs = 100;

/**
 * The member's bytes as stored, counted for progress and, when the archive states the blob's digest,
 * hashed: a mismatch fails the stream before the layer store commits anything.
 */
async function* measured(
	source: ArchiveSource,
	layer: PlannedLayer,
	total: number,
	emit: (event: ProgressEvent) => void,
): AsyncGenerator<Buffer> {
	const hash = layer.digest ? createHash('sha256') : undefined;
	const id = shortId(layer.diffID);
	let current = 0;
	let lastEmit = 0;
	for await (const chunk of source.openStream(layer.member)) {
		hash?.update(chunk as Buffer);
		current += (chunk as Buffer).length;
		const now = Date.now();
		if (now - lastEmit >= progressIntervalMs) {
			lastEmit = now;
			emit({kind: 'bytes', id, label: 'Loading layer', current, total});
		}
		yield chunk as Buffer;
	}
	if (hash && layer.digest) {
		const actual: Digest = `sha256:${hash.digest('hex')}`;
		if (actual !== layer.digest) {
			throw new StrataError(`${source.label}: ${layer.member} does not match its digest (content is ${actual})`);
		}
	}
	emit({kind: 'bytes', id, label: 'Loading layer', current, total});
}

/** Ingests one layer of an archive, or reuses the stored copy: a layer shared by many images is stored once. */
export async function loadLayer(
	store: Store,
	source: ArchiveSource,
	layer: PlannedLayer,
	emit: (event: ProgressEvent) => void,
): Promise<LayerIndex> {
	if (await store.layers.has(layer.diffID)) {
		emit({kind: 'log', message: `${shortId(layer.diffID)}: layer already exists`});
		return store.layers.index(layer.diffID);
	}
	const total = await source.size(layer.member);
	return store.layers.ingest(measured(source, layer, total, emit), {
		label: `${source.label}: ${layer.member}`,
		expectedDiffID: layer.diffID,
	});
}
