// @jsxRuntime automatic
// Colours are decided when chalk loads: force them on before Ink is imported, so that the codes the
// themes produce can be checked (a test's stdout is no terminal, which would turn them all off).
import assert from 'node:assert/strict';
import {before, describe, test} from 'node:test';
import type {Store} from '../../source/engine/store/store.js';
import {demoStore, plain, waitFor} from './demo-store-fixture.js';

process.env.FORCE_COLOR = '1';
const {render} = await import('ink-testing-library');
const {App} = await import('../../source/tui/App.js');
const {colorTheme, monochromeTheme} = await import('../../source/tui/theme.js');

describe('themes', () => {
	let store: Store;
	before(async () => {
		store = await demoStore();
	});

	test('the default theme colours the cursor row, the accent and dangling rows', async () => {
		const view = render(<App version="1" store={store} watchStore={false} theme={colorTheme({selected: 'magenta'})} />);
		await waitFor(view.lastFrame, frame => frame.includes('REPOSITORY'));
		const raw = view.lastFrame() ?? '';
		assert.match(raw, /\x1b\[45m/, 'the cursor row on the configured magenta background');
		assert.match(raw, /\x1b\[36m/, 'cyan accents');
		assert.match(raw, /\x1b\[33m[^\n]*<none>/, 'the dangling row in the warning colour');
		view.unmount();
	});

	test('the monochrome theme (NO_COLOR) draws with attributes only', async () => {
		const view = render(<App version="1" store={store} watchStore={false} theme={monochromeTheme} />);
		await waitFor(view.lastFrame, frame => frame.includes('REPOSITORY'));
		const raw = view.lastFrame() ?? '';
		assert.doesNotMatch(raw, /\x1b\[(3[0-7]|9[0-7]|4[0-7]|10[0-7]|38;|48;)/, 'no foreground or background colour');
		assert.match(raw, /\x1b\[7m/, 'the cursor row in inverse video');
		assert.match(plain(raw), /strata-demo\/tools/);
		view.unmount();
	});
});
