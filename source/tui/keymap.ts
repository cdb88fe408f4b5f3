/**
 * Every key of the TUI, as named commands in one map (Gemini CLI's style). Panes ask "which command
 * is this key?" and `?` help is generated from this table, so a key is never described twice.
 * Users override bindings in the settings file (`keybindings: {"images.remove": ["x"]}`).
 */
export type KeyScope = 'global' | 'list' | 'images' | 'inspect' | 'history' | 'layers' | 'containers' | 'wizard' | 'build' | 'form' | 'dialog';

export type KeyBinding = {
	/** `scope.name`, e.g. `list.down`, `images.remove`. */
	command: string;
	scope: KeyScope;
	/** Normalized key names: see `normalizeKey`. */
	keys: string[];
	description: string;
};

export const defaultKeymap: KeyBinding[] = [
	{command: 'global.quit', scope: 'global', keys: ['q'], description: 'quit'},
	{command: 'global.help', scope: 'global', keys: ['?'], description: 'show the keys of the focused pane'},
	{command: 'global.back', scope: 'global', keys: ['escape'], description: 'go back / close'},
	{command: 'global.nextPane', scope: 'global', keys: ['tab'], description: 'next pane'},
	{command: 'global.previousPane', scope: 'global', keys: ['shift-tab'], description: 'previous pane'},
	{command: 'global.commandLine', scope: 'global', keys: [':'], description: 'command line (CLI verbs: rmi, tag, ...)'},
	{command: 'global.filter', scope: 'global', keys: ['/'], description: 'filter the focused list'},
	{command: 'global.pane1', scope: 'global', keys: ['1'], description: 'Images pane'},
	{command: 'global.pane2', scope: 'global', keys: ['2'], description: 'Containers pane'},
	{command: 'global.pane3', scope: 'global', keys: ['3'], description: 'History pane'},
	{command: 'global.pane4', scope: 'global', keys: ['4'], description: 'Layers pane'},
	{command: 'global.pane5', scope: 'global', keys: ['5'], description: 'Build pane'},
	{command: 'list.down', scope: 'list', keys: ['j', 'down'], description: 'move down'},
	{command: 'list.up', scope: 'list', keys: ['k', 'up'], description: 'move up'},
	{command: 'list.top', scope: 'list', keys: ['g', 'home'], description: 'first row'},
	{command: 'list.bottom', scope: 'list', keys: ['G', 'end'], description: 'last row'},
	{command: 'list.pageDown', scope: 'list', keys: ['pagedown', 'ctrl-d'], description: 'page down'},
	{command: 'list.pageUp', scope: 'list', keys: ['pageup', 'ctrl-u'], description: 'page up'},
	{command: 'list.open', scope: 'list', keys: ['enter'], description: 'open'},
	{command: 'images.history', scope: 'images', keys: ['h'], description: 'history timeline of the image (also enter)'},
	{command: 'images.layers', scope: 'images', keys: ['l'], description: 'layer tree of the image'},
	{command: 'images.inspect', scope: 'images', keys: ['i'], description: 'inspect the image'},
	{command: 'images.tag', scope: 'images', keys: ['t'], description: 'tag the image'},
	{command: 'images.remove', scope: 'images', keys: ['d', 'delete'], description: 'remove the image, or the marked ones'},
	{command: 'images.forceRemove', scope: 'images', keys: ['D'], description: 'remove with force (rmi -f)'},
	{command: 'images.mark', scope: 'images', keys: ['space'], description: 'mark / unmark for a bulk remove'},
	{command: 'images.pruneDangling', scope: 'images', keys: ['p'], description: 'prune dangling images'},
	{command: 'images.pruneAll', scope: 'images', keys: ['P'], description: 'prune all unused images'},
	{command: 'images.showAll', scope: 'images', keys: ['a'], description: 'show / hide intermediate images (-a)'},
	{command: 'images.sort', scope: 'images', keys: ['s'], description: 'sort by the next column'},
	{command: 'images.reverse', scope: 'images', keys: ['S'], description: 'reverse the sort order'},
	{command: 'images.refresh', scope: 'images', keys: ['r'], description: 'reload the store'},
	{command: 'inspect.toggle', scope: 'inspect', keys: ['v'], description: 'switch between summary and JSON'},
	{command: 'history.expand', scope: 'history', keys: ['enter', 'space'], description: 'show the selected step in full (command, IDs, author, comment)'},
	{command: 'history.jumpToLayer', scope: 'history', keys: ['l'], description: "open the step's layer in the layer tree"},
	{command: 'layers.switchFocus', scope: 'layers', keys: ['tab'], description: 'switch between the layer list and the file tree'},
	{command: 'layers.toggleDirectory', scope: 'layers', keys: ['space'], description: 'open / close the directory (also enter)'},
	{command: 'layers.collapse', scope: 'layers', keys: ['h', 'left'], description: 'close the directory, or go to its parent'},
	{command: 'layers.expand', scope: 'layers', keys: ['l', 'right'], description: 'open the directory'},
	{command: 'layers.collapseAll', scope: 'layers', keys: ['['], description: 'close every directory'},
	{command: 'layers.expandAll', scope: 'layers', keys: [']'], description: 'open every directory'},
	{command: 'layers.toggleWholeImage', scope: 'layers', keys: ['a'], description: "switch between the layer's changes and the whole image up to it"},
	{command: 'layers.toggleOnlyChanged', scope: 'layers', keys: ['u'], description: 'hide / show unchanged files (whole-image view)'},
	{command: 'layers.toggleSort', scope: 'layers', keys: ['s'], description: 'sort the tree by name / size'},
	{command: 'containers.logs', scope: 'containers', keys: ['l'], description: 'logs of the container (also enter)'},
	{command: 'containers.start', scope: 'containers', keys: ['s'], description: 'start the container'},
	{command: 'containers.stop', scope: 'containers', keys: ['x'], description: 'stop the container (asks first)'},
	{command: 'containers.restart', scope: 'containers', keys: ['R'], description: 'restart the container (asks first)'},
	{command: 'containers.kill', scope: 'containers', keys: ['K'], description: 'kill the container (SIGKILL, asks first)'},
	{command: 'containers.remove', scope: 'containers', keys: ['d', 'delete'], description: 'remove the container (asks first; a running one is killed)'},
	{command: 'containers.diff', scope: 'containers', keys: ['f'], description: 'diff: files added, changed, deleted (A/C/D)'},
	{command: 'containers.inspect', scope: 'containers', keys: ['i'], description: 'inspect the container (JSON)'},
	{command: 'containers.commit', scope: 'containers', keys: ['c'], description: 'commit & tag wizard: the container as a new image'},
	{command: 'containers.exec', scope: 'containers', keys: ['e'], description: 'exec a shell in the running container (the TUI steps aside until it exits)'},
	{command: 'containers.refresh', scope: 'containers', keys: ['r'], description: 'reload the list (it also refreshes every second)'},
	{command: 'containers.logFollow', scope: 'containers', keys: ['F'], description: 'logs: follow new output on / off'},
	{command: 'containers.logTimestamps', scope: 'containers', keys: ['T'], description: 'logs: show / hide timestamps'},
	{command: 'containers.logSearch', scope: 'containers', keys: ['/'], description: 'logs: search (⏎ keeps, esc clears)'},
	{command: 'containers.logNext', scope: 'containers', keys: ['n'], description: 'logs: next match'},
	{command: 'containers.logPrevious', scope: 'containers', keys: ['N'], description: 'logs: previous match'},
	{command: 'wizard.next', scope: 'wizard', keys: ['enter'], description: 'next step (changes: ⏎ on a typed line adds it, on an empty line goes on)'},
	{command: 'wizard.back', scope: 'wizard', keys: ['escape'], description: 'previous step (cancels on the first)'},
	{command: 'wizard.nextField', scope: 'wizard', keys: ['tab'], description: 'author / message: switch field'},
	{command: 'wizard.cancel', scope: 'wizard', keys: ['ctrl-x'], description: 'cancel the wizard'},
	{command: 'build.start', scope: 'build', keys: ['enter'], description: 'form: start the build'},
	{command: 'build.complete', scope: 'build', keys: ['tab'], description: 'form: complete the directory (context) or path (Dockerfile); next field elsewhere'},
	{command: 'build.nextField', scope: 'build', keys: ['down'], description: 'form: next field'},
	{command: 'build.previousField', scope: 'build', keys: ['up'], description: 'form: previous field'},
	{command: 'build.toggle', scope: 'build', keys: ['space'], description: 'form: no cache on / off (on its field)'},
	{command: 'build.switchFocus', scope: 'build', keys: ['tab'], description: 'switch between the step list and the output'},
	{command: 'build.cancel', scope: 'build', keys: ['x'], description: 'cancel the running build (asks first; nothing is tagged)'},
	{command: 'build.edit', scope: 'build', keys: ['b'], description: 'back to the form: change it and build again'},
	{command: 'build.follow', scope: 'build', keys: ['F'], description: 'output: follow new lines on / off'},
	{command: 'build.search', scope: 'build', keys: ['/'], description: 'output: search (⏎ keeps, esc clears)'},
	{command: 'build.nextMatch', scope: 'build', keys: ['n'], description: 'output: next match'},
	{command: 'build.previousMatch', scope: 'build', keys: ['N'], description: 'output: previous match'},
	{command: 'dialog.confirm', scope: 'dialog', keys: ['y', 'enter'], description: 'confirm'},
	{command: 'dialog.cancel', scope: 'dialog', keys: ['n', 'escape'], description: 'cancel'},
	{command: 'form.submit', scope: 'form', keys: ['enter'], description: 'submit'},
	{command: 'form.cancel', scope: 'form', keys: ['escape'], description: 'cancel'},
];

/**
 * The key name for Ink's `useInput(input, key)` arguments: a printable character as itself
 * (`j`, `G`, `?`), else a name: up down left right enter escape tab shift-tab backspace delete
 * pageup pagedown home end space, with `ctrl-` for control chords.
 */
export function normalizeKey(
	input: string,
	key: {
		upArrow?: boolean;
		downArrow?: boolean;
		leftArrow?: boolean;
		rightArrow?: boolean;
		return?: boolean;
		escape?: boolean;
		tab?: boolean;
		shift?: boolean;
		ctrl?: boolean;
		backspace?: boolean;
		delete?: boolean;
		pageUp?: boolean;
		pageDown?: boolean;
		home?: boolean;
		end?: boolean;
	},
): string {
	if (key.upArrow) return 'up';
	if (key.downArrow) return 'down';
	if (key.leftArrow) return 'left';
	if (key.rightArrow) return 'right';
	if (key.pageUp) return 'pageup';
	if (key.pageDown) return 'pagedown';
	if (key.home) return 'home';
	if (key.end) return 'end';
	if (key.return) return 'enter';
	if (key.escape) return 'escape';
	if (key.tab) return key.shift ? 'shift-tab' : 'tab';
	if (key.backspace) return 'backspace';
	if (key.delete) return 'delete';
	if (input === ' ') return 'space';
	if (key.ctrl && input) return `ctrl-${input.toLowerCase()}`;
	return input;
}

/** The first command of the given scopes (in order) bound to `keyName`. */
export function commandFor(keymap: KeyBinding[], scopes: KeyScope[], keyName: string): string | undefined {
	for (const scope of scopes) {
		const binding = keymap.find(item => item.scope === scope && item.keys.includes(keyName));
		if (binding) return binding.command;
	}
	return undefined;
}

/** Applies user overrides (`{command: keys[]}`) on top of the defaults; unknown commands are errors. */
export function withOverrides(keymap: KeyBinding[], overrides: Record<string, string[]>): KeyBinding[] {
	const known = new Set(keymap.map(binding => binding.command));
	for (const command of Object.keys(overrides)) {
		if (!known.has(command)) throw new Error(`keybindings: unknown command "${command}"`);
	}
	return keymap.map(binding => (overrides[binding.command] ? {...binding, keys: overrides[binding.command]} : binding));
}
