// @jsxRuntime automatic
// (tsconfig.json covers source/ only, so tsx would compile this test file with the classic JSX runtime.)
import assert from 'node:assert/strict';
import {before, describe, test} from 'node:test';
import {render} from 'ink-testing-library';
import type {Store} from '../../source/engine/store/store.js';
import {KeyRouterProvider, useKeys} from '../../source/tui/context/key-router-context.js';
import {StoreProvider} from '../../source/tui/context/store-context.js';
import {LayerTree} from '../../source/tui/panes/layers/LayerTree.js';
import {fixtureStore, plain, press, settle, until} from './layers-test-support.js';


type TreeProps = {width?: number; height?: number; initialLayer?: number; onBack?: () => void};

async function renderTree(store: Store, props: TreeProps = {}) {
	const view = render(
		<StoreProvider store={store} watchChanges={false}>
			<LayerTree imageRef="fixture" width={props.width ?? 80} height={props.height ?? 24} focused initialLayer={props.initialLayer} onBack={props.onBack ?? (() => {})} />
		</StoreProvider>,
	);
	await until(() => plain(view.lastFrame()).includes('Layers of'));
	return {
		...view,
		frame: () => plain(view.lastFrame()),
		/** The tree's rows as `marker name`, e.g. `+ motd`, `~ etc/`, without sizes, modes and guides. */
		treeRows: () =>
			plain(view.lastFrame())
				.split('\n')
				.map(line => /^([+~\- ]) .*?[├└]── (.*)$/.exec(line))
				.filter((match): match is RegExpExecArray => match !== null)
				.map(match => `${match[1]} ${match[2]}`),
	};
}


describe('LayerTree', () => {
	let store: Store;
	before(async () => {
		store = await fixtureStore();
	});

	test('at 80×24: the layer list on top, the tree of its changes below, the efficiency at the bottom', async () => {
		const view = await renderTree(store);
		const lines = view.frame().split('\n');
		assert.equal(lines.length, 24);
		assert.equal(lines[0], 'Layers of fixture · layer 0/2');
		assert.match(lines[1], /^0 +6\.15kB {2}ADD file:0123456789abcdef in \/ +\+8 ~0 -0$/);
		assert.match(lines[2], /^1 +130B {2}RUN echo edit > \/etc\/passwd/);
		assert.match(lines[3], /^2 +5\.3kB {2}COPY app \/app # buildkit/);
		assert.match(lines[4], /^ {2}changes of layer 0 · 8 rows · by name$/);
		assert.match(lines[5], /^\+ .* 1kB ├── bin\/$/);
		assert.match(view.frame(), /efficiency 55\.4% · wasted 10\.3kB · user wasted 189\.1% · image 11\.6kB/);
		assert.match(view.frame(), /wasted: ×2 10kB \/usr\/lib\/big\.bin · ×2 220B \/etc\/passwd · ×2 50B \/etc\/hosts/);
		assert.match(lines[23], /^Tab list\/tree {2}space open {2}a whole image {2}u unchanged/);
		view.unmount();
	});

	test('marks what a layer added, modified and removed', async () => {
		const view = await renderTree(store);
		await press(view, 'j');
		assert.match(view.frame(), /^Layers of fixture · layer 1\/2/);
		assert.deepEqual(view.treeRows(), ['~ etc/', '- hosts', '+ motd', '~ passwd']);
		view.unmount();
	});

	test('the whole image up to a layer, and only its changes in it', async () => {
		const view = await renderTree(store);
		await press(view, 'j', 'a');
		assert.match(view.frame(), /image up to layer 1 · 9 rows/);
		assert.deepEqual(view.treeRows(), [
			'  bin/',
			'  sh',
			'~ etc/',
			'- hosts',
			'+ motd',
			'~ passwd',
			'  usr/',
			'  lib/',
			'  big.bin',
		]);
		await press(view, 'u');
		assert.match(view.frame(), /unchanged hidden/);
		assert.deepEqual(view.treeRows(), ['~ etc/', '- hosts', '+ motd', '~ passwd']);
		await press(view, 'a');
		assert.match(view.frame(), /changes of layer 1 · 4 rows/);
		view.unmount();
	});

	test('tab moves to the tree, where directories close and open, one or all', async () => {
		const view = await renderTree(store, {initialLayer: 1});
		assert.match(view.frame(), /▸ changes of layer 1/);
		await press(view, ' ');
		assert.deepEqual(view.treeRows(), ['~ etc/ …']);
		await press(view, 'l');
		assert.deepEqual(view.treeRows(), ['~ etc/', '- hosts', '+ motd', '~ passwd']);
		await press(view, 'l', 'j', 'h');
		// h on a file goes to its parent; h again closes it.
		await press(view, 'h');
		assert.deepEqual(view.treeRows(), ['~ etc/ …']);
		await press(view, ']');
		assert.equal(view.treeRows().length, 4);
		await press(view, '\t', 'j', 'j', '\t', '[');
		assert.match(view.frame(), /changes of layer 2/);
		assert.deepEqual(view.treeRows(), ['+ app/ …', '~ usr/ …']);
		view.unmount();
	});

	test('/ filters the tree by path as you type; esc clears, then goes back', async () => {
		let backs = 0;
		const view = await renderTree(store, {onBack: () => backs++});
		await press(view, '/', 'p', 'a', 's');
		assert.match(view.frame(), /▸ changes of layer 0 · 2 rows · by name · \/pas▌/);
		assert.deepEqual(view.treeRows(), ['+ etc/', '+ passwd']);
		assert.match(view.frame(), /type to filter by path/);
		await press(view, '\x7f', '\x7f', '\x7f', 'z', 'z');
		assert.match(view.frame(), /nothing matches "zz"/);
		await press(view, '\x7f', '\x7f', 'h', 'o', 's', 't', '\r');
		assert.match(view.frame(), /\/host · |\/host$/m);
		assert.deepEqual(view.treeRows(), ['+ etc/', '+ hosts']);
		// With the filter kept, keys are commands again: j moves, esc clears the filter.
		await press(view, '\x1b');
		assert.equal(backs, 0);
		assert.match(view.frame(), /changes of layer 0 · 8 rows/);
		await press(view, '\x1b');
		assert.equal(backs, 1);
		view.unmount();
	});

	test('while the filter is typed into, the rest of the app gets no keys (q does not quit)', async () => {
		const seen: string[] = [];
		function FrameKeys() {
			useKeys(input => seen.push(input));
			return null;
		}
		const view = render(
			<StoreProvider store={store} watchChanges={false}>
				<KeyRouterProvider>
					<LayerTree imageRef="fixture" width={80} height={24} focused onBack={() => {}} />
					<FrameKeys />
				</KeyRouterProvider>
			</StoreProvider>,
		);
		await until(() => plain(view.lastFrame()).includes('Layers of'));
		await press(view, '/', 'q', '1', '\r', 'q');
		assert.match(plain(view.lastFrame()), /\/q1 · |\/q1$/m);
		assert.deepEqual(seen, ['/', 'q']);
		view.unmount();
	});

	test('keys typed faster than the pane renders all count', async () => {
		const view = await renderTree(store);
		for (const key of ['/', 'h', 'o', 's', 't', 's']) view.stdin.write(key);
		await settle();
		assert.match(view.frame(), /\/hosts▌/);
		assert.deepEqual(view.treeRows(), ['+ etc/', '+ hosts']);
		view.unmount();
	});

	test('s sorts by size, directories by what they hold', async () => {
		const view = await renderTree(store, {initialLayer: 2});
		await press(view, 'a', 's');
		assert.match(view.frame(), /image up to layer 2 · \d+ rows · by size/);
		assert.deepEqual(view.treeRows().slice(0, 4), ['~ usr/', '~ lib/', '~ big.bin', '  bin/']);
		view.unmount();
	});

	test('from 100 columns: the list and the layer details beside the tree', async () => {
		const view = await renderTree(store, {width: 120, height: 30, initialLayer: 1});
		const lines = view.frame().split('\n');
		assert.equal(lines.length, 30);
		assert.match(lines[1], /^ {2}Layers +▸ changes of layer 1 · 4 rows · by name/);
		assert.match(lines[2], /^0 +6\.15kB {2}ADD file.* ~ .* └── etc\/$/);
		assert.match(view.frame(), /Layer 1 · 130B/);
		assert.match(view.frame(), /\+1 added ~2 modified -1 removed/);
		assert.match(view.frame(), /\/bin\/sh -c echo edit > \/etc\/passwd && rm\n\/etc\/hosts && echo motd > \/etc\/motd\n/);
		// The footer lists the wasted files one per row when it has rows to spare.
		assert.match(view.frame(), /\n×2 10kB {7}\/usr\/lib\/big\.bin\n×2 220B {7}\/etc\/passwd\n/);
		view.unmount();
	});
});
