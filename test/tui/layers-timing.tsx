// @jsxRuntime automatic
// Timing check for the layer tree (not a test: it prints numbers). Budgets: opening a ~7,000-path image
// under 500 ms, each keypress under 30 ms.
//
//   node --import tsx test/tui/layers-timing.tsx            # synthetic 7,000-entry layer
//   node --import tsx test/tui/layers-timing.tsx minbase    # also the debootstrap minbase rootfs, when cached
//
// Measures the pure parts alone (analysis, flattening with each option) and the pane end to end in
// ink-testing-library: from render() to the first frame with the tree, and from a key to its frame.
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createReadStream} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {render} from 'ink-testing-library';
import {analyzeLayers, mergedTree} from '../../source/engine/analysis/layer-analysis.js';
import type {ImageConfig} from '../../source/engine/image/types.js';
import {imageLayerInputs} from '../../source/engine/images/layers.js';
import {directoryToLayerTar} from '../../source/engine/layer/tar-writer.js';
import type {LayerIndex} from '../../source/engine/layer/types.js';
import {Store} from '../../source/engine/store/store.js';
import {StoreProvider} from '../../source/tui/context/store-context.js';
import {LayerTree} from '../../source/tui/panes/layers/LayerTree.js';
import {allCollapsed, allExpanded, treeRows} from '../../source/tui/panes/layers/tree-rows.js';

const minbaseTar = '/var/cache/strata-bench/minbase-bookworm-v1/rootfs.tar';
const scratch = mkdtempSync(join(tmpdir(), 'strata-layers-timing-'));
process.once('exit', () => rmSync(scratch, {recursive: true, force: true}));

const immediate = () => new Promise(resolve => setImmediate(resolve));

function milliseconds(start: number): string {
	return `${(performance.now() - start).toFixed(1)} ms`;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/** ~7,000 entries: 10 top-level dirs × 10 × 7 subdirs, 9 files each, plus a second layer touching 300 paths. */
function writeSyntheticRootfs(): {base: string; top: string} {
	const base = join(scratch, 'synthetic-base');
	const top = join(scratch, 'synthetic-top');
	let count = 0;
	for (let a = 0; a < 10; a++) {
		for (let b = 0; b < 10; b++) {
			for (let c = 0; c < 7; c++) {
				const dir = join(base, `dir${a}`, `sub${b}`, `leaf${c}`);
				mkdirSync(dir, {recursive: true});
				count += c === 0 ? (b === 0 ? 3 : 2) : 1;
				for (let f = 0; f < 9; f++) {
					writeFileSync(join(dir, `file${f}.bin`), Buffer.alloc((a * 131 + b * 17 + c * 7 + f * 3) % 2000));
					count++;
				}
			}
		}
	}
	for (let index = 0; index < 300; index++) {
		const path = join(top, `dir${index % 10}`, `sub${index % 7}`, `leaf${index % 5}`, `file${index % 9}.bin`);
		mkdirSync(dirname(path), {recursive: true});
		writeFileSync(path, Buffer.alloc(500));
	}
	console.log(`synthetic rootfs: ${count} entries in the base layer, 300 files rewritten on top`);
	return {base, top};
}

async function storeWith(layers: Array<{label: string; stream: AsyncIterable<Buffer>}>): Promise<Store> {
	const store = await Store.open(mkdtempSync(join(scratch, 'store-')));
	const indexes: LayerIndex[] = [];
	for (const layer of layers) indexes.push(await store.layers.ingest(layer.stream, {label: layer.label}));
	const created = new Date().toISOString();
	const config: ImageConfig = {
		architecture: 'amd64',
		os: 'linux',
		created,
		rootfs: {type: 'layers', diff_ids: indexes.map(index => index.diffID)},
		history: layers.map(layer => ({created, created_by: layer.label})),
	};
	await store.write('timing', async tx => tx.setTag('docker.io/library/timing:latest', (await tx.addImage(config, indexes)).id));
	return store;
}

async function measurePure(store: Store): Promise<void> {
	let start = performance.now();
	const inputs = await imageLayerInputs(store, 'timing');
	console.log(`  read layer indexes          ${milliseconds(start)} (${inputs.reduce((sum, input) => sum + input.entries.length, 0)} entries)`);
	start = performance.now();
	const report = analyzeLayers(inputs);
	console.log(`  analyzeLayers               ${milliseconds(start)}`);
	const tree = report.layers[0].changes;
	for (const [label, options] of [
		['flatten, all open', {expansion: allExpanded}],
		['flatten, all open (again)', {expansion: allExpanded}],
		['flatten, all closed', {expansion: allCollapsed}],
		['flatten, filter "file3"', {expansion: allExpanded, filter: 'file3'}],
		['flatten, by size', {expansion: allExpanded, sort: 'size' as const}],
		['flatten, by size (cached)', {expansion: allExpanded, sort: 'size' as const}],
	] as const) {
		start = performance.now();
		const rows = treeRows(tree, options);
		console.log(`  ${label.padEnd(28)}${milliseconds(start)} (${rows.length} rows)`);
	}
	const last = inputs.length - 1;
	start = performance.now();
	const merged = mergedTree(inputs, last, {markChangesOf: last});
	console.log(`  mergedTree(top layer)       ${milliseconds(start)}`);
	start = performance.now();
	treeRows(merged, {expansion: allExpanded, onlyChanged: true});
	console.log(`  flatten, only changed       ${milliseconds(start)}`);
}

async function measurePane(store: Store, width: number, height: number): Promise<void> {
	const start = performance.now();
	const view = render(
		<StoreProvider store={store} watchChanges={false}>
			<LayerTree imageRef="timing" width={width} height={height} focused onBack={() => {}} />
		</StoreProvider>,
	);
	const cpuBefore = process.cpuUsage();
	while (!(view.lastFrame() ?? '').includes('rows · by')) await new Promise(resolve => setTimeout(resolve, 1));
	const cpu = process.cpuUsage(cpuBefore);
	console.log(`  open (${width}×${height}): render → first tree frame   wall ${milliseconds(start)} · cpu ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms`);
	for (let turn = 0; turn < 4; turn++) await immediate();

	/**
	 * Wall time from writing a key to the frame it causes, and this process's CPU time over the same span
	 * (the machine may be shared: CPU time is what the pane costs, wall time what the user would wait).
	 * A key that changes nothing (space on a file) renders no frame: it is left out of the figures.
	 */
	const keyTime = async (key: string): Promise<{wall: number; cpu: number} | undefined> => {
		const frames = view.frames.length;
		const cpuBefore = process.cpuUsage();
		const begin = performance.now();
		view.stdin.write(key);
		while (view.frames.length === frames && performance.now() - begin < 500) await immediate();
		const wall = performance.now() - begin;
		const cpu = process.cpuUsage(cpuBefore);
		for (let turn = 0; turn < 3; turn++) await immediate();
		return view.frames.length === frames ? undefined : {wall, cpu: (cpu.user + cpu.system) / 1000};
	};
	const report = async (label: string, keys: string[], repeat = 1): Promise<void> => {
		const walls: number[] = [];
		const cpus: number[] = [];
		for (let round = 0; round < repeat; round++) {
			for (const key of keys) {
				const time = await keyTime(key);
				if (time) {
					walls.push(time.wall);
					cpus.push(time.cpu);
				}
			}
		}
		if (walls.length === 0) return console.log(`  key ${label.padEnd(38)} (no frame)`);
		console.log(
			`  key ${label.padEnd(38)} wall median ${median(walls).toFixed(1)} max ${Math.max(...walls).toFixed(1)} ms · cpu median ${median(cpus).toFixed(1)} max ${Math.max(...cpus).toFixed(1)} ms (${walls.length})`,
		);
	};
	await report('tab (focus the tree)', ['\t']);
	await report('j / k (cursor)', ['j', 'j', 'k'], 10);
	await report('pagedown / pageup', ['\x1b[6~', '\x1b[5~'], 5);
	await report('G / g (bottom, top)', ['G', 'g'], 3);
	await report('space (close / open a dir)', ['g', ' ', ' ', 'j', ' ', ' '], 2);
	await report('[ / ] (close all, open all)', ['[', ']'], 3);
	await report('s (sort by size / name)', ['s'], 4);
	await report('/ then "file3" (incremental filter)', ['/', 'f', 'i', 'l', 'e', '3']);
	await report('backspace ×5 (widen the filter)', ['\x7f', '\x7f', '\x7f', '\x7f', '\x7f']);
	await report('esc (leave the filter)', ['\x1b']);
	await report('a (whole image ↔ layer changes)', ['a'], 4);
	await report('u (only changed, whole image)', ['a', 'u', 'u', 'a']);
	await report('tab, j (next layer, in the list)', ['\t', 'j', 'k']);
	view.unmount();
}

async function main(): Promise<void> {
	console.log(`NODE_ENV=${process.env.NODE_ENV ?? '(unset: React development build)'}`);
	const synthetic = writeSyntheticRootfs();
	const syntheticStore = await storeWith([
		{label: 'ADD synthetic /', stream: directoryToLayerTar(synthetic.base)},
		{label: 'RUN rewrite 300 files', stream: directoryToLayerTar(synthetic.top)},
	]);
	console.log('synthetic image, pure parts:');
	await measurePure(syntheticStore);
	console.log('synthetic image, the pane:');
	await measurePane(syntheticStore, 80, 24);
	await measurePane(syntheticStore, 200, 60);

	if (process.argv.includes('minbase')) {
		if (!existsSync(minbaseTar)) {
			console.log(`minbase: ${minbaseTar} is not cached (bench/support/minbase.ts builds it); skipped`);
			return;
		}
		const minbaseStore = await storeWith([{label: 'ADD minbase /', stream: createReadStream(minbaseTar)}]);
		console.log('debian minbase, pure parts:');
		await measurePure(minbaseStore);
		console.log('debian minbase, the pane:');
		await measurePane(minbaseStore, 80, 24);
		await measurePane(minbaseStore, 200, 60);
	}
}

await main();
