// Records one build step as an intermediate image: its parent is the image the step ran on, so that the
// next build's cache finds it among that image's children. The record says a build wrote it (builtBy).
import type {Readable} from 'node:stream';
import type {ImageRecord} from '../../store/image-catalog.js';
import type {BuildLease} from '../cache/build-lease.js';
import type {LayerIndex} from '../../layer/types.js';
import type {Store} from '../../store/store.js';
import type {StageState} from './build-state.js';
import {childConfig, type ChildConfigOptions} from './child-config.js';

export interface WriteStepOptions extends Omit<ChildConfigOptions, 'layer' | 'created'> {
	/** The step's layer tar, or undefined for a config-only step (or a RUN that changed nothing). */
	layer?: Readable | AsyncIterable<Buffer>;
	label: string;
	/** The build's lease: the image is held inside the store write that makes it, before any prune can run. */
	lease?: BuildLease;
}

export async function writeStep(store: Store, state: StageState, options: WriteStepOptions): Promise<ImageRecord> {
	return store.write('build', async tx => {
		// Ingested under the store's lock, like commit's layer, so no collection runs between ingest and record.
		const layer = options.layer ? await store.layers.ingest(options.layer as AsyncIterable<Buffer>, {label: options.label}) : undefined;
		const created = new Date().toISOString();
		const config = childConfig(state.image, {settings: options.settings, createdBy: options.createdBy, author: options.author, created, layer: layer?.diffID});
		const baseLayers: LayerIndex[] = await Promise.all(state.image.rootfs.diff_ids.map(diffID => store.layers.index(diffID)));
		const stored = tx.catalog.records.size;
		const record = await tx.addImage(config, layer ? [...baseLayers, layer] : baseLayers, {parent: state.imageId});
		// An image stored before (same config) keeps its record; a new one is marked as a build step, which
		// is what makes it build cache while no tag names it (builder/cache/build-cache.ts).
		options.lease?.hold(record.id);
		if (tx.catalog.records.size === stored) return record;
		const step: ImageRecord = {...record, builtBy: 'build'};
		tx.catalog.records.set(step.id, step);
		return step;
	});
}
