import type {Key} from 'ink';
import {createContext, useContext, type ReactNode} from 'react';
import {commandFor, defaultKeymap, type KeyBinding, type KeyScope, normalizeKey} from '../keymap.js';
import {type KeyGrab, useKeys} from './key-router-context.js';

const KeymapContext = createContext<KeyBinding[]>(defaultKeymap);

/** The keymap in force: the defaults with the user's overrides applied. */
export function KeymapProvider({keymap, children}: {keymap: KeyBinding[]; children?: ReactNode}) {
	return <KeymapContext.Provider value={keymap}>{children}</KeymapContext.Provider>;
}

export function useKeymap(): KeyBinding[] {
	return useContext(KeymapContext);
}

/** A key press as a pane sees it: the command it is bound to (if any), its normalized name and raw input. */
export type CommandKey = {command?: string; name: string; input: string; key: Key};

/**
 * Routes key presses to `onKey` with the command they are bound to in `scopes` (earlier scopes
 * win). Panes switch on `key.command` and never on raw keys, so user overrides apply everywhere.
 */
export function useCommands(scopes: KeyScope[], onKey: (key: CommandKey) => void, options: {isActive?: boolean} = {}): KeyGrab {
	const keymap = useKeymap();
	return useKeys(
		(input, key) => {
			const name = normalizeKey(input, key);
			onKey({command: commandFor(keymap, scopes, name), name, input, key});
		},
		{isActive: options.isActive ?? true},
	);
}

/** The first key of a command, for hints ("d remove"); undefined when the user unbound it. */
export function keyFor(keymap: KeyBinding[], command: string): string | undefined {
	return keymap.find(binding => binding.command === command)?.keys[0];
}
