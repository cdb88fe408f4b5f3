import {readFile} from 'node:fs/promises';
import {homedir} from 'node:os';
import {join} from 'node:path';
import type Conf from 'conf';

/** User settings (not images): the XDG config dir (`~/.config/strata/config.json`), through conf. */
export type Settings = {
	/** OCI runtime binary for containers (issue 4). */
	runtime: string;
	/** TUI key overrides: command name -> keys (`{"images.remove": ["x", "delete"]}`); see `?` in the TUI. */
	keybindings?: Record<string, string[] | string>;
	/** TUI theme: "default" (colours) or "mono". NO_COLOR forces "mono". */
	theme?: string;
	/** TUI colour overrides by role (`{"accent": "magenta", "selected": "#005f87"}`). */
	colors?: Record<string, string>;
};

const defaults: Settings = {runtime: 'runc'};

let settings: Conf<Settings> | undefined;

/**
 * Opens the settings file. conf (and its JSON-schema stack) is loaded on first use only: it costs
 * ~200 ms of start-up, and most commands never read a setting.
 */
export async function openSettings(): Promise<Conf<Settings>> {
	const {default: ConfClass} = await import('conf');
	settings ??= new ConfClass<Settings>({
		projectName: 'strata',
		projectSuffix: '',
		defaults,
		cwd: process.env.STRATA_CONFIG_DIR || undefined,
	});
	return settings;
}

/** The file conf keeps the settings in: $STRATA_CONFIG_DIR, else env-paths' config dir for strata. */
function settingsFile(): string {
	const dir = process.env.STRATA_CONFIG_DIR || join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'strata');
	return join(dir, 'config.json');
}

/**
 * The `runtime` setting alone, read straight from conf's file: every container start needs it, and
 * loading conf for it would cost the start ~200 ms. A missing or unreadable file means the default,
 * as a failed openSettings does for its callers.
 */
export async function runtimeSetting(): Promise<string> {
	try {
		const value = (JSON.parse(await readFile(settingsFile(), 'utf8')) as Partial<Settings>).runtime;
		return typeof value === 'string' && value !== '' ? value : defaults.runtime;
	} catch {
		return defaults.runtime;
	}
}
