import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {buildDemo} from '../../source/engine/demo/build-demo.js';
import {generatedBytes, generatedText} from '../../source/engine/demo/demo-layer.js';
import {loadRecipes} from '../../source/engine/demo/recipes.js';
import {imageHistory} from '../../source/engine/images/history.js';
import {imageLayers} from '../../source/engine/images/layers.js';
import {filterImages, summarizeImages} from '../../source/engine/images/list.js';
import {drain} from '../../source/engine/progress.js';
import {Store} from '../../source/engine/store/store.js';
import {runStrata, tempDir} from '../support/tmp.js';

describe('demo images (strata demo)', () => {
	test('the recipes load and every layer they use exists', async () => {
		const recipes = await loadRecipes();
		assert.ok(recipes.images.length >= 4);
		for (const image of recipes.images) for (const step of image.steps) if (step.layer) assert.ok(recipes.layers[step.layer], step.layer);
	});

	test('generated contents are deterministic and of the asked size', () => {
		assert.equal(generatedBytes(1000, 'x').length, 1000);
		assert.deepEqual(generatedBytes(100, 'x'), generatedBytes(100, 'x'));
		assert.notDeepEqual(generatedBytes(100, 'x'), generatedBytes(100, 'y'));
		assert.equal(generatedText(5000, 'x').length, 5000);
		assert.match(generatedText(200, 'x').toString(), /^[a-z \n]+$/);
	});

	test('builds tagged, dangling and intermediate images that share layers, offline, once', async () => {
		const store = await Store.open(tempDir('strata-demo'));
		const result = await drain(buildDemo(store));
		assert.equal(result.alreadyPresent, false);
		const catalog = await store.catalog();
		const summaries = summarizeImages(catalog);
		const tags = summaries.flatMap(summary => summary.repoTags);
		for (const tag of ['strata-demo/base:1.0', 'strata-demo/base:latest', 'strata-demo/web:1.0', 'strata-demo/tools:dev', 'localhost:5000/team/web:staging']) assert.ok(tags.includes(tag), tag);
		assert.equal(summaries.filter(summary => summary.dangling).length, 1, 'one dangling image');
		assert.ok(summaries.filter(summary => summary.intermediate).length >= 5, 'intermediate images, hidden without -a');
		assert.ok(filterImages(summaries, {}).length < summaries.length);

		// web and tools share the base layer and the certificates layer.
		const web = catalog.records.get(catalog.tags.get('docker.io/strata-demo/web:1.0')!)!;
		const tools = catalog.records.get(catalog.tags.get('docker.io/strata-demo/tools:dev')!)!;
		assert.deepEqual(web.diffIDs.slice(0, 2), tools.diffIDs.slice(0, 2));
		assert.equal(web.diffIDs.length, 4);

		// History has image IDs along the parent chain (every step is an image) and metadata steps.
		const history = await imageHistory(store, 'strata-demo/web:1.0');
		assert.equal(history.length, 10);
		assert.ok(history.slice(0, 9).every(item => item.id !== '<missing>'));
		assert.ok(history.some(item => item.emptyLayer));

		// The tools image wastes space: a big download deleted (whiteout) in the layer above.
		const report = await imageLayers(store, 'strata-demo/tools:dev');
		const top = report.layers.at(-1)!;
		assert.ok(top.changeCounts.removed > 0, 'a whiteout in the cleanup layer');
		assert.ok(top.changeCounts.modified > 0, 'a modified file (motd)');
		assert.ok(report.efficiency.wastedBytes > 300_000, `wasted ${report.efficiency.wastedBytes}`);

		const again = await drain(buildDemo(store));
		assert.equal(again.alreadyPresent, true);
		assert.equal((await store.catalog()).records.size, catalog.records.size);
	});

	test('`strata demo` builds them from the CLI, then `strata images -a` lists them', async () => {
		const root = tempDir('strata-demo-cli');
		const first = await runStrata(['demo'], {root});
		assert.equal(first.code, 0, first.stderr);
		assert.match(first.stdout, /^Built \d+ demo images \(intermediate ones included\)\.\nTags: strata-demo\/base:1\.0, /);
		const listing = await runStrata(['images'], {root});
		assert.match(listing.stdout, /strata-demo\/web +1\.0 /);
		assert.match(listing.stdout, /<none> +<none> /);
		const again = await runStrata(['demo'], {root});
		assert.match(again.stdout, /^The demo images are already in the store\./);
	});
});
