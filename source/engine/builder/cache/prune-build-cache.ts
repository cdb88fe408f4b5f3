// `strata builder prune`: removes the build cache (build-cache.ts) in one store write. The store's write
// collects the layers no image references any more, as after `image prune`; the space is counted the same way.
import {containersByImage} from '../../containers/image-users.js';
import type {Digest} from '../../digest.js';
import {releasedSpace} from '../../images/prune.js';
import type {Store} from '../../store/store.js';
import {findBuildCache} from './build-cache.js';
import type {BuildCachePruneFilters} from './prune-filters.js';

export type BuildCachePruneResult = {deleted: Digest[]; spaceReclaimed: number};

/**
 * Removes every cache image no container depends on (`image prune`'s rule: an image a container was
 * created from stays, and so do its ancestors), filtered by `until`. The next build of what they cached
 * is a cold one; tagged images and their layers are untouched. `-a` (Docker's "all build cache, not just
 * dangling") removes the same: every strata cache image is unreferenced, there is no shared cache to keep.
 */
export async function pruneBuildCache(store: Store, filters: BuildCachePruneFilters = {}): Promise<BuildCachePruneResult> {
	return store.write('builder prune', async tx => {
		const before = new Map(tx.catalog.records);
		// Read under the lock: a container created now renames itself into place under this same lock.
		const {images, active} = findBuildCache(tx.catalog, containersByImage(tx.store.paths).keys());
		const deleted = images
			.filter(record => !active.has(record.id))
			.filter(record => filters.until === undefined || new Date(record.addedAt).getTime() < filters.until.getTime())
			.map(record => record.id);
		for (const id of deleted) tx.removeImage(id);
		return {deleted, spaceReclaimed: await releasedSpace(store, before, tx)};
	});
}
