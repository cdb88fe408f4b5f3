import assert from 'node:assert/strict';
import {before, describe, test} from 'node:test';
import {summarizeImages} from '../../source/engine/images/list.js';
import {planPrune, planRemoval} from '../../source/engine/images/removal-plan.js';
import type {Store} from '../../source/engine/store/store.js';
import {runCommandLine} from '../../source/tui/command-line/run-command-line.js';
import {filterImageRows, imageTableRows, nextImageSort, sortImageRows} from '../../source/tui/panes/images/image-rows.js';
import {removalSummary} from '../../source/tui/panes/images/removal-lines.js';
import {checkTagTarget} from '../../source/tui/panes/images/tag-target.js';
import {demoStore} from './demo-store-fixture.js';

describe('images table rows', () => {
	let store: Store;
	before(async () => {
		store = await demoStore();
	});

	test('one row per tag, dangling rows marked, intermediate ones behind the toggle', async () => {
		const summaries = summarizeImages(await store.catalog());
		const rows = imageTableRows(summaries, {showAll: false});
		assert.ok(rows.some(row => row.repository === 'strata-demo/web' && row.tag === '1.0' && row.ref === 'strata-demo/web:1.0'));
		const dangling = rows.filter(row => row.kind === 'dangling');
		assert.equal(dangling.length, 1);
		assert.equal(dangling[0]!.repository, '<none>');
		assert.match(dangling[0]!.ref, /^sha256:[0-9a-f]{64}$/);
		assert.ok(!rows.some(row => row.kind === 'intermediate'));
		const all = imageTableRows(summaries, {showAll: true});
		assert.ok(all.filter(row => row.kind === 'intermediate').length >= 5);
	});

	test('filters by every word, sorts by any column, stable', async () => {
		const rows = imageTableRows(summarizeImages(await store.catalog()), {showAll: false});
		assert.deepEqual(
			filterImageRows(rows, 'web LAT').map(row => row.ref),
			['strata-demo/web:latest'],
		);
		assert.deepEqual(filterImageRows(rows, 'dangling').map(row => row.kind), ['dangling']);
		const id = rows[0]!.summary.record.id.slice(7, 15);
		assert.ok(filterImageRows(rows, id).every(row => row.summary.record.id.includes(id)));
		const byName = sortImageRows(rows, {column: 'repository', descending: false}).map(row => row.repository);
		assert.deepEqual(byName, [...byName].sort((a, b) => a.localeCompare(b)));
		const bySize = sortImageRows(rows, {column: 'size', descending: true}).map(row => row.summary.record.size);
		assert.deepEqual(bySize, [...bySize].sort((a, b) => b - a));
		assert.deepEqual(nextImageSort({column: 'created', descending: true}), {column: 'size', descending: true});
		assert.deepEqual(nextImageSort({column: 'shared', descending: true}), {column: 'repository', descending: false});
	});

	test('tag targets are validated live, as docker tag would', async () => {
		const catalog = await store.catalog();
		const webId = catalog.tags.get('docker.io/strata-demo/web:1.0')!;
		assert.equal(checkTagTarget('', webId, catalog).ok, false);
		assert.match(checkTagTarget('Bad Name', webId, catalog).message, /invalid reference format/);
		assert.match(checkTagTarget('strata-demo/web:1.0', webId, catalog).message, /already tags this image/);
		const moved = checkTagTarget('strata-demo/base:latest', webId, catalog);
		assert.ok(moved.ok && moved.moves);
		assert.deepEqual(checkTagTarget('myapp', webId, catalog), {ok: true, reference: 'myapp:latest', moves: false, message: 'new tag myapp:latest'});
		assert.match(checkTagTarget('app@sha256:' + 'a'.repeat(64), webId, catalog).message, /digest/);
	});

	test('removal plans name exactly what rmi and prune would do, and write nothing', async () => {
		const before = await store.catalog();
		const untag = await planRemoval(store, ['strata-demo/web:latest']);
		assert.deepEqual(untag.records, [{untagged: 'strata-demo/web:latest'}]);
		assert.equal(untag.imageCount, 0);
		const tools = await planRemoval(store, ['strata-demo/tools:dev']);
		assert.ok(tools.imageCount >= 2, 'the image and its untagged parents');
		assert.ok(tools.spaceFreed > 300_000);
		assert.match(removalSummary(tools), /^Frees \d.*: untags 1 tag, deletes \d+ images and \d+ layers\.$/);
		const intermediate = summarizeImages(before).find(summary => summary.intermediate)!;
		const conflict = await planRemoval(store, [intermediate.record.id]);
		assert.match(conflict.errors[0]!.message, /conflict: unable to delete .* image has dependent child images/);
		const prune = await planPrune(store);
		assert.equal(prune.imageCount, 1);
		const after = await store.catalog();
		assert.equal(after.records.size, before.records.size);
		assert.equal(after.tags.size, before.tags.size);
	});

	test('the command line runs the CLI verbs on the store and reports errors as text', async () => {
		const tagged = await runCommandLine('tag strata-demo/base:1.0 "cmdline:1"', store, 'test');
		assert.deepEqual(tagged, {kind: 'ran', words: ['tag', 'strata-demo/base:1.0', 'cmdline:1'], output: ''});
		assert.ok((await store.catalog()).tags.has('docker.io/library/cmdline:1'));
		const removed = await runCommandLine('strata rmi cmdline:1', store, 'test');
		assert.equal(removed.kind === 'ran' && removed.output, 'Untagged: cmdline:1\n');
		const missing = await runCommandLine('rmi nothing:here', store, 'test');
		assert.equal(missing.kind === 'ran' && missing.error, 'No such image: nothing:here');
		const unknown = await runCommandLine('frobnicate', store, 'test');
		assert.match((unknown.kind === 'ran' && unknown.error) || '', /unknown command 'frobnicate'/);
		const listing = await runCommandLine('images', store, 'test');
		assert.match((listing.kind === 'ran' && listing.output) || '', /^REPOSITORY +TAG +IMAGE ID/);
		assert.match((await runCommandLine('image prune', store, 'test')).kind === 'ran' ? ((await runCommandLine('image prune', store, 'test')) as {error: string}).error : '', /add -f/);
		assert.deepEqual(await runCommandLine('q', store, 'test'), {kind: 'quit'});
		assert.deepEqual(await runCommandLine('   ', store, 'test'), {kind: 'empty'});
		const stdin = await runCommandLine('import - x:1', store, 'test');
		assert.match((stdin.kind === 'ran' && stdin.error) || '', /no standard input/);
	});
});
