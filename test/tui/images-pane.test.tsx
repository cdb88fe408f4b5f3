// @jsxRuntime automatic
// (tsconfig.json covers source/ only, so tsx would compile this test file with the classic JSX runtime.)
import assert from 'node:assert/strict';
import {after, describe, test} from 'node:test';
import {render} from 'ink-testing-library';
import {sha256Digest} from '../../source/engine/digest.js';
import {mediaTypes} from '../../source/engine/image/types.js';
import {ImageCatalog, type ImageRecord, saveCatalog} from '../../source/engine/store/image-catalog.js';
import type {Store} from '../../source/engine/store/store.js';
import {App} from '../../source/tui/App.js';
import {demoStore, emptyStore, plain, tick, waitFor} from './demo-store-fixture.js';

const keys = {down: '\x1b[B', enter: '\r', escape: '\x1b', space: ' '};

type View = ReturnType<typeof render> & {frame: () => string};
const views: View[] = [];

async function open(store: Store, ready = 'REPOSITORY'): Promise<View> {
	const rendered = render(<App version="1" store={store} watchStore={false} />);
	const view = {...rendered, frame: () => plain(rendered.lastFrame())};
	views.push(view);
	await waitFor(view.lastFrame, frame => frame.includes(ready));
	return view;
}

async function press(view: View, ...sequence: string[]) {
	for (const key of sequence) {
		view.stdin.write(key);
		await tick();
	}
}

/** The table's data rows: lines with an image ID. */
const tableRows = (frame: string) => frame.split('\n').filter(line => /│ .{2}\S.* [0-9a-f]{12} /.test(line));

describe('the images pane', () => {
	after(() => {
		for (const view of views) view.unmount();
	});

	test('j/k, G/g and the arrows move the cursor; keys faster than renders all count', async () => {
		const view = await open(await demoStore());
		await press(view, 'G');
		await press(view, 'i');
		await waitFor(view.lastFrame, frame => frame.includes('Inspect strata-demo/base:latest'));
		await press(view, keys.escape, 'g', 'i');
		await waitFor(view.lastFrame, frame => frame.includes('Inspect strata-demo/tools:dev'));
		await press(view, keys.escape);
		for (const key of 'jjj') view.stdin.write(key);
		view.stdin.write('i');
		await waitFor(view.lastFrame, frame => frame.includes('Inspect strata-demo/web:latest'));
	});

	test('inspect shows a readable summary and, with v, the JSON; esc goes back', async () => {
		const view = await open(await demoStore());
		await press(view, 'j', 'j', 'i');
		const summary = await waitFor(view.lastFrame, frame => frame.includes('Cmd '));
		assert.match(summary, /Tags +strata-demo\/web:1\.0/);
		assert.match(summary, /User +www/);
		assert.match(summary, /Ports +8080\/tcp/);
		await press(view, 'v');
		await waitFor(view.lastFrame, frame => frame.includes('"RepoTags": ['));
		await press(view, keys.escape);
		await waitFor(view.lastFrame, frame => frame.includes('REPOSITORY'));
	});

	test('sorts by the next column with s, reverses with S; a toggles intermediate images', async () => {
		const view = await open(await demoStore());
		await press(view, 's');
		assert.match(view.frame(), /SIZE ↓/);
		const sizes = tableRows(view.frame()).map(line => line.trim().split(/\s+/).at(-2));
		assert.equal(sizes[0], '2.63MB');
		await press(view, 'S');
		assert.match(view.frame(), /SIZE ↑/);
		const before = tableRows(view.frame()).length;
		await press(view, 'a');
		await waitFor(view.lastFrame, frame => tableRows(frame).length > before);
		assert.match(view.frame(), /◇<none>/);
		assert.match(view.frame(), /Showing intermediate images/);
	});

	test('tag: the inline form validates as you type and tags on enter', async () => {
		const view = await open(await demoStore());
		await press(view, 't');
		await waitFor(view.lastFrame, frame => frame.includes('Tag strata-demo/tools:dev'));
		assert.match(view.frame(), /✗ strata-demo\/tools:dev already tags this image/);
		await press(view, '\x15', 'B', 'a', 'd');
		assert.match(view.frame(), /✗ invalid reference format/);
		await press(view, '\x15', ...'team/tools:2', 'q');
		assert.match(view.frame(), /› team\/tools:2q/, 'q is typed, it does not quit');
		assert.match(view.frame(), /✓ new tag team\/tools:2q/);
		await press(view, keys.enter);
		await waitFor(view.lastFrame, frame => frame.includes('✓ Tagged') && /team\/tools +2q/.test(frame));
	});

	test('remove asks first, naming what is untagged and deleted, then removes', async () => {
		const view = await open(await demoStore());
		await press(view, 'd');
		const dialog = await waitFor(view.lastFrame, frame => frame.includes('Remove strata-demo/tools:dev?'));
		assert.match(dialog, /Frees \d+(\.\d+)?kB: untags 1 tag, deletes \d+ images and 2 layers\./);
		assert.match(dialog, /Untagged: strata-demo\/tools:dev/);
		assert.match(dialog, /Deleted: +[0-9a-f]{12} \(image, 2\.63MB\)/);
		await press(view, 'n');
		assert.doesNotMatch(view.frame(), /Remove strata-demo/);
		await press(view, 'd');
		await waitFor(view.lastFrame, frame => frame.includes('Remove strata-demo/tools:dev?'));
		await press(view, 'y');
		await waitFor(view.lastFrame, frame => frame.includes('✓ Untagged strata-demo/tools:dev; deleted 5 images'));
		await waitFor(view.lastFrame, frame => !tableRows(frame).join('\n').includes('strata-demo/tools'));
	});

	test('space marks rows for a bulk remove; esc clears the marks', async () => {
		const view = await open(await demoStore());
		await press(view, 'j', keys.space, keys.space);
		assert.match(view.frame(), /● 2 marked/);
		await press(view, keys.escape);
		assert.doesNotMatch(view.frame(), /marked/);
		await press(view, 'g', 'j', keys.space, keys.space, 'd');
		const dialog = await waitFor(view.lastFrame, frame => frame.includes('Remove 2 marked images?'));
		assert.match(dialog, /Untagged: localhost:5000\/team\/web:staging/);
		assert.match(dialog, /Untagged: strata-demo\/web:1\.0/);
		await press(view, 'y');
		await waitFor(view.lastFrame, frame => frame.includes('✓ Untagged localhost:5000/team/web:staging, strata-de'));
		await waitFor(view.lastFrame, frame => !tableRows(frame).join('\n').includes('staging') && /strata-demo\/web +latest/.test(frame));
	});

	test('a conflict (an image with children) is explained, not attempted', async () => {
		const view = await open(await demoStore());
		await press(view, 'a');
		await waitFor(view.lastFrame, frame => frame.includes('◇<none>'));
		const lines = view.frame().split('\n');
		const intermediate = lines.findIndex(line => line.includes('◇<none>'));
		const first = lines.findIndex(line => /│ .{2}\S.* [0-9a-f]{12} /.test(line));
		await press(view, ...Array(intermediate - first).fill('j'), 'd');
		const dialog = await waitFor(view.lastFrame, frame => frame.includes('Nothing can be removed'));
		assert.match(dialog, /✗ conflict: unable to delete [0-9a-f]{12} \(cannot be forced\) - image has depe/);
		assert.match(dialog, /n close/);
		await press(view, keys.escape);
		assert.doesNotMatch(view.frame(), /Nothing can be removed/);
	});

	test('prune dangling names the space it frees; prune all asks about every image', async () => {
		const view = await open(await demoStore());
		await press(view, 'p');
		const dialog = await waitFor(view.lastFrame, frame => frame.includes('Prune dangling images (image prune)?'));
		assert.match(dialog, /Frees \d+B: deletes 1 image and 1 layer\./);
		await press(view, 'y');
		await waitFor(view.lastFrame, frame => frame.includes('✓ Pruned: Deleted 1 image, freed 68B'));
		await waitFor(view.lastFrame, frame => !frame.includes('◌<none>'));
		await press(view, 'p');
		await waitFor(view.lastFrame, frame => frame.includes('No dangling images to prune'));
		await press(view, 'P');
		const all = await waitFor(view.lastFrame, frame => frame.includes('Prune all unused images'));
		assert.match(all, /Frees 2\.\d+MB: untags 6 tags, deletes \d+ images/);
		await press(view, 'n');
	});

	test('an empty store offers the demo images, and y builds them', async () => {
		const view = await open(await emptyStore(), 'no images yet');
		assert.match(view.frame(), /Build a few demo images now\?/);
		assert.match(view.frame(), /y build the demo images/);
		await press(view, 'y');
		await waitFor(view.lastFrame, frame => frame.includes('strata-demo/web') && frame.includes('✓ Built'), 20000);
	});

	test('errors from actions land on the status line; the app goes on', async () => {
		const store = await demoStore();
		const view = await open(store);
		// Another process removes the image under the cursor; inspecting it then fails gracefully.
		const {removeImages} = await import('../../source/engine/images/removal-plan.js');
		await removeImages(store, ['strata-demo/tools:dev']);
		await press(view, 'i');
		await waitFor(view.lastFrame, frame => frame.includes('No such image'));
		await press(view, keys.escape);
		await press(view, 'r');
		await waitFor(view.lastFrame, frame => !tableRows(frame).join('\n').includes('strata-demo/tools'));
	});

	test('1,000 images: the first frame draws only the rows that fit', async () => {
		// Records and tags written straight into the catalog files: the table needs nothing else.
		const store = await emptyStore();
		const records = new Map<ImageRecord['id'], ImageRecord>();
		const tags = new Map<string, ImageRecord['id']>();
		for (let index = 0; index < 1000; index++) {
			const id = sha256Digest(`config ${index}`);
			const created = new Date(Date.UTC(2024, 0, 1) + index * 60_000).toISOString();
			records.set(id, {id, manifest: {mediaType: mediaTypes.ociManifest, digest: sha256Digest(`manifest ${index}`), size: 100}, diffIDs: [sha256Digest(`layer ${index % 10}`)], size: 1000 + index, created, addedAt: created});
			tags.set(`docker.io/bench/app${index % 37}:v${index}`, id);
		}
		await saveCatalog(store.paths, ImageCatalog.empty(), new ImageCatalog(records, tags));
		// Speed is bench/tui.bench.ts's job; this checks the frame is windowed, not how fast it came.
		const view = await open(store);
		assert.match(view.frame(), /1000 images, 1000 rows/);
		assert.equal(tableRows(view.frame()).length, 19, 'the rows that fit a 24-row terminal, not a thousand');
		assert.match(tableRows(view.frame())[0]!, /bench\/app\d+ +v999 /);
		await press(view, 'G');
		await waitFor(view.lastFrame, frame => /bench\/app0 +v0 /.test(tableRows(frame).at(-1) ?? ''));
	});
});
