import type {KeyBinding, KeyScope} from './keymap.js';

export type HelpSection = {title: string; bindings: KeyBinding[]};

const scopeTitles: Record<KeyScope, string> = {
	global: 'Everywhere',
	list: 'Lists',
	images: 'Images',
	inspect: 'Inspect',
	history: 'History',
	layers: 'Layers',
	containers: 'Containers',
	wizard: 'Commit wizard',
	build: 'Build',
	form: 'Forms',
	dialog: 'Confirmations',
};

/**
 * What `?` lists for a pane, generated from the keymap so that it is always the keys in force:
 * the pane's own keys first, then lists, then the frame's, then dialogs. Keys unbound by the user
 * (an empty list) are left out.
 */
export function helpSections(keymap: KeyBinding[], paneScope: KeyScope, options: {listKeys: boolean; extraScopes?: KeyScope[]}): HelpSection[] {
	const scopes: KeyScope[] = [paneScope, ...(options.extraScopes ?? []), ...(options.listKeys ? (['list'] as KeyScope[]) : []), 'global', 'dialog', 'form'];
	return [...new Set(scopes)]
		.map(scope => ({title: scopeTitles[scope], bindings: keymap.filter(binding => binding.scope === scope && binding.keys.length > 0)}))
		.filter(section => section.bindings.length > 0);
}
