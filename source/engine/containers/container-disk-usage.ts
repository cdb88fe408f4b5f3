import type {Digest} from '../digest.js';
import type {Store} from '../store/store.js';
import {containerSize} from './container-size.js';
import {listContainers} from './container-store.js';
import {isActive} from './wait.js';

/**
 * The Containers row of `system df` (writable layers: all, and those of stopped containers, which prune
 * would free) and the images containers were created from (for the Images row's ACTIVE).
 */
export async function containerDiskUsage(store: Store): Promise<{total: number; active: number; size: number; reclaimable: number; imagesInUse: Set<Digest>}> {
	const usage = {total: 0, active: 0, size: 0, reclaimable: 0, imagesInUse: new Set<Digest>()};
	for (const {record, state} of await listContainers(store)) {
		const size = await containerSize(store, record).catch(() => 0);
		usage.total++;
		usage.size += size;
		usage.imagesInUse.add(record.image);
		if (isActive(state)) usage.active++;
		else usage.reclaimable += size;
	}
	return usage;
}
