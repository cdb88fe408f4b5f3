import {Box, Text} from 'ink';
import {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import {ConfirmDialog} from '../../components/ConfirmDialog.js';
import {editLine} from '../../components/line-editor.js';
import {SelectableTable} from '../../components/SelectableTable.js';
import {useCommands} from '../../context/keymap-context.js';
import {useNavigation} from '../../context/navigation-context.js';
import {errorText, useStatusReporter} from '../../context/status-context.js';
import {useCatalogChanged} from '../../context/store-context.js';
import {useTheme} from '../../context/theme-context.js';
import {useLatestState} from '../../hooks/use-latest-state.js';
import {movedCursor} from '../../list-navigation.js';
import {EmptyStore} from './EmptyStore.js';
import {
	defaultImageSort,
	filterImageRows,
	type ImageSort,
	type ImageTableRow,
	imageColumns,
	imageTableRows,
	nextImageSort,
	sortImageRows,
} from './image-rows.js';
import {InspectView} from './InspectView.js';
import {removalLines} from './removal-lines.js';
import {checkTagTarget} from './tag-target.js';
import {initialTagText, TagForm, tagFormHeight} from './TagForm.js';
import {useImageActions} from './use-image-actions.js';
import {useImageSummaries} from './use-image-summaries.js';

export type ImagesPaneProps = {
	width: number;
	height: number;
	focused: boolean;
	/** The frame's filter line for this pane (`/`). */
	filter: string;
	onClearFilter: () => void;
};

type View = {kind: 'table'} | {kind: 'inspect'; row: ImageTableRow} | {kind: 'tag'; row: ImageTableRow};

const rowKey = (row: ImageTableRow) => row.key;
const kindMarker = (row: ImageTableRow) => (row.kind === 'dangling' ? '◌' : row.kind === 'intermediate' ? '◇' : ' ');

/** Where the cursor is in `rows`: on its row if that is still there, else at its old place. */
function cursorIndex(cursor: {key?: string; index: number}, rows: readonly ImageTableRow[]): number {
	const found = cursor.key === undefined ? -1 : rows.findIndex(row => row.key === cursor.key);
	return found >= 0 ? found : Math.min(cursor.index, Math.max(0, rows.length - 1));
}

/** The images table with its actions: the pane `strata` opens on. */
export function ImagesPane({width, height, focused, filter, onClearFilter}: ImagesPaneProps) {
	const theme = useTheme();
	const navigation = useNavigation();
	const status = useStatusReporter();
	const reload = useCatalogChanged();
	const {catalog, summaries, sharedKnown, error} = useImageSummaries();
	const actions = useImageActions();
	const [showAll, setShowAll] = useState(false);
	const [sort, setSort] = useState<ImageSort>(defaultImageSort);
	// Cursor and marks are read by the key handler right after a key changed them (a held j, space
	// space): refs hold the latest, state only schedules the render.
	const cursorRef = useRef<{key?: string; index: number}>({index: 0});
	const [cursor, setCursorState] = useState(cursorRef.current);
	const markedRef = useRef<ReadonlySet<string>>(new Set());
	const [marked, setMarkedState] = useState(markedRef.current);
	const setMarked = useCallback((next: ReadonlySet<string>) => {
		markedRef.current = next;
		setMarkedState(next);
	}, []);
	const [view, setView, viewRef] = useLatestState<View>({kind: 'table'});
	const [tagText, setTagText, tagTextRef] = useLatestState('');

	const allRows = useMemo(() => imageTableRows(summaries, {showAll}), [summaries, showAll]);
	const rows = useMemo(() => sortImageRows(filterImageRows(allRows, filter), sort), [allRows, filter, sort]);
	// The cursor follows its row when rows move (sorting, a reload); when the row is gone it stays at its place.
	const index = cursorIndex(cursor, rows);
	const current: ImageTableRow | undefined = rows[index];
	const rowsRef = useRef(rows);
	rowsRef.current = rows;
	// Relative dates are computed per catalog, not per frame: nothing changes on screen while idle.
	const now = useMemo(() => Date.now(), [summaries]);
	const columns = useMemo(() => imageColumns({sharedKnown, now}), [sharedKnown, now]);

	useEffect(() => navigation.setCurrentImage(current?.ref), [navigation, current?.ref]);
	// Marks of rows that no longer exist are dropped.
	useEffect(() => {
		const keys = new Set(allRows.map(rowKey));
		const kept = [...markedRef.current].filter(key => keys.has(key));
		if (kept.length !== markedRef.current.size) setMarked(new Set(kept));
	}, [allRows, setMarked]);

	const moveTo = useCallback((next: number) => {
		cursorRef.current = {key: rowsRef.current[next]?.key, index: next};
		setCursorState(cursorRef.current);
	}, []);
	const bodyHeight = height - 1;
	const tableFocused = focused && view.kind === 'table' && !actions.pending;

	/** The tag form's typing; the pane holds the keyboard while the form is open. */
	const editTag = (row: ImageTableRow, input: string, key: Parameters<typeof editLine>[2]) => {
		const edit = editLine(tagTextRef.current, input, key);
		if (edit.kind === 'change') return setTagText(edit.value);
		if (edit.kind !== 'submit' && edit.kind !== 'cancel') return;
		const check = checkTagTarget(tagTextRef.current, row.summary.record.id, catalog);
		if (edit.kind === 'submit' && !check.ok) return;
		paneKeys.release();
		setView({kind: 'table'});
		if (edit.kind === 'submit' && check.ok) void actions.tag(row.summary.record.id, check.reference);
	};

	const paneKeys = useCommands(
		['images', 'list', 'global'],
		({command, input, key}) => {
			const currentView = viewRef.current;
			if (currentView.kind === 'tag') return editTag(currentView.row, input, key);
			if (currentView.kind !== 'table') return;
			const rows = rowsRef.current;
			const marked = markedRef.current;
			const index = cursorIndex(cursorRef.current, rows);
			const current: ImageTableRow | undefined = rows[index];
			const moved = movedCursor(command, index, rows.length, bodyHeight - 1);
			if (moved !== undefined) return moveTo(moved);
			switch (command) {
				case 'images.showAll':
					setShowAll(value => !value);
					status.report({kind: 'info', text: showAll ? 'Intermediate images hidden' : 'Showing intermediate images (-a)'});
					return;
				case 'images.sort':
					return setSort(nextImageSort);
				case 'images.reverse':
					return setSort(value => ({...value, descending: !value.descending}));
				case 'images.refresh':
					reload();
					return status.report({kind: 'info', text: 'Reloaded'});
				case 'images.pruneDangling':
					return void actions.askPrune(false);
				case 'images.pruneAll':
					return void actions.askPrune(true);
				case 'global.back':
					if (marked.size > 0) return setMarked(new Set());
					if (filter) return onClearFilter();
					return;
			}
			if (!current) return;
			switch (command) {
				case 'list.open':
				case 'images.history':
					return navigation.openHistory(current.ref);
				case 'images.layers':
					return navigation.openLayers(current.ref);
				case 'images.inspect':
					return setView({kind: 'inspect', row: current});
				case 'images.tag':
					setTagText(initialTagText(current.ref));
					setView({kind: 'tag', row: current});
					return paneKeys.grab();
				case 'images.mark': {
					const next = new Set(marked);
					if (next.has(current.key)) next.delete(current.key);
					else next.add(current.key);
					setMarked(next);
					return moveTo(Math.min(rows.length - 1, index + 1));
				}
				case 'images.remove':
				case 'images.forceRemove': {
					const targets = marked.size > 0 ? allRows.filter(row => marked.has(row.key)) : [current];
					const label = targets.length === 1 ? targets[0]!.ref.startsWith('sha256:') ? targets[0]!.ref.slice(7, 19) : targets[0]!.ref : `${targets.length} marked images`;
					return void actions.askRemove(
						targets.map(row => row.ref),
						{force: command === 'images.forceRemove', label},
					);
				}
			}
		},
		{isActive: (tableFocused && summaries.length > 0) || view.kind === 'tag'},
	);

	if (!catalog) {
		return (
			<Box width={width} height={height} paddingX={1}>
				<Text {...(error ? theme.style.error : theme.style.dim)}>{error ? `Cannot read the store: ${errorText(error)}` : 'Reading the store…'}</Text>
			</Box>
		);
	}
	if (catalog.records.size === 0) {
		return (
			<Box width={width} height={height} flexDirection="column">
				<EmptyStore focused={focused} busy={actions.busy} onBuildDemo={() => void actions.demo()} />
			</Box>
		);
	}
	if (view.kind === 'inspect') {
		return <InspectView imageRef={view.row.summary.record.id} title={view.row.ref.startsWith('sha256:') ? view.row.ref.slice(7, 19) : view.row.ref} width={width} height={height} focused={focused} onBack={() => setView({kind: 'table'})} />;
	}

	// Dialogs take the rows they need (up to about half the pane) below the table.
	const confirmLines = actions.pending ? removalLines(actions.pending.plan, catalog, theme) : [];
	const maxConfirmLines = Math.max(2, Math.floor(height / 2) - 4);
	const dialogHeight = view.kind === 'tag' ? tagFormHeight : actions.pending ? Math.min(confirmLines.length, maxConfirmLines) + 4 : 0;
	const tableHeight = Math.max(2, bodyHeight - dialogHeight);
	const images = new Set(rows.map(row => row.summary.record.id)).size;
	const dangling = allRows.filter(row => row.kind === 'dangling').length;
	const intermediate = summaries.filter(summary => summary.intermediate).length;

	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text wrap="truncate">
				<Text {...theme.style.accent} bold>
					Images
				</Text>
				<Text>
					{'  '}
					{images} image{images === 1 ? '' : 's'}, {rows.length} row{rows.length === 1 ? '' : 's'}
				</Text>
				{dangling > 0 ? <Text {...theme.style.warning}> · ◌ {dangling} dangling</Text> : null}
				{intermediate > 0 ? <Text {...theme.style.dim}> · ◇ {intermediate} {showAll ? 'intermediate' : 'hidden (a)'}</Text> : null}
				{filter ? <Text {...theme.style.accent}> · /{filter}</Text> : null}
				{marked.size > 0 ? <Text {...theme.style.marked}> · ● {marked.size} marked</Text> : null}
			</Text>
			{rows.length === 0 ? (
				<Box height={tableHeight} paddingX={1}>
					<Text {...theme.style.dim}>{filter ? `No image matches “${filter}” (esc clears the filter)` : 'No images to show (a shows intermediate images)'}</Text>
				</Box>
			) : (
				<SelectableTable
					columns={columns}
					rows={rows}
					rowKey={rowKey}
					cursor={index}
					width={width}
					height={tableHeight}
					focused={focused}
					marked={marked}
					marker={kindMarker}
					rowStyle={row => (row.kind === 'dangling' ? theme.style.warning : row.kind === 'intermediate' ? theme.style.dim : undefined)}
					sort={{column: sort.column, descending: sort.descending}}
				/>
			)}
			{view.kind === 'tag' ? (
				<TagForm source={view.row.ref} imageId={view.row.summary.record.id} value={tagText} check={checkTagTarget(tagText, view.row.summary.record.id, catalog)} width={width} />
			) : null}
			{actions.pending ? (
				<ConfirmDialog
					title={actions.pending.title}
					lines={confirmLines}
					confirmLabel={actions.pending.confirmLabel}
					onConfirm={actions.pending.plan.records.length > 0 ? actions.confirmPending : undefined}
					onCancel={actions.cancelPending}
					width={width}
					maxLines={maxConfirmLines}
					tone={actions.pending.plan.errors.length > 0 && actions.pending.plan.records.length === 0 ? 'error' : 'warning'}
				/>
			) : null}
		</Box>
	);
}
