// What strata's build cache is. The classic builder keeps each step as an image whose parent is the step
// before (step-cache.ts finds them again), so the cache is images, not a store of its own: every image a
// build wrote (ImageRecord.builtBy) that no tag names. That includes a build's untagged result (a build
// without -t, a failed build's last step, the old result after -t moved to a rebuild): Docker counts those
// as dangling images, strata counts them in both rows, since only the cache or the ID finds them again.
// Images a build did not write (imported, loaded, committed) are never cache, tagged or not.
import type {Digest} from '../../digest.js';
import {releasedSpace} from '../../images/prune.js';
import type {ImageCatalog, ImageRecord} from '../../store/image-catalog.js';
import {type Store, StoreTransaction} from '../../store/store.js';
import {byCodeUnits} from '../../ordering.js';

export type BuildCache = {
	/** Untagged images a build wrote, oldest first. */
	images: ImageRecord[];
	/** Those a container uses, directly or as an ancestor of its image: prune keeps them. */
	active: Set<Digest>;
};

/** The build cache of `catalog`, given the images containers were created from. */
export function findBuildCache(catalog: ImageCatalog, imagesInUse: Iterable<Digest>): BuildCache {
	const images = [...catalog.records.values()]
		.filter(record => record.builtBy === 'build' && catalog.tagsOf(record.id).length === 0)
		.sort((a, b) => byCodeUnits(a.addedAt, b.addedAt) || byCodeUnits(a.id, b.id));
	const usedChains = new Set<Digest>();
	for (const id of imagesInUse) {
		for (let current = catalog.records.get(id); current && !usedChains.has(current.id); current = current.parent ? catalog.records.get(current.parent) : undefined) {
			usedChains.add(current.id);
		}
	}
	return {images, active: new Set(images.filter(record => usedChains.has(record.id)).map(record => record.id))};
}

/**
 * Bytes of the layers that only `ids` use: what removing them frees (a layer another image shares frees
 * nothing). Worked out by the same removal and count `image prune` uses, on a copy of the catalog.
 */
export async function exclusiveLayerBytes(store: Store, catalog: ImageCatalog, ids: Iterable<Digest>): Promise<number> {
	const tx = new StoreTransaction(store, catalog.clone());
	for (const id of ids) tx.removeImage(id);
	return releasedSpace(store, catalog.records, tx);
}

export type BuildCacheUsage = {total: number; active: number; size: number; reclaimable: number};

/** `system df`'s Build Cache row: SIZE counts every cache image's own layers, RECLAIMABLE the inactive ones'. */
export async function buildCacheUsage(store: Store, catalog: ImageCatalog, imagesInUse: Iterable<Digest>): Promise<BuildCacheUsage> {
	const {images, active} = findBuildCache(catalog, imagesInUse);
	const ids = images.map(record => record.id);
	return {
		total: images.length,
		active: active.size,
		size: await exclusiveLayerBytes(store, catalog, ids),
		reclaimable: await exclusiveLayerBytes(store, catalog, ids.filter(id => !active.has(id))),
	};
}
