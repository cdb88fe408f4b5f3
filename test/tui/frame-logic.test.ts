import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {layoutColumns, type TableColumn} from '../../source/tui/components/table-layout.js';
import {splitWords} from '../../source/tui/command-line/split-words.js';
import {helpSections} from '../../source/tui/help-sections.js';
import {commandFor, defaultKeymap} from '../../source/tui/keymap.js';
import {movedCursor, windowOffset} from '../../source/tui/list-navigation.js';
import {initialNavigation, navigationReducer} from '../../source/tui/navigation-state.js';
import {fit, fitStart, wrapLines} from '../../source/tui/text/fit.js';
import {isColor, monochromeTheme, resolveTheme} from '../../source/tui/theme.js';
import {keymapFromSettings} from '../../source/tui/tui-settings.js';

describe('list navigation', () => {
	test('moves within bounds for every list command', () => {
		assert.equal(movedCursor('list.down', 0, 10, 5), 1);
		assert.equal(movedCursor('list.down', 9, 10, 5), 9);
		assert.equal(movedCursor('list.up', 0, 10, 5), 0);
		assert.equal(movedCursor('list.bottom', 0, 10, 5), 9);
		assert.equal(movedCursor('list.top', 7, 10, 5), 0);
		assert.equal(movedCursor('list.pageDown', 0, 10, 5), 4);
		assert.equal(movedCursor('list.pageUp', 9, 10, 5), 5);
		assert.equal(movedCursor('images.remove', 3, 10, 5), undefined);
		assert.equal(movedCursor('list.down', 0, 0, 5), undefined);
	});

	test('the window scrolls only when the cursor would leave it', () => {
		assert.equal(windowOffset(0, 100, 10, 0), 0);
		assert.equal(windowOffset(9, 100, 10, 0), 0);
		assert.equal(windowOffset(10, 100, 10, 0), 1);
		assert.equal(windowOffset(5, 100, 10, 3), 3);
		assert.equal(windowOffset(2, 100, 10, 3), 2);
		assert.equal(windowOffset(99, 100, 10, 0), 90);
		assert.equal(windowOffset(3, 5, 10, 2), 0, 'a list shorter than the window never scrolls');
	});
});

describe('text fitting', () => {
	test('cuts with an ellipsis and pads to the exact width', () => {
		assert.equal(fit('busybox', 10), 'busybox   ');
		assert.equal(fit('busybox', 10, 'right'), '   busybox');
		assert.equal(fit('strata-demo/web', 8), 'strata-…');
		assert.equal(fit('日本語のタグ', 5).length <= 5, true);
		assert.equal(fitStart('/home/user/.local/share/strata', 12), '…hare/strata');
		assert.deepEqual(wrapLines(['abcdefghij'], 4, 1), ['abcd', ' efg', ' hij']);
	});
});

describe('table layout', () => {
	type Row = {a: string; b: string; c: string};
	const columns: TableColumn<Row>[] = [
		{id: 'a', title: 'A', cell: row => row.a, grow: 1, minWidth: 4},
		{id: 'b', title: 'BBB', cell: row => row.b},
		{id: 'c', title: 'C', cell: row => row.c, hidePriority: 1},
	];
	const rows = [{a: 'a long repository name', b: 'x', c: 'ccccc'}];

	test('fixed columns fit their content, growing ones share the rest', () => {
		const layout = layoutColumns(columns, rows, 40);
		assert.deepEqual(layout.map(item => [item.column.id, item.width]), [['a', 22], ['b', 3], ['c', 5]]);
		const narrow = layoutColumns(columns, rows, 20);
		assert.deepEqual(narrow.map(item => [item.column.id, item.width]), [['a', 10], ['b', 3], ['c', 5]]);
	});

	test('hides columns by priority when even the minimum does not fit', () => {
		const layout = layoutColumns(columns, rows, 10);
		assert.deepEqual(layout.map(item => item.column.id), ['a', 'b']);
	});
});

describe('command line words', () => {
	test('splits like a shell for quotes and escapes', () => {
		assert.deepEqual(splitWords('rmi busybox:latest'), ['rmi', 'busybox:latest']);
		assert.deepEqual(splitWords(`import dir 'a b' -c "CMD [\\"sh\\"]"`), ['import', 'dir', 'a b', '-c', 'CMD ["sh"]']);
		assert.deepEqual(splitWords('  tag  a\\ b  c '), ['tag', 'a b', 'c']);
		assert.deepEqual(splitWords(`x ''`), ['x', '']);
		assert.throws(() => splitWords('tag "a'), /unterminated/);
	});
});

describe('keymap and settings', () => {
	test('user overrides rebind commands, and bad ones are refused with a clear message', () => {
		const keymap = keymapFromSettings({'images.remove': ['x'], 'global.quit': 'ctrl-q'});
		assert.equal(commandFor(keymap, ['images'], 'x'), 'images.remove');
		assert.equal(commandFor(keymap, ['images'], 'd'), undefined);
		assert.equal(commandFor(keymap, ['global'], 'ctrl-q'), 'global.quit');
		assert.equal(keymapFromSettings(undefined), defaultKeymap);
		assert.throws(() => keymapFromSettings({'images.explode': ['x']}), /unknown command "images\.explode"/);
		assert.throws(() => keymapFromSettings({'images.remove': ['banana']}), /keybindings\.images\.remove: "banana" is not a key/);
		assert.throws(() => keymapFromSettings({'images.remove': 3}), /expected a key or a list of keys/);
		assert.throws(() => keymapFromSettings(['x']), /expected an object/);
	});

	test('themes: colours by role, overrides checked, monochrome for NO_COLOR and "mono"', () => {
		assert.equal(resolveTheme({}, {}).colors.accent, 'cyan');
		assert.equal(resolveTheme({colors: {accent: '#ff00ff'}}, {}).style.accent.color, '#ff00ff');
		assert.equal(resolveTheme({}, {NO_COLOR: '1'}), monochromeTheme);
		assert.equal(resolveTheme({theme: 'mono'}, {}), monochromeTheme);
		assert.deepEqual(monochromeTheme.style.selected, {inverse: true});
		assert.throws(() => resolveTheme({theme: 'neon'}, {}), /theme: "neon" is not a theme/);
		assert.throws(() => resolveTheme({colors: {accent: 'chartreuse'}}, {}), /colors\.accent: "chartreuse" is not a colour/);
		assert.throws(() => resolveTheme({colors: {sparkle: 'red'}}, {}), /unknown role "sparkle"/);
		assert.ok(isColor('redBright') && isColor('#abc') && isColor('ansi256(208)') && isColor('rgb(1, 2, 3)'));
		assert.ok(!isColor('rgb(300,0,0)') && !isColor('#abcd'));
	});

	test('help lists the pane keys first, then lists, the frame and dialogs, from the keymap', () => {
		const sections = helpSections(defaultKeymap, 'images', {listKeys: true});
		assert.deepEqual(sections.map(section => section.title).slice(0, 3), ['Images', 'Lists', 'Everywhere']);
		assert.ok(sections[0]!.bindings.some(binding => binding.command === 'images.remove'));
		const rebound = keymapFromSettings({'images.remove': ['x']});
		const remove = helpSections(rebound, 'images', {listKeys: true})[0]!.bindings.find(binding => binding.command === 'images.remove')!;
		assert.deepEqual(remove.keys, ['x']);
	});
});

describe('frame navigation', () => {
	test('opening from a pane remembers it for esc; tab and numbers jump', () => {
		let state = navigationReducer(initialNavigation, {type: 'openHistory', ref: 'web:1.0'});
		assert.equal(state.active, 'history');
		state = navigationReducer(state, {type: 'openLayers', ref: 'web:1.0', initialLayer: 2});
		assert.deepEqual([state.active, state.layers?.initialLayer, state.trail], ['layers', 2, ['images', 'history']]);
		state = navigationReducer(state, {type: 'back'});
		assert.equal(state.active, 'history');
		state = navigationReducer(state, {type: 'back'});
		assert.equal(state.active, 'images');
		state = navigationReducer(state, {type: 'focus', pane: 'layers', currentImage: 'base:1.0'});
		assert.deepEqual([state.active, state.layers?.ref], ['layers', 'base:1.0']);
		assert.deepEqual(state.visited.sort(), ['history', 'images', 'layers']);
		state = navigationReducer(state, {type: 'back'});
		assert.equal(state.active, 'images');
	});
});
