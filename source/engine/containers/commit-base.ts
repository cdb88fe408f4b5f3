import type {ImageConfig} from '../image/types.js';
import type {ImageRecord} from '../store/image-catalog.js';
import type {Store, StoredLayer} from '../store/store.js';

/**
 * The base image's layers as the commit's manifest lists them. strata's own manifests list each layer
 * uncompressed under its diff ID, so the manifest already has every size; only a base another tool
 * stored (compressed layers under other digests) needs its layers' indexes (each a read and parse of
 * the whole entry list: ~50 ms for a Debian base, most of what a commit waited for besides its own files).
 */
export async function baseLayers(store: Store, base: ImageRecord, config: ImageConfig): Promise<StoredLayer[]> {
	const diffIDs = config.rootfs.diff_ids;
	const {layers} = await store.manifest(base);
	if (layers.length === diffIDs.length && layers.every((layer, i) => layer.digest === diffIDs[i])) {
		return layers.map(layer => ({diffID: layer.digest, tarSize: layer.size}));
	}
	return Promise.all(diffIDs.map(diffID => store.layers.index(diffID)));
}
