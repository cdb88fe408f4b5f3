import {Box, Text} from 'ink';
import {useCallback, useRef, useState} from 'react';
import type {Container} from '../../../engine/containers/container-store.js';
import {readContainer} from '../../../engine/containers/container-store.js';
import {containerDiff} from '../../../engine/containers/diff.js';
import {inspectContainer} from '../../../engine/containers/inspect.js';
import {removeContainer} from '../../../engine/containers/remove.js';
import {startContainer} from '../../../engine/containers/start.js';
import {killContainer, stopContainer} from '../../../engine/containers/stop.js';
import {isActive} from '../../../engine/containers/wait.js';
import {ConfirmDialog} from '../../components/ConfirmDialog.js';
import {SelectableTable} from '../../components/SelectableTable.js';
import type {StyledLine} from '../../components/ScrollView.js';
import {useCommands} from '../../context/keymap-context.js';
import {useNavigation} from '../../context/navigation-context.js';
import {errorText, useStatusReporter} from '../../context/status-context.js';
import {useStore} from '../../context/store-context.js';
import {useTheme} from '../../context/theme-context.js';
import {useLatestState} from '../../hooks/use-latest-state.js';
import {movedCursor} from '../../list-navigation.js';
import {CommitWizard} from '../../wizard/CommitWizard.js';
import {type ContainerRow, containerColumns} from './container-rows.js';
import {LogViewer} from './LogViewer.js';
import {TextView} from './TextView.js';
import {runInTerminal, strataCommand} from '../../terminal-handoff.js';
import {useContainers} from './use-containers.js';

export type ContainersPaneProps = {
	width: number;
	height: number;
	/** Has the keyboard (the frame's active pane, no overlay). */
	focused: boolean;
	/** Shown: the table is re-read every second only then. */
	visible: boolean;
};

type View = {kind: 'table'} | {kind: 'logs' | 'diff' | 'inspect' | 'commit'; container: Container};
type Pending = {title: string; lines: StyledLine[]; confirmLabel: string; run: () => Promise<string>};

const rowKey = (row: ContainerRow) => row.id;
const stateMarker = (row: ContainerRow) => (row.state === 'running' ? '▶' : row.state === 'paused' ? '‖' : row.state === 'dead' ? '✗' : ' ');

/** `ps -a` as a live table, with start/stop/restart/kill/remove, logs, diff, inspect and the commit wizard. */
export function ContainersPane({width, height, focused, visible}: ContainersPaneProps) {
	const theme = useTheme();
	const store = useStore();
	const status = useStatusReporter();
	const navigation = useNavigation();
	const {rows, error, refresh} = useContainers(visible);
	const [view, setView, viewRef] = useLatestState<View>({kind: 'table'});
	const [pending, setPending] = useState<Pending | undefined>(undefined);
	const cursorRef = useRef<{id?: string; index: number}>({index: 0});
	const [cursor, setCursorState] = useState(cursorRef.current);
	const rowsRef = useRef(rows ?? []);
	rowsRef.current = rows ?? [];
	const found = cursor.id === undefined ? -1 : (rows ?? []).findIndex(row => row.id === cursor.id);
	const index = found >= 0 ? found : Math.min(cursor.index, Math.max(0, (rows?.length ?? 0) - 1));

	const moveTo = useCallback((next: number) => {
		cursorRef.current = {id: rowsRef.current[next]?.id, index: next};
		setCursorState(cursorRef.current);
	}, []);

	/** Runs an action on a container, reporting on the status line, then re-reads the table. */
	const act = useCallback(
		async (busy: string, work: () => Promise<string>) => {
			status.report({kind: 'busy', text: busy});
			try {
				status.report({kind: 'success', text: await work()});
			} catch (error_) {
				status.fail(error_);
			}
			refresh();
		},
		[status, refresh],
	);

	const ask = (title: string, lines: string[], confirmLabel: string, run: () => Promise<string>) => setPending({title, lines: lines.map(text => ({text})), confirmLabel, run});

	const tableHeight = Math.max(2, height - 2 - (pending ? Math.min(pending.lines.length, 4) + 4 : 0));
	const tableFocused = focused && view.kind === 'table' && !pending;

	useCommands(
		['containers', 'list', 'global'],
		({command}) => {
			if (viewRef.current.kind !== 'table') return;
			const all = rowsRef.current;
			const at = (() => {
				const byId = cursorRef.current.id === undefined ? -1 : all.findIndex(row => row.id === cursorRef.current.id);
				return byId >= 0 ? byId : Math.min(cursorRef.current.index, Math.max(0, all.length - 1));
			})();
			const moved = movedCursor(command, at, all.length, tableHeight - 1);
			if (moved !== undefined) return moveTo(moved);
			if (command === 'containers.refresh') {
				refresh();
				return status.report({kind: 'info', text: 'Reloaded'});
			}
			if (command === 'global.back') return navigation.back();
			const row = all[at];
			if (!row) return;
			const {name, id} = row.container.record;
			const running = isActive(row.container.state);
			switch (command) {
				case 'list.open':
				case 'containers.logs':
					return setView({kind: 'logs', container: row.container});
				case 'containers.diff':
					return setView({kind: 'diff', container: row.container});
				case 'containers.inspect':
					return setView({kind: 'inspect', container: row.container});
				case 'containers.commit':
					return setView({kind: 'commit', container: row.container});
				case 'containers.exec': {
					if (!running) return status.report({kind: 'info', text: `${name} is not running (${row.state}): start it first`});
					const [node, prefix] = strataCommand(store.root);
					const {code, error: failure} = runInTerminal(node, [...prefix, 'exec', '-it', id, 'sh']);
					if (failure) return status.report({kind: 'error', text: `exec in ${name}: ${failure}`});
					return status.report({kind: code === 0 ? 'success' : 'info', text: `Shell in ${name} exited (${code})`});
				}
				case 'containers.start':
					if (running) return status.report({kind: 'info', text: `${name} is already running`});
					return void act(`Starting ${name}…`, async () => {
						await startContainer(store, id);
						return `Started ${name}`;
					});
				case 'containers.stop':
					if (!running) return status.report({kind: 'info', text: `${name} is not running (${row.state})`});
					return ask(`Stop ${name}?`, [`SIGTERM (or its stop signal), SIGKILL after 10 s.`], 'stop', async () => {
						await stopContainer(store, id);
						return `Stopped ${name}`;
					});
				case 'containers.restart':
					return ask(`Restart ${name}?`, [running ? 'It is stopped (SIGTERM, SIGKILL after 10 s), then started again.' : `It is ${row.state}: it is started.`], 'restart', async () => {
						const {state} = await readContainer(store, id);
						if (isActive(state) || state.status === 'dead') await stopContainer(store, id);
						await startContainer(store, id);
						return `Restarted ${name}`;
					});
				case 'containers.kill':
					if (!running) return status.report({kind: 'info', text: `${name} is not running (${row.state})`});
					return ask(`Kill ${name}?`, ['SIGKILL: the process ends at once, without cleaning up.'], 'kill', async () => {
						await killContainer(store, id, 'KILL');
						return `Killed ${name}`;
					});
				case 'containers.remove':
					return ask(
						`Remove ${name}?`,
						[running ? `It is ${row.state}: it is killed first (rm -f).` : `It is ${row.state}.`, 'Its writable layer and logs are deleted; its image stays.'],
						'remove',
						async () => {
							await removeContainer(store, id, {force: running});
							return `Removed ${name}`;
						},
					);
			}
		},
		{isActive: tableFocused},
	);

	const back = () => {
		setView({kind: 'table'});
		refresh();
	};
	const bodyHeight = height - 1;

	if (view.kind === 'commit') {
		return <CommitWizard container={view.container.record} width={width} height={height} onClose={back} />;
	}
	if (view.kind === 'logs') {
		return <LogViewer record={view.container.record} width={width} height={height} focused={focused} onBack={back} />;
	}
	if (view.kind === 'diff') {
		const {record} = view.container;
		return (
			<TextView
				title={`Diff ${record.name}`}
				width={width}
				height={height}
				focused={focused}
				onBack={back}
				load={async () => {
					const changes = await containerDiff(store, record.id);
					if (changes.length === 0) return [{text: 'No changes: the container’s files are its image’s.', style: theme.style.dim}];
					return changes.map(change => ({
						text: `${change.kind} ${change.path}`,
						style: change.kind === 'A' ? theme.style.added : change.kind === 'D' ? theme.style.removed : theme.style.modified,
					}));
				}}
			/>
		);
	}
	if (view.kind === 'inspect') {
		const {record} = view.container;
		return (
			<TextView
				title={`Inspect ${record.name}`}
				width={width}
				height={height}
				focused={focused}
				onBack={back}
				load={async () => JSON.stringify(await inspectContainer(store, record.id), null, 2).split('\n').map(text => ({text}))}
			/>
		);
	}

	const running = (rows ?? []).filter(row => row.state === 'running').length;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text wrap="truncate">
				<Text {...theme.style.accent} bold>
					Containers
				</Text>
				{error ? <Text {...theme.style.error}> · {errorText(error)}</Text> : null}
			</Text>
			{!rows ? (
				<Box height={bodyHeight} paddingX={1}>
					<Text {...theme.style.dim}>Reading the containers…</Text>
				</Box>
			) : rows.length === 0 ? (
				<Box height={tableHeight} flexDirection="column" paddingX={1}>
					<Text>No containers yet.</Text>
					<Text {...theme.style.dim}>{'Create one with the command line (:), e.g. :create --name web busybox sh -c "echo hi > /f", then :start web'}</Text>
				</Box>
			) : (
				<SelectableTable columns={containerColumns} rows={rows} rowKey={rowKey} cursor={index} width={width} height={tableHeight} focused={focused} marker={stateMarker} rowStyle={row => (row.state === 'running' ? theme.style.added : row.state === 'dead' ? theme.style.error : undefined)} />
			)}
			{rows && rows.length > 0 && !pending ? (
				<Text wrap="truncate" {...theme.style.dim}>
					{rows.length} container{rows.length === 1 ? '' : 's'}, {running} running · ps -a, refreshed every second
				</Text>
			) : null}
			{pending ? (
				<ConfirmDialog
					title={pending.title}
					lines={pending.lines}
					confirmLabel={pending.confirmLabel}
					onConfirm={() => {
						setPending(undefined);
						void act(`${pending.confirmLabel}…`, pending.run);
					}}
					onCancel={() => setPending(undefined)}
					width={width}
					maxLines={4}
				/>
			) : null}
		</Box>
	);
}
