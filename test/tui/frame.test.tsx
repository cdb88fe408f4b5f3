// @jsxRuntime automatic
// (tsconfig.json covers source/ only, so tsx would compile this test file with the classic JSX runtime.)
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {render} from 'ink-testing-library';
import {tagImage} from '../../source/engine/images/tag.js';
import {Store} from '../../source/engine/store/store.js';
import {App} from '../../source/tui/App.js';
import {keymapFromSettings} from '../../source/tui/tui-settings.js';
import {demoStore, plain, tick, waitFor} from './demo-store-fixture.js';

const keys = {down: '\x1b[B', up: '\x1b[A', enter: '\r', escape: '\x1b', tab: '\t', shiftTab: '\x1b[Z'};

type View = ReturnType<typeof render> & {frame: () => string};

async function open(store: Store, props: Partial<Parameters<typeof App>[0]> = {}): Promise<View> {
	const view = render(<App version="9.9.9" store={store} watchStore={false} {...props} />);
	await waitFor(view.lastFrame, frame => frame.includes('REPOSITORY'));
	return {...view, frame: () => plain(view.lastFrame())};
}

async function press(view: View, ...sequence: string[]) {
	for (const key of sequence) {
		view.stdin.write(key);
		await tick();
	}
}

describe('the frame', () => {
	let store: Store;
	const views: View[] = [];
	before(async () => {
		store = await demoStore();
	});
	after(() => {
		for (const view of views) view.unmount();
	});
	const openTracked = async (props: Partial<Parameters<typeof App>[0]> = {}) => {
		const view = await open(store, props);
		views.push(view);
		return view;
	};

	test('draws the pane column, the images table, the status line and the key hints', async () => {
		const view = await openTracked();
		const lines = view.frame().split('\n');
		assert.equal(lines.length, 23, 'one row shorter than the 24-row terminal');
		assert.match(lines[0]!, /^strata 9\.9\.9 +│ Images +4 images, 7 rows · ◌ 1 dangling · ◇ \d+ hidden \(a\)/);
		for (const title of ['1 Images', '2 Containers', '3 History', '4 Layers']) assert.ok(view.frame().includes(title), title);
		assert.match(view.frame(), /REPOSITORY +TAG +IMAGE ID +CREATED ↓ +SIZE +SHARED/);
		assert.match(view.frame(), /◌<none> +<none> +[0-9a-f]{12}/);
		assert.match(lines[21]!, /\d+ images · 6 tags · .*strata-tui-demo/);
		assert.match(lines[22]!, /^⏎ history +l layers +i inspect .*\? keys +q quit/);
	});

	test('Tab, Shift-Tab and the number keys move between panes; esc comes back', async () => {
		const view = await openTracked();
		await press(view, keys.tab);
		assert.match(view.frame(), /│ Containers\n/);
		await press(view, keys.shiftTab);
		assert.match(view.frame(), /│ Images /);
		await press(view, '3');
		await waitFor(view.lastFrame, frame => frame.includes('History of strata-demo/tools:dev'));
		await press(view, '4');
		await waitFor(view.lastFrame, frame => frame.includes('Layers of strata-demo/tools:dev'));
		await press(view, '1');
		assert.match(view.frame(), /│ Images /);
	});

	test('enter opens the history of the selected image, l the layer tree, esc goes back', async () => {
		const view = await openTracked();
		await press(view, 'j', 'j', keys.enter);
		await waitFor(view.lastFrame, frame => frame.includes('History of strata-demo/web:1.0'));
		assert.match(view.frame(), /3 History[^\n]*\n  strata-demo\//);
		await press(view, keys.escape);
		await waitFor(view.lastFrame, frame => frame.includes('REPOSITORY'));
		await press(view, 'l');
		await waitFor(view.lastFrame, frame => frame.includes('Layers of strata-demo/web:1.0'));
		await press(view, keys.escape);
		await waitFor(view.lastFrame, frame => frame.includes('REPOSITORY'));
	});

	test('? lists every key of the focused pane from the keymap, with user overrides', async () => {
		const view = await openTracked({keymap: keymapFromSettings({'images.remove': ['x']})});
		await press(view, '?');
		const help = view.frame();
		assert.match(help, /Keys of the Images pane/);
		assert.match(help, /x +remove the image, or the marked ones/);
		assert.match(help, /space +mark \/ unmark for a bulk remove/);
		await press(view, keys.escape);
		await waitFor(view.lastFrame, frame => frame.includes('REPOSITORY'));
		assert.match(view.frame(), /x remove/, 'the hint line follows the override');
	});

	test('/ filters the table as you type; esc clears it', async () => {
		const view = await openTracked();
		await press(view, '/', 'w', 'e', 'b');
		assert.match(view.frame(), /\/web +⏎ keep · esc clear/);
		assert.match(view.frame(), /1 image, 3 rows/);
		assert.doesNotMatch(view.frame(), /strata-demo\/tools/);
		await press(view, keys.enter);
		assert.match(view.frame(), /· \/web/);
		assert.match(view.frame(), /1 image, 3 rows/, 'the filter stays after enter');
		await press(view, keys.escape);
		assert.match(view.frame(), /4 images, 7 rows/, 'esc in the table clears it');
	});

	test('typed ahead in one read (over SSH, or faster than a frame): the text, then Enter, then the next keys', async () => {
		const view = await openTracked();
		await press(view, '/web\r');
		assert.match(view.frame(), /· \/web/, 'the filter is kept, without the Enter in it');
		assert.match(view.frame(), /1 image, 3 rows/);
		await press(view, keys.escape);
		assert.match(view.frame(), /4 images, 7 rows/);
		await press(view, ':tag strata-demo/base:1.0 ahead:1\r');
		await waitFor(view.lastFrame, frame => frame.includes('✓ :tag strata-demo/base:1.0 ahead:1 done') && /ahead +1 /.test(frame));
		// Text after the Enter goes to whoever has the keyboard then: here the table, as keys.
		await press(view, '/zzz\r\x1b');
		await waitFor(view.lastFrame, frame => /4 images, 8 rows/.test(plain(frame)));
	});

	test(': runs CLI verbs; output opens in a view, errors go to the status line', async () => {
		const view = await openTracked();
		await press(view, ':', ...'tag strata-demo/base:1.0 fromcmd:1', keys.enter);
		await waitFor(view.lastFrame, frame => frame.includes('✓ :tag strata-demo/base:1.0 fromcmd:1 done') && /fromcmd +1 /.test(frame));
		await press(view, ':', ...'rmi nothing:here', keys.enter);
		await waitFor(view.lastFrame, frame => frame.includes('✗ No such image: nothing:here'));
		await press(view, ':', ...'images', keys.enter);
		await waitFor(view.lastFrame, frame => frame.includes(':images · esc closes'));
		await press(view, keys.escape);
		await waitFor(view.lastFrame, frame => frame.includes('CREATED ↓'));
		await press(view, ':', ...'rmi fromcmd:1', keys.enter);
		await waitFor(view.lastFrame, frame => frame.includes('✓ Untagged: fromcmd:1'));
	});

	test('sees images that another process adds, through the file watcher', async () => {
		const view = await openTracked({watchStore: true});
		const other = await Store.open(store.root);
		await tagImage(other, 'strata-demo/base:1.0', 'from-another-process:1');
		await waitFor(view.lastFrame, frame => frame.includes('from-another-process'), 3000);
		await tagImage(other, 'strata-demo/base:1.0', 'from-another-process:1').catch(() => {});
		await (await import('../../source/engine/images/removal-plan.js')).removeImages(other, ['from-another-process:1']);
		await waitFor(view.lastFrame, frame => !frame.includes('from-another-process'), 3000);
	});

	test('a narrow terminal keeps the table usable', async () => {
		const view = await openTracked();
		// ink-testing-library's terminal is 100 columns; the table adapts to the width it is given.
		assert.ok(view.frame().split('\n').every(line => line.length <= 100));
		await tick(10);
	});
});
