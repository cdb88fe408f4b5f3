import {homedir} from 'node:os';
import {join} from 'node:path';
import {openSettings} from '../engine/settings.js';
import {defaultKeymap, type KeyBinding, withOverrides} from './keymap.js';
import {resolveTheme, type Theme} from './theme.js';

export type TuiSettings = {keymap: KeyBinding[]; theme: Theme};

const namedKeys = new Set(['up', 'down', 'left', 'right', 'enter', 'escape', 'tab', 'shift-tab', 'backspace', 'delete', 'pageup', 'pagedown', 'home', 'end', 'space']);

/** A key name `normalizeKey` can produce: one printable character, a named key, or `ctrl-` and a letter. */
export function isKeyName(name: string): boolean {
	return namedKeys.has(name) || /^ctrl-[a-z]$/.test(name) || (Array.from(name).length === 1 && name !== ' ' && !/[\x00-\x1f\x7f]/.test(name));
}

/** The user's key overrides, checked: every command known, every key a key. */
export function keymapFromSettings(keybindings: unknown): KeyBinding[] {
	if (keybindings === undefined) return defaultKeymap;
	if (typeof keybindings !== 'object' || keybindings === null || Array.isArray(keybindings)) {
		throw new Error('keybindings: expected an object such as {"images.remove": ["x", "delete"]}');
	}
	const overrides: Record<string, string[]> = {};
	for (const [command, value] of Object.entries(keybindings as Record<string, unknown>)) {
		const keys = typeof value === 'string' ? [value] : value;
		if (!Array.isArray(keys) || keys.length === 0 || !keys.every(key => typeof key === 'string')) {
			throw new Error(`keybindings.${command}: expected a key or a list of keys, e.g. ["x", "ctrl-x"]`);
		}
		for (const key of keys as string[]) {
			if (!isKeyName(key)) {
				throw new Error(`keybindings.${command}: "${key}" is not a key (one character, ctrl-LETTER, or one of ${[...namedKeys].join(' ')})`);
			}
		}
		overrides[command] = keys as string[];
	}
	return withOverrides(defaultKeymap, overrides);
}

/** Where conf keeps the settings file (shown in messages): $STRATA_CONFIG_DIR, else the XDG config dir. */
export function settingsFilePath(env: NodeJS.ProcessEnv = process.env): string {
	const dir = env.STRATA_CONFIG_DIR || join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'strata');
	return join(dir, 'config.json');
}

/**
 * The TUI's settings from the settings file, validated. Throws an Error that names the file and
 * the bad setting, for the caller to print before the TUI takes the screen.
 */
export async function loadTuiSettings(env: NodeJS.ProcessEnv = process.env): Promise<TuiSettings> {
	let path = settingsFilePath(env);
	try {
		const settings = await openSettings();
		path = settings.path;
		return {keymap: keymapFromSettings(settings.get('keybindings')), theme: resolveTheme({theme: settings.get('theme'), colors: settings.get('colors')}, env)};
	} catch (error) {
		const message = error instanceof SyntaxError ? `not valid JSON (${error.message})` : (error as Error).message;
		throw new Error(`bad settings in ${path}: ${message}`);
	}
}
