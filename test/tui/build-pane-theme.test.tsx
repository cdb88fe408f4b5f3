// @jsxRuntime automatic
// The build pane under NO_COLOR (the monochrome theme): a failed build (red and green in colour) is drawn
// with attributes only, the shown step in inverse video. Colours are forced on before Ink loads, so that
// a colour code would show (a test's stdout is no terminal).
import assert from 'node:assert/strict';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {tempDir} from '../support/tmp.js';
import {plain, waitFor} from './demo-store-fixture.js';

process.env.FORCE_COLOR = '1';
const {imageId, plan, renderBuildPane, ScriptedBuild, press, keys} = await import('./build-pane-support.js');
const {monochromeTheme} = await import('../../source/tui/theme.js');

describe('the build pane without colour', () => {
	test('a failed build: symbols and attributes, no colour codes', async () => {
		const dir = tempDir('strata-build-mono');
		mkdirSync(join(dir, 'app'));
		writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM busybox\n');
		const build = new ScriptedBuild();
		const {view} = await renderBuildPane(build, dir, monochromeTheme);
		try {
			await press(view, keys.ctrlU, join(dir, 'app'), keys.enter);
			await waitFor(view.lastFrame, frame => frame.includes('running'));
			build.release([plan, {type: 'step-started', step: 1, at: 0}, {type: 'step-done', step: 1, imageId, durationMs: 3, layerSize: 0}, {type: 'step-started', step: 2, at: 0}, {type: 'step-output', step: 2, stream: 'stderr', line: 'no such file'}, {type: 'step-failed', step: 2, message: 'exit code 1', exitCode: 1}]);
			build.fail(new Error('the RUN step failed'));
			await waitFor(view.lastFrame, frame => frame.includes('failed'));
			const raw = view.lastFrame() ?? '';
			assert.doesNotMatch(raw, /\x1b\[(3[0-7]|9[0-7]|4[0-7]|10[0-7]|38;|48;)/, 'no foreground or background colour');
			assert.match(raw, /\x1b\[7m[^\n]*2\/3 (\x1b\[\d+m)*RUN seq 1 5000/, 'the shown step in inverse video');
			assert.match(plain(raw), /✓ 1\/3 FROM busybox[^\n]*\n✗ 2\/3 RUN seq 1 5000 +exit 1/);
			assert.match(plain(raw), /no such file/);
		} finally {
			view.unmount();
		}
	});
});
