// @jsxRuntime automatic
// The build pane driven by keys, on a scripted build (an Operation emitting the engine's build events on
// cue, and honouring the AbortSignal as buildImage does): the form, live steps, a 5,000-line step that
// the pane shows the tail of and still answers keys, search, cancel, failure, and landing on history.
import assert from 'node:assert/strict';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import {render} from 'ink-testing-library';
import type {BuildEvent} from '../../source/engine/builder/build-events.js';
import {StrataError} from '../../source/engine/errors.js';
import {App} from '../../source/tui/App.js';
import {tempDir} from '../support/tmp.js';
import {imageId, keys, plan, press, renderBuildPane, ScriptedBuild, type View} from './build-pane-support.js';
import {emptyStore, plain, waitFor} from './demo-store-fixture.js';

describe('the build pane', () => {
	const dir = tempDir('strata-build-pane');
	mkdirSync(join(dir, 'app'));
	mkdirSync(join(dir, 'apple'));
	writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM busybox\n');
	const views: View[] = [];
	after(() => {
		for (const view of views) view.unmount();
	});

	async function open(build: ScriptedBuild): Promise<{view: View; opened: string[]}> {
		const opened = await renderBuildPane(build, dir);
		views.push(opened.view);
		return opened;
	}

	/** Fills the form: context `app` by Tab completion, the tags, and starts the build. */
	async function startBuild(view: View, tags: string) {
		await press(view, keys.ctrlU, 'ap', keys.tab);
		await waitFor(view.lastFrame, frame => frame.includes('app/  apple/'));
		await press(view, '/');
		await waitFor(view.lastFrame, frame => frame.includes('› Context     app/'));
		await waitFor(view.lastFrame, frame => frame.includes(`✓ ${join(dir, 'app', 'Dockerfile')}`));
		await press(view, keys.down, keys.down, 'Bad:1');
		await waitFor(view.lastFrame, frame => frame.includes('✗ Bad:1: invalid reference format'));
		await press(view, keys.ctrlU, tags);
		await waitFor(view.lastFrame, frame => frame.includes('✓ new tag'));
		await press(view, keys.enter);
		await waitFor(view.lastFrame, frame => frame.includes('running'));
	}

	test('form → live steps → 5,000 lines: the tail shows, keys still answer, search finds → history', async () => {
		const build = new ScriptedBuild();
		const {view, opened} = await open(build);
		// q is text in the form: the field holds the keyboard.
		await press(view, 'q');
		await waitFor(view.lastFrame, frame => frame.includes('› Context') && frame.includes(`${dir}q`));
		await startBuild(view, 'built:1 built:latest');
		assert.deepEqual(build.options?.tags, ['built:1', 'built:latest']);
		assert.equal(build.options?.contextDir, join(dir, 'app'));

		build.release([plan, {type: 'step-started', step: 1, at: 0}, {type: 'step-done', step: 1, imageId, durationMs: 3, layerSize: 0}, {type: 'step-started', step: 2, at: 0}, {type: 'step-container', step: 2, containerId: 'c'.repeat(64)}]);
		let frame = await waitFor(view.lastFrame, text => /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 2\/3 RUN seq 1 5000/.test(text));
		assert.match(frame, /✓ 1\/3 FROM busybox +\d\.\ds no layer/);
		assert.match(frame, /· 3\/3 COPY hello\.txt \//);

		// 5,000 lines in one burst: they arrive, the view follows the tail, drawn in a few frames (batched), not one per line.
		const framesBefore = view.frames.length;
		build.release(Array.from({length: 5000}, (_, index): BuildEvent => ({type: 'step-output', step: 2, stream: 'stdout', line: `line ${index + 1}`})));
		frame = await waitFor(view.lastFrame, text => text.includes('Step 2  5000 lines · following') && text.includes('line 5000'));
		const framesDrawn = view.frames.length - framesBefore;
		assert.ok(framesDrawn < 500, `${framesDrawn} frames for 5,000 lines`);
		// Keys still answer while it runs: Tab to the output, scroll up (paused), search, jump.
		await press(view, keys.tab, 'k');
		frame = await waitFor(view.lastFrame, text => text.includes('paused (F)'));
		assert.ok(!frame.includes('line 5000'), 'scrolled up one line');
		await press(view, '/', 'line 4999', keys.enter);
		frame = await waitFor(view.lastFrame, text => text.includes('/line 4999 (1 match)'));
		await press(view, 'G');
		await waitFor(view.lastFrame, text => text.includes('following') && text.includes('line 5000'));

		build.release([{type: 'step-done', step: 2, imageId, durationMs: 1200, layerSize: 4096}, {type: 'step-started', step: 3, at: 0}, {type: 'step-done', step: 3, imageId, durationMs: 5, layerSize: 120}]);
		await waitFor(view.lastFrame, text => /✓ 2\/3 RUN seq 1 5000 +\d+\.\ds 4\.1kB/.test(text) && /✓ 3\/3 COPY/.test(text));
		build.finish();
		frame = await waitFor(view.lastFrame, text => text.includes('built abababababab'));
		assert.match(frame, /Built built:1, built:latest \(abababababab\)/);
		assert.deepEqual(opened, ['built:1'], 'lands on the history of the first tag');
	});

	test('cancel asks first, then aborts the build: the pane says cancelled', async () => {
		const build = new ScriptedBuild();
		const {view} = await open(build);
		await startBuild(view, 'never:1');
		build.release([plan, {type: 'step-started', step: 1, at: 0}, {type: 'step-done', step: 1, imageId, durationMs: 3, layerSize: 0}, {type: 'step-started', step: 2, at: 0}]);
		await waitFor(view.lastFrame, text => /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 2\/3/.test(text));
		await press(view, 'x');
		await waitFor(view.lastFrame, text => text.includes('Cancel the build?'));
		await press(view, 'n');
		await waitFor(view.lastFrame, text => !text.includes('Cancel the build?'));
		assert.equal(build.options?.signal.aborted, false, 'n keeps it running');
		await press(view, 'x');
		await waitFor(view.lastFrame, text => text.includes('Cancel the build?'));
		await press(view, 'y');
		const frame = await waitFor(view.lastFrame, text => text.includes('cancelled: nothing was tagged') && text.includes('Build cancelled'));
		assert.equal(build.options?.signal.aborted, true);
		assert.match(frame, /Build cancelled: nothing was tagged/);
		assert.doesNotMatch(frame, /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \d/, 'no step spins');
	});

	test('a failure selects the failed step, shows its output, and the error in the status line; b edits the form again', async () => {
		const build = new ScriptedBuild();
		const {view, opened} = await open(build);
		await startBuild(view, 'broken:1');
		build.release([plan, {type: 'step-started', step: 1, at: 0}, {type: 'step-done', step: 1, imageId, durationMs: 3, layerSize: 0}, {type: 'step-started', step: 2, at: 0}, {type: 'step-output', step: 2, stream: 'stderr', line: 'seq: bad argument'}, {type: 'step-failed', step: 2, message: 'exit code 1', exitCode: 1}]);
		build.fail(new StrataError("The command '/bin/sh -c seq 1 5000' returned a non-zero code: 1"));
		const frame = await waitFor(view.lastFrame, text => text.includes('failed') && text.includes('✗ The command'));
		assert.match(frame, /✗ 2\/3 RUN seq 1 5000 +exit 1/);
		assert.match(frame, /Step 2  /);
		assert.match(frame, /seq: bad argument/);
		assert.match(frame, /✗ The command '\/bin\/sh -c seq 1 5000' returned a non-zero code: 1/);
		assert.deepEqual(opened, []);
		await press(view, 'b');
		await waitFor(view.lastFrame, text => text.includes('Build an image') && text.includes('broken:1'));
		// Esc from the form goes back to the last build.
		await press(view, keys.escape);
		await waitFor(view.lastFrame, text => text.includes('Step 2  '));
	});
});

describe('the build pane in the frame', () => {
	test('5 opens it; the text fields hold the keyboard; ? on the No cache field lists the Build keys', async () => {
		const store = await emptyStore();
		const rendered = render(<App version="1" store={store} watchStore={false} />);
		const view = {...rendered, frame: () => plain(rendered.lastFrame())};
		try {
			await waitFor(view.lastFrame, frame => frame.includes('5 Build'));
			await press(view, '5');
			await waitFor(view.lastFrame, frame => frame.includes('Build an image'));
			// q and 1 are text in the context field: no quit, no pane switch.
			await press(view, 'q1');
			await waitFor(view.lastFrame, frame => /› Context +\S*q1/.test(frame));
			await press(view, keys.up);
			await waitFor(view.lastFrame, frame => frame.includes('› No cache'));
			await press(view, ' ');
			await waitFor(view.lastFrame, frame => frame.includes('[x] rebuild every step'));
			await press(view, '?');
			const help = await waitFor(view.lastFrame, frame => frame.includes('cancel the running build'));
			for (const text of ['form: start the build', 'switch between the step list and the output', 'output: search']) assert.ok(help.includes(text), text);
			await press(view, keys.escape);
			await waitFor(view.lastFrame, frame => frame.includes('Build an image') && frame.includes('[x] rebuild every step'));
		} finally {
			view.unmount();
		}
	});
});
