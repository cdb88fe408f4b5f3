import {readdir, stat} from 'node:fs/promises';
import {buildCacheUsage} from '../builder/cache/build-cache.js';
import {containerDiskUsage} from '../containers/container-disk-usage.js';
import type {Digest} from '../digest.js';
import type {Store} from '../store/store.js';

export type DiskUsageRow = {type: string; total: number; active: number; size: number; reclaimable: number};

async function directorySize(dir: string): Promise<number> {
	let total = 0;
	for (const name of await readdir(dir).catch(() => [] as string[])) total += (await stat(`${dir}/${name}`).catch(() => ({size: 0}))).size;
	return total;
}

/** `docker system df`: images count layers once however many images share them. */
export async function diskUsage(store: Store): Promise<{rows: DiskUsageRow[]; storeBytes: number}> {
	const catalog = await store.catalog();
	const layers = new Set<Digest>();
	for (const record of catalog.records.values()) for (const diffID of record.diffIDs) layers.add(diffID);
	let size = 0;
	for (const diffID of layers) size += (await store.layers.readIndex(diffID))?.size ?? 0;
	const containerUsage = await containerDiskUsage(store);
	// Layers of images some container was created from are not reclaimable (prune -a keeps those images).
	const inUse = new Set<Digest>();
	for (const id of containerUsage.imagesInUse) for (const diffID of catalog.records.get(id)?.diffIDs ?? []) inUse.add(diffID);
	let inUseSize = 0;
	for (const diffID of inUse) inUseSize += (await store.layers.readIndex(diffID))?.size ?? 0;
	const activeImages = [...containerUsage.imagesInUse].filter(id => catalog.records.has(id)).length;
	const images: DiskUsageRow = {type: 'Images', total: catalog.records.size, active: activeImages, size, reclaimable: size - inUseSize};
	const {total, active, size: containersSize, reclaimable} = containerUsage;
	const containers: DiskUsageRow = {type: 'Containers', total, active, size: containersSize, reclaimable};
	const volumes: DiskUsageRow = {type: 'Local Volumes', total: 0, active: 0, size: 0, reclaimable: 0};
	// Build cache images are images too: the Images row counts them as well (as `images -a` lists them).
	const cache: DiskUsageRow = {type: 'Build Cache', ...(await buildCacheUsage(store, catalog, containerUsage.imagesInUse))};
	return {rows: [images, containers, volumes, cache], storeBytes: await directorySize(store.paths.blobs)};
}
