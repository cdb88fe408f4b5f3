// @jsxRuntime automatic
// The commit & tag wizard, driven by keys on a real container that changed a file: the new image has the
// tag, author, message and CMD change, and the frame lands on its history.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {render} from 'ink-testing-library';
import {Store} from '../../source/engine/store/store.js';
import {App} from '../../source/tui/App.js';
import {checkChange, checkCommitReference} from '../../source/tui/wizard/wizard-state.js';
import {cleanUpStore, containerRoot, containerSkip, importBusybox, strataIn} from '../engine/container-support.js';
import {plain, tick, waitFor} from './demo-store-fixture.js';

const keys = {enter: '\r', escape: '\x1b', tab: '\t', ctrlU: '\x15'};

type View = ReturnType<typeof render> & {frame: () => string};

async function press(view: View, ...sequence: string[]) {
	for (const key of sequence) {
		view.stdin.write(key);
		await tick();
	}
}

describe('wizard checks', () => {
	test('changes are validated like commit --change, limited to the wizard’s instructions', () => {
		assert.equal(checkChange('CMD ["sh"]'), undefined);
		assert.equal(checkChange('ENV A=1'), undefined);
		assert.equal(checkChange('EXPOSE 80/tcp'), undefined);
		assert.match(checkChange('RUN ls') ?? '', /CMD, ENTRYPOINT/);
		assert.ok(checkChange('EXPOSE notaport'));
		assert.ok(checkChange('WORKDIR'));
	});

	test('repository and tag: live validation, an untagged image when empty', () => {
		assert.deepEqual(checkCommitReference('', '', undefined), {ok: true, moves: false, message: 'no repository: the image will be untagged (<none>)'});
		assert.equal(checkCommitReference('mine', '', undefined).ok && checkCommitReference('mine', '', undefined).reference, 'mine:latest');
		assert.equal(checkCommitReference('Mine', 'v1', undefined).ok, false);
		assert.equal(checkCommitReference('mine', '-bad', undefined).ok, false);
		assert.equal(checkCommitReference('mine:v1', '', undefined).ok, false);
		assert.equal(checkCommitReference('localhost:5000/team/app', 'dev', undefined).ok, true);
	});
});

describe('the commit & tag wizard', {skip: containerSkip}, () => {
	let root: string;
	let store: Store;
	const views: View[] = [];

	before(async () => {
		root = containerRoot();
		await importBusybox(root);
		const strata = strataIn(root);
		for (const args of [
			['create', '--name', 'c1', 'busybox', 'sh', '-c', 'echo hi > /f'],
			['start', '-a', 'c1'],
		]) {
			const result = await strata(args);
			assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
		}
		store = await Store.open(root);
	});

	after(() => {
		for (const view of views) view.unmount();
		cleanUpStore(root);
	});

	async function openWizard(): Promise<View> {
		const rendered = render(<App version="1" store={store} watchStore={false} />);
		const view = {...rendered, frame: () => plain(rendered.lastFrame())};
		views.push(view);
		await waitFor(view.lastFrame, frame => frame.includes('REPOSITORY'));
		await press(view, '2');
		await waitFor(view.lastFrame, frame => frame.includes(' c1 '));
		await press(view, 'c');
		await waitFor(view.lastFrame, frame => frame.includes('A /f'));
		return view;
	}

	test('diff → author and message → changes → repository and tag → summary → commit → history', async () => {
		const view = await openWizard();
		assert.match(view.frame(), /Commit c1 +step 1\/5 · Review the changes/);
		await press(view, keys.enter);
		await waitFor(view.lastFrame, frame => frame.includes('step 2/5'));
		await press(view, 'Ann <ann@example.com>', keys.tab, 'first commit', keys.enter);
		await waitFor(view.lastFrame, frame => frame.includes('step 3/5'));
		// q and Tab are text here: the wizard holds the keyboard.
		await press(view, 'EXPOSE q');
		await waitFor(view.lastFrame, frame => frame.includes('✗ '));
		await press(view, keys.enter, keys.ctrlU, 'CMD ["cat","/f"]');
		await waitFor(view.lastFrame, frame => frame.includes('✓ valid'));
		await press(view, keys.enter);
		await waitFor(view.lastFrame, frame => frame.includes('✓ CMD ["cat","/f"]'));
		await press(view, keys.enter);
		await waitFor(view.lastFrame, frame => frame.includes('step 4/5'));
		await press(view, 'busybox');
		await waitFor(view.lastFrame, frame => frame.includes('busybox:latest exists') && frame.includes('will be moved'));
		await press(view, keys.ctrlU, 'mine', keys.tab, 'v1');
		await waitFor(view.lastFrame, frame => frame.includes('new tag mine:v1'));
		await press(view, keys.enter);
		await waitFor(view.lastFrame, frame => frame.includes('step 5/5'));
		const summary = view.frame();
		for (const text of ['Ann <ann@example.com>', 'first commit', 'CMD ["cat","/f"]', 'mine:v1', '1 change']) assert.ok(summary.includes(text), text);
		await press(view, keys.enter);
		await waitFor(view.lastFrame, frame => frame.includes('History of mine:v1'), 20_000);
		assert.match(view.frame(), /Committed c1 as mine:v1/);

		const catalog = await store.catalog();
		const id = catalog.tags.get('docker.io/library/mine:v1');
		assert.ok(id, 'the tag exists');
		const config = await store.config(catalog.records.get(id)!);
		assert.equal(config.author, 'Ann <ann@example.com>');
		assert.equal(config.history?.at(-1)?.comment, 'first commit');
		assert.deepEqual(config.config?.Cmd, ['cat', '/f']);
		assert.equal(config.rootfs.diff_ids.length, 2, 'one new layer on busybox');
	});

	test('esc steps back, and on the first step closes the wizard', async () => {
		const view = await openWizard();
		await press(view, keys.enter);
		await waitFor(view.lastFrame, frame => frame.includes('step 2/5'));
		await press(view, keys.escape);
		await waitFor(view.lastFrame, frame => frame.includes('step 1/5'));
		await press(view, keys.escape);
		await waitFor(view.lastFrame, frame => frame.includes('NAME') && !frame.includes('Commit c1'));
	});
});
