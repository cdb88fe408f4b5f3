import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {sha256Digest} from '../../source/engine/digest.js';
import {analyzeLayers, mergedTree, type LayerInput, type TreeNode} from '../../source/engine/analysis/layer-analysis.js';
import type {LayerEntry} from '../../source/engine/layer/types.js';

function file(path: string, size: number, extra: Partial<LayerEntry> = {}): LayerEntry {
	return {path, type: 'file', size, mode: 0o644, uid: 0, gid: 0, mtime: 0, ...extra};
}

function dir(path: string, extra: Partial<LayerEntry> = {}): LayerEntry {
	return {path, type: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0, mtime: 0, ...extra};
}

function whiteout(path: string): LayerEntry {
	return {path, type: 'whiteout', size: 0, mode: 0o644, uid: 0, gid: 0, mtime: 0};
}

function opaque(path: string): LayerEntry {
	return {path, type: 'opaque', size: 0, mode: 0o644, uid: 0, gid: 0, mtime: 0};
}

/** A layer whose size is its regular files' bytes, as LayerIndex.size is. */
function layer(createdBy: string, entries: LayerEntry[]): LayerInput {
	let size = 0;
	for (const entry of entries) if (entry.type === 'file') size += entry.size;
	return {diffID: sha256Digest(createdBy), createdBy, size, entries};
}

/** Preorder `change path size` lines (root excluded), `.` for an unmarked node: easy to read in a diff. */
function lines(tree: TreeNode): string[] {
	const out: string[] = [];
	const walk = (node: TreeNode): void => {
		for (const child of node.children ?? []) {
			out.push(`${child.change ?? '.'} ${child.path} ${child.size}`);
			walk(child);
		}
	};
	walk(tree);
	return out;
}

function find(tree: TreeNode, path: string): TreeNode | undefined {
	let node: TreeNode | undefined = tree;
	for (const name of path.split('/')) node = node?.children?.find(child => child.name === name);
	return node;
}

describe('layer changes', () => {
	// L0 lays down /etc and /bin; L1 rewrites passwd, adds motd and deletes hosts.
	const base = layer('FROM base', [dir('etc'), file('etc/passwd', 100), file('etc/hosts', 50), dir('bin'), file('bin/sh', 1000)]);
	const edit = layer('RUN edit', [dir('etc'), file('etc/passwd', 120), file('etc/motd', 10), whiteout('etc/hosts')]);

	test('the base layer adds every path it carries', () => {
		const {layers} = analyzeLayers([base]);
		assert.deepEqual(lines(layers[0].changes), [
			'added bin 1000',
			'added bin/sh 1000',
			'added etc 150',
			'added etc/hosts 50',
			'added etc/passwd 100',
		]);
		assert.deepEqual(layers[0].changeCounts, {added: 5, modified: 0, removed: 0});
		assert.equal(layers[0].changes.size, 1150);
	});

	test('marks added, modified and whiteout-removed paths against the layers below', () => {
		const report = analyzeLayers([base, edit]);
		const [first, second] = report.layers;
		assert.equal(first.index, 0);
		assert.equal(second.index, 1);
		assert.equal(second.createdBy, 'RUN edit');
		assert.equal(second.diffID, edit.diffID);
		assert.equal(second.size, 130);
		// etc has a header in L1 and existed below: modified. Its size leaves out the removed hosts.
		assert.deepEqual(lines(second.changes), [
			'modified etc 130',
			'removed etc/hosts 50',
			'added etc/motd 10',
			'modified etc/passwd 120',
		]);
		assert.deepEqual(second.changeCounts, {added: 1, modified: 2, removed: 1});
		assert.equal(second.changes.size, 130);
		assert.equal(report.totalSize, 1280);
	});

	test('emits the full node shape, children sorted by code unit, implied parents as plain 0755 dirs', () => {
		const {layers} = analyzeLayers([
			layer('FROM', [
				file('usr/b/B', 1, {mode: 0o600, uid: 7, gid: 8}),
				file('usr/b/a', 2),
				file('usr/b/_', 3),
				{path: 'usr/b/link', type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, mtime: 0, linkname: 'a'},
			]),
		]);
		const usr = find(layers[0].changes, 'usr');
		assert.deepEqual(usr, {
			name: 'usr',
			path: 'usr',
			type: 'dir',
			size: 6,
			mode: 0o755,
			uid: 0,
			gid: 0,
			children: [
				{
					name: 'b',
					path: 'usr/b',
					type: 'dir',
					size: 6,
					mode: 0o755,
					uid: 0,
					gid: 0,
					children: [
						{name: 'B', path: 'usr/b/B', type: 'file', size: 1, change: 'added', mode: 0o600, uid: 7, gid: 8},
						{name: '_', path: 'usr/b/_', type: 'file', size: 3, change: 'added', mode: 0o644, uid: 0, gid: 0},
						{name: 'a', path: 'usr/b/a', type: 'file', size: 2, change: 'added', mode: 0o644, uid: 0, gid: 0},
						{name: 'link', path: 'usr/b/link', type: 'symlink', size: 0, change: 'added', mode: 0o777, uid: 0, gid: 0, linkname: 'a'},
					],
				},
			],
		});
		assert.deepEqual(layers[0].changeCounts, {added: 4, modified: 0, removed: 0});
	});

	test('an implied parent of a changed file stays unmarked and takes the metadata it has below', () => {
		const {layers} = analyzeLayers([
			layer('FROM', [dir('srv', {mode: 0o700, uid: 5, gid: 5}), file('srv/a', 1)]),
			layer('RUN', [file('srv/a', 2)]),
		]);
		const srv = find(layers[1].changes, 'srv')!;
		assert.equal(srv.change, undefined);
		assert.deepEqual([srv.mode, srv.uid, srv.gid], [0o700, 5, 5]);
		assert.deepEqual(layers[1].changeCounts, {added: 0, modified: 1, removed: 0});
	});

	test('an opaque directory is modified and hides every lower child, except what its own layer brings back', () => {
		const lower = layer('FROM', [
			dir('var'),
			dir('var/cache'),
			file('var/cache/a', 10),
			dir('var/cache/sub'),
			file('var/cache/sub/b', 20),
			file('var/log', 5),
		]);
		const upper = layer('RUN', [dir('var/cache'), opaque('var/cache'), file('var/cache/a', 7), file('var/cache/new', 3)]);
		const {layers} = analyzeLayers([lower, upper]);
		// a was hidden and re-provided: it existed below, so modified. sub and its contents are gone.
		assert.deepEqual(lines(layers[1].changes), [
			'. var 10',
			'modified var/cache 10',
			'modified var/cache/a 7',
			'added var/cache/new 3',
			'removed var/cache/sub 20',
			'removed var/cache/sub/b 20',
		]);
		assert.deepEqual(layers[1].changeCounts, {added: 1, modified: 2, removed: 2});
	});

	test('an opaque marker without a directory header still marks its directory', () => {
		const {layers} = analyzeLayers([
			layer('FROM', [dir('d'), file('d/x', 1)]),
			layer('RUN', [opaque('d')]),
			layer('RUN new', [opaque('fresh'), file('fresh/y', 2)]),
		]);
		assert.deepEqual(lines(layers[1].changes), ['modified d 0', 'removed d/x 1']);
		assert.deepEqual(lines(layers[2].changes), ['added fresh 2', 'added fresh/y 2']);
	});

	test('a whiteout of a directory removes its whole lower subtree; re-creating it later adds', () => {
		const {layers} = analyzeLayers([
			layer('FROM', [dir('opt'), dir('opt/tool'), file('opt/tool/bin', 400), file('opt/tool/lib', 600), file('README', 1)]),
			layer('RUN rm', [whiteout('opt/tool')]),
			layer('RUN add', [file('opt/tool/bin', 50)]),
		]);
		// opt holds nothing live any more; the removed tool directory carries what it held.
		assert.deepEqual(lines(layers[1].changes), [
			'. opt 0',
			'removed opt/tool 1000',
			'removed opt/tool/bin 400',
			'removed opt/tool/lib 600',
		]);
		assert.deepEqual(layers[1].changeCounts, {added: 0, modified: 0, removed: 3});
		// opt/tool comes back only as a parent: plain. bin did not exist in L0+L1: added.
		assert.deepEqual(lines(layers[2].changes), ['. opt 50', '. opt/tool 50', 'added opt/tool/bin 50']);
	});

	test('a whiteout of a path that is not there changes nothing', () => {
		const {layers} = analyzeLayers([layer('FROM', [file('a', 1)]), layer('RUN', [whiteout('nothing/here')])]);
		assert.deepEqual(lines(layers[1].changes), []);
		assert.deepEqual(layers[1].changeCounts, {added: 0, modified: 0, removed: 0});
	});

	test('a directory replaced by a file is modified; its lower contents cannot be drawn under a file', () => {
		const layers = [layer('FROM', [dir('x'), file('x/a', 5)]), layer('RUN', [file('x', 9)])];
		const report = analyzeLayers(layers);
		assert.deepEqual(lines(report.layers[1].changes), ['modified x 9']);
		assert.equal(find(report.layers[1].changes, 'x')!.children, undefined);
		assert.deepEqual(report.layers[1].changeCounts, {added: 0, modified: 1, removed: 0});
		assert.deepEqual(lines(mergedTree(layers, 1, {markChangesOf: 1})), ['modified x 9']);
	});

	test('a path repeated in one layer keeps its last header, as extraction does', () => {
		const {layers} = analyzeLayers([layer('FROM', [file('a', 1), file('a', 2)])]);
		assert.deepEqual(lines(layers[0].changes), ['added a 2']);
	});

	test('an empty image', () => {
		assert.deepEqual(analyzeLayers([]), {
			layers: [],
			efficiency: {score: 1, wastedBytes: 0, userWastedPercent: 0, inefficiencies: []},
			totalSize: 0,
		});
	});
});

describe('merged tree', () => {
	const layers = [
		layer('FROM', [dir('var'), dir('var/cache'), file('var/cache/a', 10), dir('var/cache/sub'), file('var/cache/sub/b', 20), file('var/log', 5)]),
		layer('RUN', [dir('var/cache'), opaque('var/cache'), file('var/cache/a', 7), file('var/cache/new', 3)]),
	];

	test('is the squashed filesystem up to a layer', () => {
		assert.deepEqual(lines(mergedTree(layers, 0)), [
			'. var 35',
			'. var/cache 30',
			'. var/cache/a 10',
			'. var/cache/sub 20',
			'. var/cache/sub/b 20',
			'. var/log 5',
		]);
		assert.deepEqual(lines(mergedTree(layers, 1)), ['. var 15', '. var/cache 10', '. var/cache/a 7', '. var/cache/new 3', '. var/log 5']);
		assert.equal(mergedTree(layers, 1).size, 15);
	});

	test("marks a layer's changes, drawing what it removed as removed nodes that do not count in live sizes", () => {
		const tree = mergedTree(layers, 1, {markChangesOf: 1});
		assert.deepEqual(lines(tree), [
			'. var 15',
			'modified var/cache 10',
			'modified var/cache/a 7',
			'added var/cache/new 3',
			'removed var/cache/sub 20',
			'removed var/cache/sub/b 20',
			'. var/log 5',
		]);
		assert.equal(tree.size, 15);
		assert.deepEqual(lines(mergedTree(layers, 1, {markChangesOf: 0})), [
			'added var 15',
			'added var/cache 10',
			'added var/cache/a 7',
			'. var/cache/new 3',
			'added var/log 5',
		]);
	});

	test('marking an older layer: what it removed and a later layer brought back is drawn live and unmarked', () => {
		const stack = [
			layer('FROM', [file('a', 10), file('b', 20)]),
			layer('RUN 1', [whiteout('a'), whiteout('b'), file('c', 5)]),
			layer('RUN 2', [file('a', 7)]),
		];
		assert.deepEqual(lines(mergedTree(stack, 2, {markChangesOf: 1})), ['. a 7', 'removed b 20', 'added c 5']);
	});

	test('rejects indexes outside the layers', () => {
		assert.throws(() => mergedTree(layers, 2), RangeError);
		assert.throws(() => mergedTree(layers, -1), RangeError);
		assert.throws(() => mergedTree(layers, 0, {markChangesOf: 1}), RangeError);
		assert.throws(() => mergedTree([], 0), RangeError);
	});

	test('does not share nodes with the layers or between calls', () => {
		const first = mergedTree(layers, 1);
		first.children!.length = 0;
		assert.equal(lines(mergedTree(layers, 1)).length, 5);
	});
});

describe('efficiency (dive)', () => {
	test('a file modified once and a deleted file', () => {
		const report = analyzeLayers([
			layer('FROM', [dir('etc'), file('etc/passwd', 100), file('etc/hosts', 50), dir('bin'), file('bin/sh', 1000)]),
			layer('RUN', [dir('etc'), file('etc/passwd', 120), file('etc/motd', 10), whiteout('etc/hosts')]),
		]);
		// dive counts each layer tree's leaves only, so the directory etc (a parent in both layers) never counts.
		//   etc/passwd  occurrences 2: cumulative 100 + 120 = 220, minimum 100
		//   etc/hosts   occurrences 2: cumulative 50 + 0 = 50, minimum 0 (dive charges a removed *file* 0)
		//   bin/sh      1000 / 1000;  etc/motd 10 / 10
		// score = (100 + 0 + 1000 + 10) / (220 + 50 + 1000 + 10) = 1110 / 1280 = 0.8671875
		// wasted = 220 + 50 = 270; user bytes (L1) = 120 + 10 = 130 → 270 / 130
		assert.deepEqual(report.efficiency, {
			score: 1110 / 1280,
			wastedBytes: 270,
			userWastedPercent: 270 / 130,
			inefficiencies: [
				{path: 'etc/passwd', occurrences: 2, wastedBytes: 220},
				{path: 'etc/hosts', occurrences: 2, wastedBytes: 50},
			],
		});
		assert.equal(report.efficiency.score, 0.8671875);
	});

	test('a file rewritten in 3 layers', () => {
		const report = analyzeLayers([
			layer('FROM', [file('app/data', 1000), file('app/keep', 500)]),
			layer('RUN 1', [file('app/data', 2000)]),
			layer('RUN 2', [file('app/data', 300)]),
		]);
		//   app/data  occurrences 3: cumulative 1000 + 2000 + 300 = 3300, minimum 300
		//   app/keep  500 / 500
		// score = (300 + 500) / (3300 + 500) = 800 / 3800 = 4/19 ≈ 0.2105
		// wasted = 3300; user bytes = 2000 + 300 = 2300 → 3300 / 2300 ≈ 1.435 (over 1, as dive reports it)
		assert.deepEqual(report.efficiency, {
			score: 800 / 3800,
			wastedBytes: 3300,
			userWastedPercent: 3300 / 2300,
			inefficiencies: [{path: 'app/data', occurrences: 3, wastedBytes: 3300}],
		});
		assert.deepEqual(report.layers[2].changeCounts, {added: 0, modified: 1, removed: 0});
		assert.equal(report.totalSize, 3800);
	});

	test('an opaque directory: hidden lower files are not charged (dive ignores opaque markers)', () => {
		const report = analyzeLayers([
			layer('FROM', [dir('var'), dir('var/cache'), file('var/cache/a', 10), dir('var/cache/sub'), file('var/cache/sub/b', 20), file('var/log', 5)]),
			layer('RUN', [dir('var/cache'), opaque('var/cache'), file('var/cache/a', 7), file('var/cache/new', 3)]),
		]);
		//   var/cache/a  occurrences 2: cumulative 10 + 7 = 17, minimum 7
		//   var/cache/sub/b 20 / 20; var/log 5 / 5; var/cache/new 3 / 3 (var/cache has children in L1: not a leaf)
		// score = (7 + 20 + 5 + 3) / (17 + 20 + 5 + 3) = 35 / 45 = 7/9
		// wasted = 17; user bytes = 7 + 3 = 10 → 1.7
		assert.deepEqual(report.efficiency, {
			score: 35 / 45,
			wastedBytes: 17,
			userWastedPercent: 17 / 10,
			inefficiencies: [{path: 'var/cache/a', occurrences: 2, wastedBytes: 17}],
		});
	});

	test('a removed directory is charged its lower subtree, once', () => {
		const report = analyzeLayers([
			layer('FROM', [dir('opt'), dir('opt/tool'), file('opt/tool/bin', 400), file('opt/tool/lib', 600), file('README', 1)]),
			layer('RUN rm', [whiteout('opt/tool')]),
			layer('RUN add', [file('opt/tool/bin', 50)]),
		]);
		// opt/tool is a parent in L0 (not a leaf), so its only occurrence is L1's whiteout, charged 400 + 600.
		//   opt/tool/bin  occurrences 2 (L0, L2): cumulative 400 + 50 = 450, minimum 50
		//   opt/tool/lib  600 / 600;  README 1 / 1;  opt/tool (whiteout) 1000 / 1000
		// score = (50 + 600 + 1 + 1000) / (450 + 600 + 1 + 1000) = 1651 / 2051
		// wasted = 450; user bytes = 0 + 50 = 50 → 9
		assert.deepEqual(report.efficiency, {
			score: 1651 / 2051,
			wastedBytes: 450,
			userWastedPercent: 9,
			inefficiencies: [{path: 'opt/tool/bin', occurrences: 2, wastedBytes: 450}],
		});
	});

	test("dive's own efficiency_test case", () => {
		// dive/filetree/efficiency_test.go TestEfficiency: nginx.conf 2000 → 5000, whiteout of /etc/nginx.
		// dive's tree there has /etc/nginx implied (not IsDir), so its whiteout is charged 0 and the score is
		// (2000 + 3000 + 10000 + 0) / (7000 + 3000 + 10000 + 0) = 0.75. With real directory headers strata
		// charges the removed directory its 5000 + 3000, as dive does for real images:
		// (2000 + 3000 + 10000 + 8000) / (7000 + 3000 + 10000 + 8000) = 23000 / 28000.
		const report = analyzeLayers([
			layer('L0', [dir('etc'), dir('etc/nginx'), file('etc/nginx/nginx.conf', 2000), file('etc/nginx/public', 3000)]),
			layer('L1', [file('etc/nginx/nginx.conf', 5000), file('etc/athing', 10000)]),
			layer('L2', [whiteout('etc/nginx')]),
		]);
		assert.equal(report.efficiency.score, 23000 / 28000);
		assert.deepEqual(report.efficiency.inefficiencies, [{path: 'etc/nginx/nginx.conf', occurrences: 2, wastedBytes: 7000}]);
	});

	test('empty directories and symlinks repeated across layers are 0-byte inefficiencies, as in dive', () => {
		const report = analyzeLayers([
			layer('FROM', [dir('tmp'), {path: 'lib', type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, mtime: 0, linkname: 'usr/lib'}]),
			layer('RUN', [dir('tmp', {mode: 0o1777}), {path: 'lib', type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, mtime: 0, linkname: 'usr/lib64'}]),
		]);
		// Nothing has bytes: the denominator is 0, so the score is 1; no user bytes, so 0 %.
		assert.deepEqual(report.efficiency, {
			score: 1,
			wastedBytes: 0,
			userWastedPercent: 0,
			inefficiencies: [
				{path: 'lib', occurrences: 2, wastedBytes: 0},
				{path: 'tmp', occurrences: 2, wastedBytes: 0},
			],
		});
		assert.deepEqual(lines(report.layers[1].changes), ['modified lib 0', 'modified tmp 0']);
		assert.equal(find(report.layers[1].changes, 'lib')!.linkname, 'usr/lib64');
	});

	test('a whiteout of something not below is not counted at all', () => {
		const report = analyzeLayers([layer('FROM', [file('a', 10)]), layer('RUN', [whiteout('ghost'), file('a', 10)])]);
		// a: 2 occurrences, 20 cumulative, minimum 10 → score 10 / 20; ghost absent from the tally.
		assert.equal(report.efficiency.score, 0.5);
		assert.deepEqual(report.efficiency.inefficiencies, [{path: 'a', occurrences: 2, wastedBytes: 20}]);
	});

	test('a path repeated within one layer is one occurrence holding its last size', () => {
		const report = analyzeLayers([layer('FROM', [file('a', 1), file('a', 2)]), layer('RUN', [file('a', 3)])]);
		// a: occurrences 2 (L0 once, with 2; L1 with 3) → cumulative 5, minimum 2 → score 2 / 5.
		assert.equal(report.efficiency.score, 2 / 5);
		assert.deepEqual(report.efficiency.inefficiencies, [{path: 'a', occurrences: 2, wastedBytes: 5}]);
	});

	test('nested whiteouts in one layer are each sized against the lower tree', () => {
		const report = analyzeLayers([
			layer('FROM', [dir('d'), file('d/f', 10), dir('d/sub'), file('d/sub/g', 5)]),
			layer('RUN', [whiteout('d'), whiteout('d/sub')]),
		]);
		// L1's leaves: the two whiteouts, d charged 10 + 5 and d/sub 5. L0's leaves: d/f, d/sub/g.
		// Every path occurs once → score (15 + 5 + 10 + 5) / (15 + 5 + 10 + 5) = 1, nothing wasted.
		assert.deepEqual(report.efficiency, {score: 1, wastedBytes: 0, userWastedPercent: 0, inefficiencies: []});
		assert.deepEqual(lines(report.layers[1].changes), ['removed d 15', 'removed d/f 10', 'removed d/sub 5', 'removed d/sub/g 5']);
		assert.deepEqual(report.layers[1].changeCounts, {added: 0, modified: 0, removed: 4});
	});

	test('a .wh. marker keeps its parent directory from being a leaf, even with nothing to remove', () => {
		const report = analyzeLayers([
			layer('FROM', [dir('etc'), file('etc/hosts', 50)]),
			layer('RUN rm', [dir('etc'), whiteout('etc/hosts')]),
			layer('RUN rm more', [dir('x'), whiteout('x/y/z')]),
		]);
		// L1: etc holds the marker, so only the whiteout counts: etc/hosts occurrences 2, 50 + 0, minimum 0.
		// L2: x holds x/y/.wh.z, so x is no leaf; the whiteout removes nothing, so it is not counted either.
		// score = 0 / 50 = 0; wasted = 50; user bytes 0 → 0.
		assert.deepEqual(report.efficiency, {
			score: 0,
			wastedBytes: 50,
			userWastedPercent: 0,
			inefficiencies: [{path: 'etc/hosts', occurrences: 2, wastedBytes: 50}],
		});
	});

	test('a directory implied by an opaque marker alone is a leaf of its layer', () => {
		const report = analyzeLayers([
			layer('FROM', [dir('d'), file('d/x', 1)]),
			layer('RUN 1', [opaque('d')]),
			layer('RUN 2', [dir('d')]),
		]);
		// d is a parent in L0, a leaf in L1 (the opaque marker is no node) and in L2: occurrences 2, 0 bytes.
		// d/x: 1 / 1. score = 1 / 1.
		assert.deepEqual(report.efficiency, {
			score: 1,
			wastedBytes: 0,
			userWastedPercent: 0,
			inefficiencies: [{path: 'd', occurrences: 2, wastedBytes: 0}],
		});
	});

	test('inefficiencies sort by wasted bytes, then path', () => {
		const report = analyzeLayers([
			layer('FROM', [file('b', 5), file('a', 5), file('c', 1)]),
			layer('RUN', [file('b', 5), file('a', 5), file('c', 100)]),
		]);
		assert.deepEqual(
			report.efficiency.inefficiencies.map(wasted => `${wasted.path} ${wasted.wastedBytes}`),
			['c 101', 'a 10', 'b 10'],
		);
	});
});

describe('speed', () => {
	test('a 7,000-entry base and a few layers: no quadratic blow-up', t => {
		const base: LayerEntry[] = [];
		for (let top = 0; top < 20; top++) {
			base.push(dir(`d${top}`));
			for (let middle = 0; middle < 10; middle++) {
				base.push(dir(`d${top}/m${middle}`));
				for (let leaf = 0; leaf < 34; leaf++) base.push(file(`d${top}/m${middle}/f${leaf}`, 1000 + leaf));
			}
		}
		const layers = [
			layer('FROM', base),
			layer('RUN 1', [dir('d0'), dir('d0/m0'), file('d0/m0/f0', 5), whiteout('d1'), opaque('d2/m2')]),
			layer('RUN 2', Array.from({length: 500}, (_, index) => file(`new/${index}`, index))),
			layer('RUN 3', [whiteout('new'), file('d3/m3/f3', 1)]),
		];
		const started = performance.now();
		const report = analyzeLayers(layers);
		mergedTree(layers, 3, {markChangesOf: 3});
		const elapsed = performance.now() - started;
		assert.equal(report.layers[1].changeCounts.removed, 10 * 35 + 1 + 34);
		// Timing is reported, not asserted: tests stay deterministic; bench/ measures speed.
		t.diagnostic(`analyzeLayers + mergedTree: ${elapsed.toFixed(1)} ms`);
	});
});
