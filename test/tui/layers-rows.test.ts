import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {sha256Digest} from '../../source/engine/digest.js';
import {analyzeLayers, mergedTree, type LayerInput} from '../../source/engine/analysis/layer-analysis.js';
import type {LayerEntry} from '../../source/engine/layer/types.js';
import {layerTreeLayout} from '../../source/tui/panes/layers/layer-tree-layout.js';
import {createTreeSource} from '../../source/tui/panes/layers/layer-tree-source.js';
import {initialLayerTreeState, layerTreeKey, layerTreeView, type LayerTreeOutcome, type LayerTreeState} from '../../source/tui/panes/layers/layer-tree-state.js';
import {efficiencySummary, layerListLine, wastedFileLines} from '../../source/tui/panes/layers/layer-summary.js';
import {scrollTop} from '../../source/tui/panes/layers/scroll-window.js';
import {changeMarker, modeString, treeRowColumns} from '../../source/tui/panes/layers/tree-row-format.js';
import {allCollapsed, allExpanded, isExpanded, rowIndexOf, treeRows, withExpanded, type TreeRow} from '../../source/tui/panes/layers/tree-rows.js';

function file(path: string, size: number): LayerEntry {
	return {path, type: 'file', size, mode: 0o644, uid: 0, gid: 0, mtime: 0};
}

function dir(path: string): LayerEntry {
	return {path, type: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0, mtime: 0};
}

function whiteout(path: string): LayerEntry {
	return {path, type: 'whiteout', size: 0, mode: 0o644, uid: 0, gid: 0, mtime: 0};
}

function layer(createdBy: string, entries: LayerEntry[]): LayerInput {
	let size = 0;
	for (const entry of entries) if (entry.type === 'file') size += entry.size;
	return {diffID: sha256Digest(createdBy), createdBy, size, entries};
}

const inputs = [
	layer('FROM base', [dir('etc'), file('etc/passwd', 100), file('etc/hosts', 50), dir('bin'), file('bin/sh', 1000), dir('usr'), dir('usr/lib'), file('usr/lib/big', 5000)]),
	layer('RUN edit', [dir('etc'), file('etc/passwd', 120), file('etc/motd', 10), whiteout('etc/hosts')]),
	layer('RUN rewrite', [dir('usr'), dir('usr/lib'), file('usr/lib/big', 5000)]),
];
const report = analyzeLayers(inputs);

/** `marker guide name` per row: the tree as the view draws it, without sizes. */
const drawn = (rows: TreeRow[]) => rows.map(row => `${changeMarker(row.node.change)} ${row.guide}${row.node.name}`);

describe('treeRows', () => {
	test('flattens a layer\'s changes in name order with tree guides', () => {
		const rows = treeRows(report.layers[1].changes, {expansion: allExpanded});
		assert.deepEqual(drawn(rows), ['~ └── etc', '-     ├── hosts', '+     ├── motd', '~     └── passwd']);
		assert.equal(rows[0].isDirectory, true);
		assert.equal(rows[0].expanded, true);
		assert.deepEqual(rows.map(row => row.parentRow), [-1, 0, 0, 0]);
		assert.deepEqual(rows.map(row => row.depth), [0, 1, 1, 1]);
	});

	test('walks only open directories', () => {
		const tree = mergedTree(inputs, 2);
		assert.deepEqual(drawn(treeRows(tree, {expansion: allCollapsed})), ['  ├── bin', '  ├── etc', '  └── usr']);
		const opened = withExpanded(allCollapsed, 'usr');
		assert.deepEqual(drawn(treeRows(tree, {expansion: opened})), ['  ├── bin', '  ├── etc', '  └── usr', '      └── lib']);
		assert.equal(treeRows(tree, {expansion: opened})[3].expanded, false);
		assert.equal(treeRows(tree, {expansion: opened})[3].hasChildren, true);
	});

	test('expansion flips per path against a default', () => {
		assert.equal(isExpanded(allExpanded, 'etc'), true);
		const closed = withExpanded(allExpanded, 'etc', false);
		assert.equal(isExpanded(closed, 'etc'), false);
		assert.equal(withExpanded(closed, 'etc', false), closed);
		assert.equal(isExpanded(withExpanded(closed, 'etc'), 'etc'), true);
		assert.equal(allExpanded.toggled.size, 0);
	});

	test('sorts by size, largest first, with directories by their aggregated size', () => {
		const tree = mergedTree(inputs, 2);
		const rows = treeRows(tree, {expansion: allExpanded, sort: 'size'});
		assert.deepEqual(
			rows.map(row => `${row.node.path} ${row.node.size}`),
			['usr 5000', 'usr/lib 5000', 'usr/lib/big 5000', 'bin 1000', 'bin/sh 1000', 'etc 130', 'etc/passwd 120', 'etc/motd 10'],
		);
	});

	test('a filter keeps matching paths and the directories above them, opened', () => {
		const tree = mergedTree(inputs, 2);
		const rows = treeRows(tree, {expansion: allExpanded, filter: 'PASS'});
		assert.deepEqual(drawn(rows), ['  └── etc', '      └── passwd']);
		assert.deepEqual(treeRows(tree, {expansion: allExpanded, filter: 'nothing-like-this'}), []);
		// A matching directory brings what lies under it: every path below contains its name.
		assert.deepEqual(
			treeRows(tree, {expansion: allExpanded, filter: 'usr'}).map(row => row.node.path),
			['usr', 'usr/lib', 'usr/lib/big'],
		);
	});

	test('only changed keeps the marked paths of the whole-image view, removed ones included', () => {
		const tree = mergedTree(inputs, 1, {markChangesOf: 1});
		assert.deepEqual(drawn(treeRows(tree, {expansion: allExpanded, onlyChanged: true})), [
			'~ └── etc',
			'-     ├── hosts',
			'+     ├── motd',
			'~     └── passwd',
		]);
		assert.equal(treeRows(tree, {expansion: allExpanded}).length, 9);
		// Combined with a filter, both must hold.
		assert.deepEqual(treeRows(tree, {expansion: allExpanded, onlyChanged: true, filter: 'motd'}).map(row => row.node.path), ['etc', 'etc/motd']);
	});

	test('rowIndexOf follows the path, else keeps the index in range', () => {
		const rows = treeRows(mergedTree(inputs, 2), {expansion: allExpanded});
		assert.equal(rowIndexOf(rows, 'etc/motd', 0), rows.findIndex(row => row.node.path === 'etc/motd'));
		assert.equal(rowIndexOf(rows, 'gone', 3), 3);
		assert.equal(rowIndexOf(rows, 'gone', 99), rows.length - 1);
		assert.equal(rowIndexOf([], 'etc', 5), 0);
	});
});

describe('tree row text', () => {
	test('marks, modes and the closed-directory hint', () => {
		assert.equal(changeMarker('added'), '+');
		assert.equal(changeMarker('modified'), '~');
		assert.equal(changeMarker('removed'), '-');
		assert.equal(changeMarker(undefined), ' ');
		assert.equal(modeString({type: 'dir', mode: 0o755}), 'drwxr-xr-x');
		assert.equal(modeString({type: 'file', mode: 0o4755}), '-rwsr-xr-x');
		assert.equal(modeString({type: 'dir', mode: 0o1777}), 'drwxrwxrwt');
		assert.equal(modeString({type: 'symlink', mode: 0o777}), 'lrwxrwxrwx');
		const [usr] = treeRows(mergedTree(inputs, 2), {expansion: allCollapsed}).slice(2);
		const narrow = treeRowColumns(usr, 40);
		assert.equal(narrow.attributes, '');
		assert.equal(narrow.size, '    5kB ');
		assert.equal(narrow.name, 'usr/ …');
		assert.equal(treeRowColumns(usr, 80).attributes, 'drwxr-xr-x 0:0       ');
	});
});

describe('layer list and footer', () => {
	test('layer lines show index, size and command, with counts when wide', () => {
		assert.equal(layerListLine(report.layers[1], 3, 40), '1    130B  RUN edit');
		assert.match(layerListLine(report.layers[1], 3, 80), /^1 {4}130B {2}RUN edit +\+1 ~2 -1$/);
		assert.equal(layerListLine(report.layers[1], 3, 80).length, 80);
	});

	test('the summary carries dive\'s three figures', () => {
		const summary = efficiencySummary(report.efficiency, report.totalSize, 200);
		assert.match(summary, /^efficiency \d+\.\d% · wasted 10.3kB · user wasted \d+\.\d% · image 11.3kB$/);
		assert.equal(report.efficiency.inefficiencies[0].path, 'usr/lib/big');
	});

	test('wasted files: one per row when there are rows, else side by side', () => {
		assert.deepEqual(wastedFileLines(report.efficiency, 60, 2), ['×2 10kB       /usr/lib/big', '×2 220B       /etc/passwd']);
		assert.deepEqual(wastedFileLines(report.efficiency, 60, 1), ['wasted: ×2 10kB /usr/lib/big · ×2 220B /etc/passwd']);
		assert.deepEqual(wastedFileLines(report.efficiency, 80, 1), ['wasted: ×2 10kB /usr/lib/big · ×2 220B /etc/passwd · ×2 50B /etc/hosts']);
		assert.deepEqual(wastedFileLines(report.efficiency, 60, 0), []);
	});
});

describe('layout and scrolling', () => {
	test('80×24 stacks a short layer list over the tree', () => {
		const layout = layerTreeLayout(80, 24, 12, 5);
		assert.equal(layout.kind, 'narrow');
		assert.equal(layout.listHeight, 6);
		assert.equal(layout.footerHeight, 2);
		// Title, list, tree header, tree, footer, hints: the whole height, no more.
		assert.equal(1 + layout.listHeight + 1 + layout.treeHeight + layout.footerHeight + 1, 24);
		assert.ok(layout.treeHeight >= 12);
		assert.equal(layerTreeLayout(80, 24, 2, 0).listHeight, 2);
	});

	test('from 100 columns the list stands beside the tree', () => {
		const layout = layerTreeLayout(160, 48, 12, 20);
		assert.equal(layout.kind, 'wide');
		assert.equal(layout.listWidth, 61);
		assert.equal(layout.treeWidth, 98);
		assert.equal(1 + 1 + layout.treeHeight + layout.footerHeight + 1, 48);
		assert.equal(layout.listHeight, 12);
		assert.equal(layout.detailHeight, 12);
		assert.ok(1 + 1 + layout.listHeight + layout.detailHeight + layout.footerHeight + 1 <= 48);
		// Many layers: the list takes what the details leave.
		const crowded = layerTreeLayout(160, 48, 80, 20);
		assert.equal(crowded.detailHeight, 5);
		assert.equal(1 + 1 + crowded.listHeight + crowded.detailHeight + crowded.footerHeight + 1, 48);
	});

	test('the window moves only when the cursor leaves it', () => {
		assert.equal(scrollTop(0, 5, 6, 10, 100), 0);
		assert.equal(scrollTop(0, 12, 13, 10, 100), 3);
		assert.equal(scrollTop(20, 12, 13, 10, 100), 12);
		assert.equal(scrollTop(95, 99, 100, 10, 100), 90);
		assert.equal(scrollTop(7, 0, 1, 10, 5), 0);
		// A focus taller than the window shows its start.
		assert.equal(scrollTop(0, 20, 40, 10, 100), 20);
	});
});

describe('layer view keys (layerTreeKey)', () => {
	const source = createTreeSource(inputs, report);
	const room = {listHeight: 3, treeHeight: 5};
	/** Applies keys by name (`j`, `tab`, `enter`...); printable ones also as text. */
	const apply = (state: LayerTreeState, ...names: string[]) => {
		let outcome: LayerTreeOutcome = {state};
		for (const name of names) outcome = layerTreeKey(outcome.state, {name, text: name.length === 1 ? name : undefined}, source, room);
		return outcome;
	};
	const paths = (state: LayerTreeState) => layerTreeView(state, source, room).rows.map(row => row.node.path);

	test('j/k move the layer in the list and the cursor in the tree', () => {
		const start = initialLayerTreeState();
		assert.equal(start.focus, 'layers');
		assert.equal(apply(start, 'j', 'j', 'j').state.layer, 2);
		const inTree = apply(start, 'tab', 'j', 'j');
		assert.equal(inTree.state.layer, 0);
		assert.equal(inTree.state.cursorPath, 'etc');
		assert.equal(initialLayerTreeState(1).focus, 'tree');
	});

	test('the cursor keeps its path when rows close above it', () => {
		const onBig = apply(initialLayerTreeState(), 'tab', 'G');
		assert.equal(onBig.state.cursorPath, 'usr/lib/big');
		const closed = apply(onBig.state, 'g', 'space');
		assert.deepEqual(paths(closed.state), ['bin', 'etc', 'etc/hosts', 'etc/passwd', 'usr', 'usr/lib', 'usr/lib/big']);
		// h on a file goes to the parent, h again closes it, l opens it and steps in.
		const parent = apply(onBig.state, 'h');
		assert.equal(parent.state.cursorPath, 'usr/lib');
		const shut = apply(parent.state, 'h');
		assert.ok(!paths(shut.state).includes('usr/lib/big'));
		assert.equal(apply(shut.state, 'l', 'l').state.cursorPath, 'usr/lib/big');
		// [ closes everything and keeps the cursor on the top-level directory that held it.
		const all = apply(onBig.state, '[');
		assert.deepEqual(paths(all.state), ['bin', 'etc', 'usr']);
		assert.equal(layerTreeView(all.state, source, room).cursor, 2);
	});

	test('the filter takes text until enter or esc; esc then clears it, then asks to go back', () => {
		const typed = apply(initialLayerTreeState(), '/', 'h', 'o', 'q');
		assert.equal(typed.state.filter, 'hoq');
		assert.equal(typed.state.editingFilter, true);
		const fixed = apply(typed.state, 'backspace', 's', 't', 'enter');
		assert.equal(fixed.state.filter, 'host');
		assert.equal(fixed.state.editingFilter, false);
		assert.deepEqual(paths(fixed.state), ['etc', 'etc/hosts']);
		const cleared = apply(fixed.state, 'escape');
		assert.equal(cleared.state.filter, '');
		assert.equal(cleared.back, undefined);
		assert.equal(apply(cleared.state, 'escape').back, true);
		assert.equal(apply(typed.state, 'escape').state.filter, '');
	});

	test('a, u and s switch the view; u outside the whole image says why nothing happened', () => {
		const whole = apply(initialLayerTreeState(1), 'a');
		assert.equal(whole.state.wholeImage, true);
		assert.equal(paths(whole.state).length, 9);
		assert.deepEqual(paths(apply(whole.state, 'u').state), ['etc', 'etc/hosts', 'etc/motd', 'etc/passwd']);
		assert.match(apply(initialLayerTreeState(1), 'u').state.notice, /whole-image view \(a\)/);
		assert.equal(apply(initialLayerTreeState(1), 'u', 'j').state.notice, '');
		assert.equal(apply(whole.state, 's').state.sort, 'size');
		assert.equal(paths(apply(whole.state, 's').state)[0], 'usr');
	});
});
