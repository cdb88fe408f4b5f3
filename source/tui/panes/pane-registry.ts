import type {KeyScope} from '../keymap.js';

export type PaneId = 'images' | 'containers' | 'history' | 'layers' | 'build';

export type PaneDefinition = {
	id: PaneId;
	title: string;
	/** The keymap scope of the pane's own keys (shown by `?`, after the global ones). */
	scope: KeyScope;
	/** The `global.paneN` command that focuses it. */
	command: string;
	/** `/` filters this pane's list through the frame's filter line. */
	filterable: boolean;
	/** The pane answers Esc itself (when it shows something): the frame leaves it alone. */
	handlesBack: boolean;
	/** Uses the list keys (j/k, g/G...): listed in its help. */
	usesListKeys: boolean;
};

/** The panes of the left column, in Tab order. Later issues (build, wizard) add theirs here. */
export const panes: readonly PaneDefinition[] = [
	{id: 'images', title: 'Images', scope: 'images', command: 'global.pane1', filterable: true, handlesBack: true, usesListKeys: true},
	{id: 'containers', title: 'Containers', scope: 'containers', command: 'global.pane2', filterable: false, handlesBack: true, usesListKeys: true},
	{id: 'history', title: 'History', scope: 'history', command: 'global.pane3', filterable: false, handlesBack: true, usesListKeys: true},
	{id: 'layers', title: 'Layers', scope: 'layers', command: 'global.pane4', filterable: false, handlesBack: true, usesListKeys: true},
	{id: 'build', title: 'Build', scope: 'build', command: 'global.pane5', filterable: false, handlesBack: true, usesListKeys: true},
];

export function paneById(id: PaneId): PaneDefinition {
	return panes.find(pane => pane.id === id)!;
}
