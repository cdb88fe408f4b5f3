// @jsxRuntime automatic
// The containers pane on a real store with real containers (created and run by the built CLI): the live
// table, logs, diff, inspect, start, kill and remove through the keys.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {render} from 'ink-testing-library';
import {listContainers} from '../../source/engine/containers/container-store.js';
import {Store} from '../../source/engine/store/store.js';
import {App} from '../../source/tui/App.js';
import {appendBounded} from '../../source/tui/panes/containers/LogViewer.js';
import {cleanUpStore, containerRoot, containerSkip, importBusybox, strataIn} from '../engine/container-support.js';
import {plain, tick, waitFor} from './demo-store-fixture.js';

const keys = {enter: '\r', escape: '\x1b'};

type View = ReturnType<typeof render> & {frame: () => string};

async function press(view: View, ...sequence: string[]) {
	for (const key of sequence) {
		view.stdin.write(key);
		await tick();
	}
}

describe('the log buffer', () => {
	test('keeps the newest lines and counts the dropped ones', () => {
		let buffer = {lines: [] as Array<{stream: 'stdout' | 'stderr'; time: string; text: string}>, dropped: 0};
		buffer = appendBounded(buffer, [{stream: 'stdout', time: 't', log: 'a\n'}, {stream: 'stdout', time: 't', log: 'b\n'}], 3);
		buffer = appendBounded(buffer, [{stream: 'stderr', time: 't', log: 'c\nd\n'}], 3);
		assert.deepEqual(
			buffer.lines.map(line => line.text),
			['b', 'c', 'd'],
		);
		assert.equal(buffer.dropped, 1);
	});
});

describe('the containers pane', {skip: containerSkip}, () => {
	let root: string;
	let store: Store;
	const views: View[] = [];

	before(async () => {
		root = containerRoot();
		await importBusybox(root);
		const strata = strataIn(root);
		for (const args of [
			['create', '--name', 'c1', 'busybox', 'sh', '-c', 'echo hi > /f; echo hello-log; echo oops >&2'],
			['start', '-a', 'c1'],
			['create', '--name', 'c2', 'busybox', 'sh', '-c', 'echo from-c2; sleep 60'],
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

	async function open(): Promise<View> {
		const rendered = render(<App version="1" store={store} watchStore={false} />);
		const view = {...rendered, frame: () => plain(rendered.lastFrame())};
		views.push(view);
		await waitFor(view.lastFrame, frame => frame.includes('REPOSITORY'));
		await press(view, '2');
		await waitFor(view.lastFrame, frame => frame.includes(' c1 '));
		return view;
	}

	test('lists ps -a: name, image, command, state, created, status; newest first', async () => {
		const view = await open();
		// Within its first second c1's status reads "Exited (0) Less than a second ago", wide enough that
		// 100 columns drop CREATED; the table refreshes every second, so wait for the steady layout.
		const frame = await waitFor(view.lastFrame, text => /NAME +IMAGE +COMMAND +STATE +CREATED/.test(text));
		assert.match(frame, /NAME +IMAGE +COMMAND +STATE +CREATED/);
		const lines = frame.split('\n');
		const c2 = lines.findIndex(line => / c2 +busybox /.test(line));
		const c1 = lines.findIndex(line => / c1 +busybox /.test(line));
		assert.ok(c2 > 0 && c1 > c2, frame);
		assert.match(lines[c1]!, /exited/);
		assert.match(lines[c2]!, /created/);
		assert.match(frame, /2 containers, 0 running/);
		assert.match(frame, /l logs +s start +x stop/);
	});

	test('logs with timestamps and search; diff lists A /f; inspect shows the JSON', async () => {
		const view = await open();
		await press(view, 'j', 'l');
		await waitFor(view.lastFrame, frame => frame.includes('hello-log') && frame.includes('oops'));
		assert.match(view.frame(), /Logs c1 +2 lines · following/);
		await press(view, 'T');
		await waitFor(view.lastFrame, frame => /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\S* +hello-log/.test(frame));
		await press(view, '/', 'hello', keys.enter);
		await waitFor(view.lastFrame, frame => frame.includes('/hello (1 match)'));
		await press(view, keys.escape);
		await waitFor(view.lastFrame, frame => !frame.includes('/hello'));
		await press(view, keys.escape);
		await waitFor(view.lastFrame, frame => frame.includes('NAME'));
		await press(view, 'f');
		await waitFor(view.lastFrame, frame => frame.includes('A /f'));
		assert.match(view.frame(), /Diff c1/);
		await press(view, keys.escape, 'i');
		await waitFor(view.lastFrame, frame => frame.includes('Inspect c1') && frame.includes('"Path": "sh"'));
		await press(view, keys.escape);
		await waitFor(view.lastFrame, frame => frame.includes('NAME'));
	});

	test('start shows it running within a second or so; kill and remove ask first', async () => {
		const view = await open();
		// c2 is the first row (newest).
		await waitFor(view.lastFrame, frame => frame.includes(' c2 '));
		await press(view, 's');
		await waitFor(view.lastFrame, frame => /c2 +busybox .*running/.test(frame) && frame.includes('1 running'), 10_000);
		await press(view, 'K');
		await waitFor(view.lastFrame, frame => frame.includes('Kill c2?'));
		await press(view, 'y');
		await waitFor(view.lastFrame, frame => /c2 +busybox .*exited/.test(frame), 15_000);
		await press(view, 'd');
		await waitFor(view.lastFrame, frame => frame.includes('Remove c2?'));
		await press(view, 'n');
		await waitFor(view.lastFrame, frame => !frame.includes('Remove c2?'));
		assert.equal((await listContainers(store)).length, 2);
		await press(view, 'd');
		await waitFor(view.lastFrame, frame => frame.includes('Remove c2?'));
		await press(view, 'y');
		await waitFor(view.lastFrame, frame => !/c2 +busybox/.test(frame) && frame.includes('Removed c2'), 10_000);
		assert.deepEqual(
			(await listContainers(store)).map(container => container.record.name),
			['c1'],
		);
	});

	test('? lists the pane keys and the wizard keys', async () => {
		const view = await open();
		await press(view, '?');
		await waitFor(view.lastFrame, frame => frame.includes('Keys of the Containers pane'));
		for (const text of ['logs of the container', 'commit & tag wizard', 'kill the container']) assert.ok(view.frame().includes(text), text);
		assert.match(view.frame(), /Commit wizard\n.*next step/);
	});
});
