// What each key does in the layer view, as a pure step from one state to the next. The pane keeps the
// state in a ref and applies keys to the newest state at once, so keys typed faster than Ink re-renders
// (a held `j`, a typed filter) are never applied to a stale one.
import {displayKey} from '../../components/Dialog.js';
import {keyFor} from '../../context/keymap-context.js';
import {commandFor, defaultKeymap, type KeyBinding} from '../../keymap.js';
import {movedCursor} from '../../list-navigation.js';
import {isFiltering, type TreeQuery, type TreeSource} from './layer-tree-source.js';
import {scrollTop} from './scroll-window.js';
import {allCollapsed, allExpanded, rowIndexOf, withExpanded, type TreeRow} from './tree-rows.js';

export type TreeFocus = 'layers' | 'tree';

export type LayerTreeState = TreeQuery & {
	focus: TreeFocus;
	/** First layer the list showed; the view moves it only as far as the selection needs. */
	listTop: number;
	/** Keys go to the filter text (`/` until enter or esc). */
	editingFilter: boolean;
	/** The tree cursor by path, so it stays on its file when rows open, close or re-sort... */
	cursorPath?: string;
	/** ...and by index, for when that path is no longer a row. */
	cursorIndex: number;
	treeTop: number;
	/** A one-off message for the hint line, cleared by the next key. */
	notice: string;
};

/** Rows on screen for the layer list and the tree. */
export type LayerTreeRoom = {listHeight: number; treeHeight: number};

/** A key as the pane sees it: its normalized name (see `normalizeKey`) and, when printable, its text. */
export type PaneKey = {name: string; text?: string};

export type LayerTreeOutcome = {state: LayerTreeState; back?: boolean};

/** The state's positions made consistent with the rows and the room: what the view draws. */
export type LayerTreeView = {layer: number; listTop: number; rows: readonly TreeRow[]; cursor: number; treeTop: number};

export function initialLayerTreeState(initialLayer?: number): LayerTreeState {
	return {
		// Opened on a layer (from the history), the files are what the user came for.
		focus: initialLayer === undefined ? 'layers' : 'tree',
		layer: initialLayer ?? 0,
		listTop: 0,
		wholeImage: false,
		onlyChanged: false,
		sort: 'name',
		// dive opens everything; the view only ever draws a window of the rows, so that costs nothing.
		expansion: allExpanded,
		filterExpansion: allExpanded,
		filter: '',
		editingFilter: false,
		cursorIndex: 0,
		treeTop: 0,
		notice: '',
	};
}

export function layerTreeView(state: LayerTreeState, source: TreeSource, room: LayerTreeRoom): LayerTreeView {
	const layer = Math.min(Math.max(state.layer, 0), Math.max(source.layerCount - 1, 0));
	const rows = source.rowsFor(state);
	const cursor = rowIndexOf(rows, state.cursorPath, state.cursorIndex);
	return {
		layer,
		listTop: scrollTop(state.listTop, layer, layer + 1, room.listHeight, source.layerCount),
		rows,
		cursor,
		treeTop: scrollTop(state.treeTop, cursor, cursor + 1, room.treeHeight, rows.length),
	};
}

function withTreeCursor(state: LayerTreeState, view: LayerTreeView, next: number, room: LayerTreeRoom): LayerTreeState {
	const row = view.rows[next];
	if (!row) return state;
	return {...state, cursorPath: row.node.path, cursorIndex: next, treeTop: scrollTop(view.treeTop, next, next + 1, room.treeHeight, view.rows.length)};
}

function withExpansion(state: LayerTreeState, update: (expansion: TreeQuery['expansion']) => TreeQuery['expansion']): LayerTreeState {
	return isFiltering(state) ? {...state, filterExpansion: update(state.filterExpansion)} : {...state, expansion: update(state.expansion)};
}

function toggleDirectory(state: LayerTreeState, view: LayerTreeView, open?: boolean): LayerTreeState {
	const row = view.rows[view.cursor];
	if (!row?.hasChildren) return state;
	return withExpansion(state, expansion => withExpanded(expansion, row.node.path, open));
}

function filterKey(state: LayerTreeState, key: PaneKey, view: LayerTreeView, room: LayerTreeRoom, keymap: KeyBinding[]): LayerTreeState {
	switch (key.name) {
		case 'enter':
			return {...state, editingFilter: false};
		case 'escape':
			return {...state, filter: '', editingFilter: false};
		case 'backspace':
		case 'delete':
			return {...state, filter: Array.from(state.filter).slice(0, -1).join('')};
		// Arrows move through the matches while typing; letters are text.
		case 'up':
		case 'down':
		case 'pageup':
		case 'pagedown': {
			const next = movedCursor(commandFor(keymap, ['list'], key.name), view.cursor, view.rows.length, room.treeHeight);
			return next === undefined ? state : withTreeCursor(state, view, next, room);
		}
	}
	if (key.text === undefined) return state;
	const filter = state.filter + key.text;
	// A new filter opens every directory with a match; refining it keeps what the user closed since.
	const filterExpansion = isFiltering(state) ? state.filterExpansion : allExpanded;
	return {...state, filter, filterExpansion};
}

/** Applies one key. `back` asks the pane to close (esc with nothing left to clear). */
export function layerTreeKey(
	state: LayerTreeState,
	key: PaneKey,
	source: TreeSource,
	room: LayerTreeRoom,
	keymap: KeyBinding[] = defaultKeymap,
): LayerTreeOutcome {
	const view = layerTreeView(state, source, room);
	if (state.editingFilter) return {state: filterKey({...state, notice: ''}, key, view, room, keymap)};
	const command = commandFor(keymap, ['layers', 'list', 'global'], key.name);
	if (command === undefined) return {state};
	const current = state.notice === '' ? state : {...state, notice: ''};

	if (current.focus === 'layers') {
		const layer = movedCursor(command, view.layer, source.layerCount, room.listHeight);
		if (layer !== undefined) return {state: {...current, layer, listTop: scrollTop(view.listTop, layer, layer + 1, room.listHeight, source.layerCount)}};
	} else {
		const next = movedCursor(command, view.cursor, view.rows.length, room.treeHeight);
		if (next !== undefined) return {state: withTreeCursor(current, view, next, room)};
	}

	switch (command) {
		case 'global.back':
			if (current.filter !== '') return {state: {...current, filter: ''}};
			return {state: current, back: true};
		case 'global.filter':
			return {state: {...current, editingFilter: true, focus: 'tree'}};
		case 'layers.switchFocus':
			return {state: {...current, focus: current.focus === 'layers' ? 'tree' : 'layers'}};
		case 'list.open':
		case 'layers.toggleDirectory':
			return {state: current.focus === 'layers' ? {...current, focus: 'tree'} : toggleDirectory(current, view)};
		case 'layers.expand': {
			if (current.focus === 'layers') return {state: {...current, focus: 'tree'}};
			// On an open directory, `l` steps into it, as in a file manager.
			if (view.rows[view.cursor]?.expanded) return {state: withTreeCursor(current, view, view.cursor + 1, room)};
			return {state: toggleDirectory(current, view, true)};
		}
		case 'layers.collapse': {
			const row = view.rows[view.cursor];
			if (current.focus === 'layers' || !row) return {state: current};
			if (row.expanded) return {state: toggleDirectory(current, view, false)};
			if (row.parentRow >= 0) return {state: withTreeCursor(current, view, row.parentRow, room)};
			return {state: current};
		}
		case 'layers.collapseAll': {
			const path = view.rows[view.cursor]?.node.path;
			// The cursor's row closes away with its parents: it moves to the top-level directory that held it.
			const top = path === undefined ? undefined : path.split('/')[0];
			return {state: {...withExpansion(current, () => allCollapsed), cursorPath: top, cursorIndex: 0, treeTop: 0}};
		}
		case 'layers.expandAll':
			return {state: withExpansion(current, () => allExpanded)};
		case 'layers.toggleWholeImage':
			return {state: {...current, wholeImage: !current.wholeImage}};
		case 'layers.toggleOnlyChanged': {
			const next = {...current, onlyChanged: !current.onlyChanged};
			if (!current.wholeImage) next.notice = `hiding unchanged files applies to the whole-image view (${displayKey(keyFor(keymap, 'layers.toggleWholeImage') ?? '?')})`;
			return {state: next};
		}
		case 'layers.toggleSort':
			return {state: {...current, sort: current.sort === 'name' ? 'size' : 'name'}};
	}
	return {state: current};
}
