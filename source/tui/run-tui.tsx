import {render} from 'ink';
import {resolveStoreRoot} from '../engine/store/paths.js';
import {Store} from '../engine/store/store.js';
import {App} from './App.js';
import {loadTuiSettings} from './tui-settings.js';

const enterAlternateScreen = '\x1b[?1049h\x1b[H';
const leaveAlternateScreen = '\x1b[?1049l';
const showCursor = '\x1b[?25h';

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * Opens the TUI on the alternate screen and restores the terminal however it ends: quit, Ctrl-C,
 * a signal (SSH hang-up) or a crash (the error is printed after the terminal is back). Settings
 * and the store are checked first, so their errors are printed on the normal screen.
 */
export async function runTui(options: {version: string; root?: string}): Promise<number> {
	let settings;
	let store;
	try {
		settings = await loadTuiSettings();
		store = await Store.open(resolveStoreRoot(options.root));
	} catch (error) {
		process.stderr.write(`strata: ${messageOf(error)}\n`);
		return 1;
	}

	let restored = false;
	const restore = () => {
		if (restored) return;
		restored = true;
		process.stdout.write(showCursor + leaveAlternateScreen);
	};
	process.stdout.write(enterAlternateScreen);
	process.once('exit', restore);

	const instance = render(<App version={options.version} store={store} keymap={settings.keymap} theme={settings.theme} />, {exitOnCtrlC: true});
	let crash: unknown;
	const onCrash = (error: unknown) => {
		crash ??= error;
		instance.unmount();
	};
	const onSignal = () => instance.unmount();
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);
	for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
	try {
		await instance.waitUntilExit();
	} catch (error) {
		crash ??= error;
	} finally {
		process.off('uncaughtException', onCrash);
		process.off('unhandledRejection', onCrash);
		for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.off(signal, onSignal);
		process.removeListener('exit', restore);
		restore();
	}
	if (crash !== undefined) {
		process.stderr.write(`strata: the TUI stopped on an internal error:\n${(crash as Error)?.stack ?? String(crash)}\n`);
		return 1;
	}
	return 0;
}
