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
