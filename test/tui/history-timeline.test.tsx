// @jsxRuntime automatic
// (tsconfig.json covers source/ only, so tsx would compile this test file with the classic JSX runtime.)
import assert from 'node:assert/strict';
import {before, describe, test} from 'node:test';
import {render} from 'ink-testing-library';
import type {Store} from '../../source/engine/store/store.js';
import {StoreProvider} from '../../source/tui/context/store-context.js';
import {HistoryTimeline} from '../../source/tui/panes/history/HistoryTimeline.js';
import {fixtureStore, plain, press, settle, until} from './layers-test-support.js';


/** Renders until the history has loaded (a store read), then returns the handle. */
async function renderTimeline(store: Store, props: {width?: number; height?: number; onJumpToLayer?: (index: number) => void; onBack?: () => void} = {}) {
	const view = render(
		<StoreProvider store={store} watchChanges={false}>
			<HistoryTimeline
				imageRef="fixture"
				width={props.width ?? 80}
				height={props.height ?? 24}
				focused
				onJumpToLayer={props.onJumpToLayer}
				onBack={props.onBack ?? (() => {})}
			/>
		</StoreProvider>,
	);
	await until(() => plain(view.lastFrame()).includes('History of'));
	return {...view, frame: () => plain(view.lastFrame())};
}


describe('HistoryTimeline', () => {
	let store: Store;
	before(async () => {
		store = await fixtureStore();
	});

	test('draws the steps newest first on a rail, layers ● and metadata ○', async () => {
		const view = await renderTimeline(store);
		const lines = view.frame().split('\n');
		assert.match(lines[0], /^History of fixture · 5 steps · 3 layers · 11\.6kB +1\/5$/);
		const commands = lines.filter(line => /^[●○] /.test(line));
		assert.equal(commands.length, 5);
		assert.match(commands[0], /^○ CMD \["node" "\/app\/main\.js"\]/);
		assert.match(commands[1], /^● COPY app \/app # buildkit +5\.3kB █+░*$/);
		assert.match(commands[2], /^● RUN echo edit > \/etc\/passwd .* 130B █░+$/);
		assert.match(commands[3], /^○ ENV PATH=\/usr\/bin/);
		assert.match(commands[4], /^● ADD file:0123456789abcdef in \/ +6\.15kB █{14}$/);
		const frame = view.frame();
		assert.match(frame, /│ 2 days ago \(\d{4}-\d\d-\d\dT[^)]+\) · [0-9a-f]{12} · no layer/);
		assert.match(frame, /· <missing> · layer 2 [0-9a-f]{12}/);
		assert.match(frame, /│ by Ada <ada@example\.com>/);
		assert.match(frame, /│ buildkit\.dockerfile\.v0/);
		assert.match(frame, /│ tags fixture:latest/);
		assert.match(frame, /⏎ details {2}l layer tree {2}esc back/);
		view.unmount();
	});

	test('enter shows the selected step in full; esc closes it, then goes back', async () => {
		let backs = 0;
		const view = await renderTimeline(store, {width: 50, onBack: () => backs++});
		await press(view, 'j', 'j');
		assert.match(view.frame(), /3\/5/);
		await press(view, '\r');
		const frame = view.frame();
		assert.match(frame, /│ \/bin\/sh -c echo edit > \/etc\/passwd && rm/);
		assert.match(frame, /│ \/etc\/hosts && echo motd > \/etc\/motd/);
		assert.match(frame, /│ image <missing>/);
		assert.match(frame, /│ author Ada <ada@example\.com>/);
		await press(view, '\x1b');
		assert.doesNotMatch(view.frame(), /│ image <missing>/);
		assert.equal(backs, 0);
		await press(view, '\x1b');
		assert.equal(backs, 1);
		view.unmount();
	});

	test('l jumps to the selected step\'s layer; a metadata step says it has none', async () => {
		const jumps: number[] = [];
		const view = await renderTimeline(store, {onJumpToLayer: index => jumps.push(index)});
		await press(view, 'l');
		assert.deepEqual(jumps, []);
		assert.match(view.frame(), /this step added no layer/);
		await press(view, 'j', 'l', 'G', 'l', 'k', 'k', 'l');
		assert.deepEqual(jumps, [2, 0, 1]);
		view.unmount();
	});

	test('keys sent faster than the pane renders all count', async () => {
		const view = await renderTimeline(store);
		for (const key of ['j', 'j', 'j', 'k', 'j', 'j']) view.stdin.write(key);
		await settle();
		assert.match(view.frame(), /5\/5/);
		view.unmount();
	});

	test('a short pane shows a window around the selection', async () => {
		const view = await renderTimeline(store, {height: 8});
		assert.equal(view.frame().split('\n').length, 8);
		assert.match(view.frame(), /○ CMD/);
		await press(view, 'G');
		const frame = view.frame();
		assert.match(frame, /5\/5/);
		assert.match(frame, /● ADD file:0123456789abcdef/);
		assert.doesNotMatch(frame, /○ CMD/);
		await press(view, 'g');
		assert.match(view.frame(), /○ CMD/);
		view.unmount();
	});

	test('an unknown image is an error line, not a crash', async () => {
		const view = render(
			<StoreProvider store={store} watchChanges={false}>
				<HistoryTimeline imageRef="nope" width={80} height={10} focused onBack={() => {}} />
			</StoreProvider>,
		);
		await until(() => plain(view.lastFrame()).includes('history of nope:'));
		assert.match(plain(view.lastFrame()), /history of nope: /);
		view.unmount();
	});
});
