import Conf from 'conf';

/** User settings (not images): the XDG config dir (`~/.config/strata/config.json`), through conf. */
export type Settings = {
	/** OCI runtime binary for containers (issue 4). */
	runtime: string;
};

const defaults: Settings = {runtime: 'runc'};

let settings: Conf<Settings> | undefined;

export function openSettings(): Conf<Settings> {
	settings ??= new Conf<Settings>({
		projectName: 'strata',
		projectSuffix: '',
		defaults,
		cwd: process.env.STRATA_CONFIG_DIR || undefined,
	});
	return settings;
}
