import {type ImageLayersReport, type LayerInput, analyzeLayers} from '../analysis/layer-analysis.js';
import {resolveImage} from '../image/resolve.js';
import type {Store} from '../store/store.js';

/** The inputs of the layer analysis for one image: each layer with the history step that made it. */
export async function imageLayerInputs(store: Store, input: string): Promise<LayerInput[]> {
	const record = resolveImage(await store.catalog(), input);
	const config = await store.config(record);
	const steps = (config.history ?? []).filter(entry => !entry.empty_layer);
	const layers: LayerInput[] = [];
	for (const [index, diffID] of config.rootfs.diff_ids.entries()) {
		const layer = await store.layers.index(diffID);
		layers.push({diffID, createdBy: steps[index]?.created_by ?? '', size: layer.size, entries: layer.entries});
	}
	return layers;
}

/** `strata layers`: per layer, the changes it makes; for the image, dive's efficiency figures. */
export async function imageLayers(store: Store, input: string): Promise<ImageLayersReport> {
	return analyzeLayers(await imageLayerInputs(store, input));
}
