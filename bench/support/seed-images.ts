// The 1,000-image store that the store and TUI benchmarks both measure: distinct images (one label
// each) sharing busybox's layer, each tagged, written in one transaction through the engine.
import {createReadStream} from 'node:fs';
import type {ImageConfig} from '../../source/engine/image/types.js';
import {platform} from '../../source/engine/images/platform.js';
import {Store} from '../../source/engine/store/store.js';
import {busyboxTar} from '../../test/support/busybox.js';

export const IMAGE_COUNT = 1000;

export async function seedThousandImages(root: string): Promise<void> {
	const store = await Store.open(root);
	const tar = await busyboxTar();
	await store.write('bench seed', async tx => {
		const layer = await store.layers.ingest(createReadStream(tar), {label: tar});
		for (let i = 0; i < IMAGE_COUNT; i++) {
			const created = new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString();
			const config: ImageConfig = {
				...platform(),
				config: {Cmd: ['sh'], Labels: {n: String(i)}},
				created,
				history: [{created, comment: 'Imported from busybox.tar'}],
				rootfs: {type: 'layers', diff_ids: [layer.diffID]},
			};
			const record = await tx.addImage(config, [layer]);
			tx.setTag(`docker.io/bench/images:${i}`, record.id);
		}
	});
}
