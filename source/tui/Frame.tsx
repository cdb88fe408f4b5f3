import {Box, Text, useApp} from 'ink';
import {useCallback, useMemo, useRef, useState} from 'react';
import {ErrorBoundary} from './components/ErrorBoundary.js';
import {HelpView} from './components/HelpView.js';
import {type KeyHint, KeyHintLine} from './components/KeyHintLine.js';
import {ScrollView} from './components/ScrollView.js';
import {shortRef, Sidebar} from './components/Sidebar.js';
import {StatusLine} from './components/StatusLine.js';
import {editLine, LineField} from './components/line-editor.js';
import {useKeysCaptured} from './context/key-capture-context.js';
import {useKeys} from './context/key-router-context.js';
import {useCommands, useKeymap} from './context/keymap-context.js';
import {type Navigation, NavigationContext} from './context/navigation-context.js';
import {useStatusReporter} from './context/status-context.js';
import {useCatalogChanged, useStore} from './context/store-context.js';
import {useTheme} from './context/theme-context.js';
import {useLatestState} from './hooks/use-latest-state.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {commandFor, type KeyScope, normalizeKey} from './keymap.js';
import {initialNavigation, type NavigationAction, navigationReducer} from './navigation-state.js';
import {BuildPane} from './panes/build/BuildPane.js';
import {ContainersPane} from './panes/containers/ContainersPane.js';
import {HistoryTimeline} from './panes/history/HistoryTimeline.js';
import {ImagesPane} from './panes/images/ImagesPane.js';
import {LayerTree} from './panes/layers/LayerTree.js';
import {NoImageChosen} from './panes/NoImageChosen.js';
import {type PaneId, paneById, panes} from './panes/pane-registry.js';

type Overlay = {kind: 'help'} | {kind: 'output'; title: string; lines: string[]};
type BottomMode = 'hints' | 'filter' | 'command';

/** The key hints of the bottom line, per pane: the few keys a newcomer needs; `?` lists the rest. */
const paneHints: Record<PaneId, KeyHint[]> = {
	images: [
		['list.open', 'history', true],
		['images.layers', 'layers', true],
		['images.inspect', 'inspect', true],
		['images.tag', 'tag'],
		['images.remove', 'remove', true],
		['images.mark', 'mark'],
		['images.pruneDangling', 'prune'],
		['global.filter', 'filter', true],
		['global.commandLine', 'cmd'],
		['global.help', 'keys', true],
		['global.quit', 'quit', true],
	],
	containers: [
		['containers.logs', 'logs', true],
		['containers.start', 'start', true],
		['containers.stop', 'stop', true],
		['containers.remove', 'remove', true],
		['containers.diff', 'diff'],
		['containers.inspect', 'inspect'],
		['containers.commit', 'commit', true],
		['global.help', 'keys', true],
		['global.quit', 'quit', true],
	],
	history: [['global.back', 'back', true], ['global.commandLine', 'cmd', true], ['global.help', 'keys', true], ['global.quit', 'quit', true]],
	layers: [['global.back', 'back', true], ['global.commandLine', 'cmd', true], ['global.help', 'keys', true], ['global.quit', 'quit', true]],
	build: [['build.switchFocus', 'steps/output', true], ['build.search', 'search'], ['build.cancel', 'cancel', true], ['build.edit', 'new build'], ['global.help', 'keys', true], ['global.quit', 'quit', true]],
};

const commandHistoryLimit = 50;

/** The sidebar's width for a terminal this wide: none when narrow, then about a sixth. */
function sidebarWidthFor(columns: number): number {
	if (columns < 60) return 0;
	return Math.min(26, Math.max(14, Math.floor(columns / 6)));
}

/** Output of a `:` command, scrollable; esc closes it. */
function OutputView({title, lines, width, height, onClose}: {title: string; lines: string[]; width: number; height: number; onClose: () => void}) {
	const theme = useTheme();
	useCommands(['global'], ({command}) => {
		if (command === 'global.back' || command === 'global.quit') onClose();
	});
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text wrap="truncate">
				<Text {...theme.style.accent} bold>
					{title}
				</Text>
				<Text {...theme.style.dim}> · esc closes</Text>
			</Text>
			<ScrollView lines={lines} width={width} height={height - 1} focused />
		</Box>
	);
}

/**
 * The TUI's frame: the pane column, the main area, the status and key lines, and the keys that
 * work everywhere (panes, help, filter, command line, quit). Panes bring their own keys.
 */
export function Frame({version}: {version: string}) {
	const {columns, rows} = useTerminalSize();
	const {exit} = useApp();
	const keymap = useKeymap();
	const theme = useTheme();
	const store = useStore();
	const status = useStatusReporter();
	const reload = useCatalogChanged();
	const isCaptured = useKeysCaptured();
	// Key handlers read these through refs: the next key can come before React renders the last one.
	const [nav, setNav, navRef] = useLatestState(initialNavigation);
	const dispatch = useCallback((action: NavigationAction) => setNav(previous => navigationReducer(previous, action)), [setNav]);
	const currentImage = useRef<string | undefined>(undefined);
	const [overlay, setOverlay, overlayRef] = useLatestState<Overlay | undefined>(undefined);
	const [bottom, setBottom, bottomRef] = useLatestState<BottomMode>('hints');
	const [filters, setFilters, filtersRef] = useLatestState<Partial<Record<PaneId, string>>>({});
	const [commandText, setCommandText, commandTextRef] = useLatestState('');
	const commandHistory = useRef<string[]>([]);
	const [buildSummary, setBuildSummary] = useState<string>();
	const recall = useRef(0);

	const navigation = useMemo<Navigation>(
		() => ({
			focusPane: pane => dispatch({type: 'focus', pane, currentImage: currentImage.current}),
			openHistory: ref => dispatch({type: 'openHistory', ref}),
			openLayers: (ref, initialLayer) => dispatch({type: 'openLayers', ref, initialLayer}),
			back: () => dispatch({type: 'back'}),
			setCurrentImage: ref => {
				currentImage.current = ref;
			},
		}),
		[dispatch],
	);

	const active = paneById(nav.active);

	const runCommand = useCallback(
		async (line: string) => {
			const text = line.trim();
			if (text) commandHistory.current = [...commandHistory.current.filter(entry => entry !== text), text].slice(-commandHistoryLimit);
			status.report({kind: 'busy', text: `:${text}`});
			// The CLI's command tree loads on first use: it is not needed to draw the first frame.
			const {runCommandLine} = await import('./command-line/run-command-line.js');
			const outcome = await runCommandLine(text, store, version);
			if (outcome.kind === 'quit') return exit();
			if (outcome.kind === 'help') {
				status.clear();
				return setOverlay({kind: 'help'});
			}
			if (outcome.kind === 'empty') return status.clear();
			reload();
			const lines = outcome.output.replace(/\n$/, '').split('\n');
			if (outcome.error) status.report({kind: 'error', text: outcome.error});
			else status.report({kind: 'success', text: lines.find(entry => entry.trim()) ?? `:${text} done`});
			if (lines.length > 1) setOverlay({kind: 'output', title: `:${text}`, lines});
		},
		[store, version, status, exit, reload, setOverlay],
	);

	/** Typing into the command or filter line: the frame edits it itself, holding the keyboard meanwhile. */
	const editBottomLine = (input: string, key: Parameters<typeof editLine>[2]) => {
		const pane = navRef.current.active;
		const command = bottomRef.current === 'command';
		const edit = editLine(command ? commandTextRef.current : (filtersRef.current[pane] ?? ''), input, key);
		if (edit.kind === 'change') {
			if (command) setCommandText(edit.value);
			else setFilters(previous => ({...previous, [pane]: edit.value}));
		} else if (edit.kind === 'submit' || edit.kind === 'cancel') {
			frameKeys.release();
			setBottom('hints');
			if (command && edit.kind === 'submit') void runCommand(commandTextRef.current);
			if (!command && edit.kind === 'cancel') setFilters(previous => ({...previous, [pane]: ''}));
		} else if (edit.kind === 'history' && command) {
			const entries = commandHistory.current;
			recall.current = Math.max(0, Math.min(entries.length, recall.current + edit.direction));
			setCommandText(entries[recall.current] ?? '');
		}
	};

	const frameKeys = useKeys((input, key) => {
		if (bottomRef.current !== 'hints') return editBottomLine(input, key);
		if (isCaptured() || overlayRef.current) return;
		const name = normalizeKey(input, key);
		const current = navRef.current;
		const pane = paneById(current.active);
		const showsPane = current.active === 'images' || current.active === 'containers' || current.active === 'build' || (current.active === 'history' && current.history !== undefined) || (current.active === 'layers' && current.layers !== undefined);
		// A pane's own keys win over the frame's (Tab moves focus inside the layer tree).
		const paneScopes: KeyScope[] = pane.usesListKeys ? [pane.scope, 'list'] : [pane.scope];
		if (showsPane && commandFor(keymap, paneScopes, name)) return;
		const command = commandFor(keymap, ['global'], name);
		const paneIndex = panes.findIndex(candidate => candidate.id === current.active);
		switch (command) {
			case 'global.quit':
				return exit();
			case 'global.help':
				return setOverlay({kind: 'help'});
			case 'global.nextPane':
				return navigation.focusPane(panes[(paneIndex + 1) % panes.length]!.id);
			case 'global.previousPane':
				return navigation.focusPane(panes[(paneIndex + panes.length - 1) % panes.length]!.id);
			case 'global.commandLine':
				recall.current = commandHistory.current.length;
				setCommandText('');
				setBottom('command');
				return frameKeys.grab();
			case 'global.filter':
				if (!pane.filterable) return;
				setBottom('filter');
				return frameKeys.grab();
			case 'global.back':
				if (!(showsPane && pane.handlesBack)) navigation.back();
				return;
		}
		const target = panes.find(candidate => candidate.command === command);
		if (target) navigation.focusPane(target.id);
	});

	const sidebarWidth = sidebarWidthFor(columns);
	// One row short of the terminal: a full-height frame makes Ink clear the screen on every render.
	const frameHeight = Math.max(6, rows - 1);
	const mainHeight = frameHeight - 2;
	const mainWidth = Math.max(20, columns - sidebarWidth - (sidebarWidth > 0 ? 1 : 0) - 1);
	const focusedPane = (pane: PaneId) => nav.active === pane && !overlay && bottom === 'hints';
	const details: Partial<Record<PaneId, string>> = {
		images: filters.images ? `/${filters.images}` : undefined,
		history: shortRef(nav.history),
		layers: shortRef(nav.layers?.ref),
		build: buildSummary,
	};
	const filterValue = filters[nav.active] ?? '';

	const paneElement = (pane: PaneId) => {
		switch (pane) {
			case 'images':
				return <ImagesPane width={mainWidth} height={mainHeight} focused={focusedPane('images')} filter={filters.images ?? ''} onClearFilter={() => setFilters(previous => ({...previous, images: ''}))} />;
			case 'containers':
				return <ContainersPane width={mainWidth} height={mainHeight} focused={focusedPane('containers')} visible={nav.active === 'containers'} />;
			case 'history':
				return nav.history ? (
					<HistoryTimeline
						key={nav.history}
						imageRef={nav.history}
						width={mainWidth}
						height={mainHeight}
						focused={focusedPane('history')}
						onJumpToLayer={layer => navigation.openLayers(nav.history!, layer)}
						onBack={navigation.back}
					/>
				) : (
					<NoImageChosen title="History" hint="Choose an image in the Images pane (1) and press ⏎ or h." width={mainWidth} height={mainHeight} />
				);
			case 'layers':
				return nav.layers ? (
					<LayerTree
						key={`${nav.layers.ref} ${nav.layers.serial}`}
						imageRef={nav.layers.ref}
						initialLayer={nav.layers.initialLayer}
						width={mainWidth}
						height={mainHeight}
						focused={focusedPane('layers')}
						onBack={navigation.back}
					/>
				) : (
					<NoImageChosen title="Layers" hint="Choose an image in the Images pane (1) and press l." width={mainWidth} height={mainHeight} />
				);
			case 'build':
				return <BuildPane width={mainWidth} height={mainHeight} focused={focusedPane('build')} onSummary={setBuildSummary} />;
		}
	};

	return (
		<NavigationContext.Provider value={navigation}>
			<Box flexDirection="column" width={columns} height={frameHeight}>
				<Box flexDirection="row" height={mainHeight}>
					{sidebarWidth > 0 ? <Sidebar active={nav.active} width={sidebarWidth} height={mainHeight} version={version} details={details} /> : null}
					<Box flexDirection="column" marginLeft={sidebarWidth > 0 ? 1 : 0} width={mainWidth} height={mainHeight}>
						{overlay?.kind === 'help' ? (
							<HelpView
								paneTitle={active.title}
								scope={active.scope}
								listKeys={active.usesListKeys}
								extraScopes={nav.active === 'images' ? ['inspect'] : nav.active === 'containers' ? ['wizard'] : undefined}
								width={mainWidth}
								height={mainHeight}
								onClose={() => setOverlay(undefined)}
							/>
						) : null}
						{overlay?.kind === 'output' ? <OutputView title={overlay.title} lines={overlay.lines} width={mainWidth} height={mainHeight} onClose={() => setOverlay(undefined)} /> : null}
						{nav.visited.map(pane => (
							<Box key={pane} display={nav.active === pane && !overlay ? 'flex' : 'none'} flexDirection="column" height={mainHeight}>
								<ErrorBoundary key={pane === 'history' ? nav.history : pane === 'layers' ? nav.layers?.serial : pane} width={mainWidth} onError={status.fail}>
									{paneElement(pane)}
								</ErrorBoundary>
							</Box>
						))}
					</Box>
				</Box>
				<StatusLine width={columns - 1} />
				<Box height={1} width={columns - 1}>
					{bottom === 'hints' ? <KeyHintLine hints={paneHints[nav.active]} width={columns - 1} /> : null}
					{bottom === 'filter' ? (
						<Text wrap="truncate">
							<Text {...theme.style.accent}>/</Text>
							<LineField value={filterValue} />
							<Text {...theme.style.dim}>{'  '}⏎ keep · esc clear</Text>
						</Text>
					) : null}
					{bottom === 'command' ? (
						<Text wrap="truncate">
							<Text {...theme.style.accent}>:</Text>
							<LineField value={commandText} />
							<Text {...theme.style.dim}>{'  '}a CLI verb: rmi IMAGE, tag SRC DST, images -a, demo… · ⏎ run · esc cancel</Text>
						</Text>
					) : null}
				</Box>
			</Box>
		</NavigationContext.Provider>
	);
}
