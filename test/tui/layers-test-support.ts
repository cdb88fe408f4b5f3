// Support for the history and layer tree component tests: a real store with one small image built layer
// by layer through the engine (what the panes read is exactly what `strata history` / `strata layers`
// read), and key presses that wait for the render they cause.
import {mkdirSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import type {ImageConfig} from '../../source/engine/image/types.js';
import {directoryToLayerTar} from '../../source/engine/layer/tar-writer.js';
import type {LayerIndex} from '../../source/engine/layer/types.js';
import {Store} from '../../source/engine/store/store.js';
import {tempDir} from '../support/tmp.js';

export const fixtureReference = 'docker.io/library/fixture:latest';

/** Files of each layer, path → bytes; a `.wh.NAME` file removes NAME from the layers below. */
export const fixtureLayers: Array<{createdBy: string; files: Record<string, number>}> = [
	{
		createdBy: '/bin/sh -c #(nop) ADD file:0123456789abcdef in / ',
		files: {'etc/passwd': 100, 'etc/hosts': 50, 'bin/sh': 1000, 'usr/lib/big.bin': 5000},
	},
	{
		createdBy: '/bin/sh -c echo edit > /etc/passwd && rm /etc/hosts && echo motd > /etc/motd',
		files: {'etc/passwd': 120, 'etc/motd': 10, 'etc/.wh.hosts': 0},
	},
	{
		createdBy: 'COPY app /app # buildkit',
		files: {'usr/lib/big.bin': 5000, 'app/main.js': 300},
	},
];

/** History, oldest first: a metadata step between each pair of layers, and one on top. */
function history(created: string): NonNullable<ImageConfig['history']> {
	return [
		{created, created_by: fixtureLayers[0].createdBy},
		{created, created_by: '/bin/sh -c #(nop)  ENV PATH=/usr/bin', empty_layer: true},
		{created, created_by: fixtureLayers[1].createdBy, author: 'Ada <ada@example.com>'},
		{created, created_by: fixtureLayers[2].createdBy, comment: 'buildkit.dockerfile.v0'},
		{created, created_by: '/bin/sh -c #(nop)  CMD ["node" "/app/main.js"]', empty_layer: true},
	];
}

async function ingestLayer(store: Store, files: Record<string, number>, label: string): Promise<LayerIndex> {
	const dir = tempDir('strata-tui-layer');
	for (const [path, size] of Object.entries(files)) {
		const absolute = join(dir, path);
		mkdirSync(dirname(absolute), {recursive: true});
		writeFileSync(absolute, Buffer.alloc(size, 0x61));
	}
	return store.layers.ingest(directoryToLayerTar(dir), {label});
}

/** A store holding `fixtureReference`: three layers, five history steps, created two days before `now`. */
export async function fixtureStore(now = Date.now()): Promise<Store> {
	const store = await Store.open(tempDir('strata-tui-store'));
	const layers: LayerIndex[] = [];
	for (const [index, layer] of fixtureLayers.entries()) layers.push(await ingestLayer(store, layer.files, `layer ${index}`));
	const created = new Date(now - 2 * 24 * 3600 * 1000).toISOString();
	const config: ImageConfig = {
		architecture: 'amd64',
		os: 'linux',
		created,
		config: {Cmd: ['node', '/app/main.js']},
		rootfs: {type: 'layers', diff_ids: layers.map(layer => layer.diffID)},
		history: history(created),
	};
	await store.write('test', async tx => {
		const record = await tx.addImage(config, layers);
		tx.setTag(fixtureReference, record.id);
	});
	return store;
}

/** Frame text without colours. */
export function plain(frame = ''): string {
	return frame.replace(/\x1b\[[0-9;]*m/g, '');
}

export const tick = (milliseconds = 20) => new Promise(resolve => setTimeout(resolve, milliseconds));
const immediate = () => new Promise(resolve => setImmediate(resolve));

/**
 * Waits for the render a key caused. React schedules it from a microtask as a setImmediate task, so a
 * few turns of the check phase run it; a fixed sleep does not, on a loaded machine: when the process
 * was off the CPU, the expired timer fires before the pending render.
 */
export async function settle(): Promise<void> {
	for (let turn = 0; turn < 4; turn++) await immediate();
}

/** Sends each key and waits for its render. */
export async function press(view: {stdin: {write(data: string): void}}, ...keys: string[]): Promise<void> {
	for (const key of keys) {
		view.stdin.write(key);
		await settle();
	}
}

/** Polls until `done()` (e.g. the data has loaded), then lets pending effects run. */
export async function until(done: () => boolean, timeoutMilliseconds = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMilliseconds;
	while (!done()) {
		if (Date.now() > deadline) throw new Error('timed out waiting for the pane');
		await tick(10);
	}
	await settle();
}
