import type {Digest} from '../digest.js';
import {StrataError} from '../errors.js';
import {chainIDs} from '../image/identity.js';
import {resolveImage} from '../image/resolve.js';
import {familiarTag} from '../store/image-catalog.js';
import type {Store} from '../store/store.js';

export type HistoryItem = {
	/** The image ID along the local parent chain, else `<missing>` (Docker's rule). */
	id: Digest | '<missing>';
	created?: string;
	createdBy: string;
	author?: string;
	comment: string;
	emptyLayer: boolean;
	/** Content bytes of the layer this step added (0 for metadata steps). */
	size: number;
	/** The step's layer, when it added one: index into the image's layers, diff ID and chain ID. */
	layer?: {index: number; diffID: Digest; chainID: Digest};
	tags: string[];
};

/** `docker history`: one item per config history entry, newest first. */
export async function imageHistory(store: Store, input: string): Promise<HistoryItem[]> {
	const catalog = await store.catalog();
	const record = resolveImage(catalog, input);
	const config = await store.config(record);
	const diffIDs = config.rootfs.diff_ids;
	const chains = chainIDs(diffIDs);
	const items: HistoryItem[] = [];
	let layerIndex = 0;
	for (const entry of config.history ?? []) {
		let layer: HistoryItem['layer'];
		let size = 0;
		if (!entry.empty_layer) {
			if (layerIndex >= diffIDs.length) throw new StrataError(`image ${input}: too many non-empty layers in its history`);
			layer = {index: layerIndex, diffID: diffIDs[layerIndex], chainID: chains[layerIndex]};
			size = (await store.layers.readIndex(diffIDs[layerIndex]))?.size ?? 0;
			layerIndex++;
		}
		items.unshift({
			id: '<missing>',
			created: entry.created,
			createdBy: entry.created_by ?? '',
			author: entry.author,
			comment: entry.comment ?? '',
			emptyLayer: entry.empty_layer ?? false,
			size,
			layer,
			tags: [],
		});
	}
	// Docker walks the local parent chain, one image per history entry from the newest.
	let current: typeof record | undefined = record;
	for (const item of items) {
		if (!current) break;
		item.id = current.id;
		item.tags = catalog.tagsOf(current.id).map(familiarTag);
		current = current.parent ? catalog.records.get(current.parent) : undefined;
	}
	return items;
}
