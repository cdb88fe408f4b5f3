import {render} from 'ink';
import {App} from './App.js';

const enterAlternateScreen = '\x1b[?1049h\x1b[H';
const leaveAlternateScreen = '\x1b[?1049l';

/**
 * Opens the TUI on the alternate screen and restores the terminal however it ends: quit, Ctrl-C
 * or a crash (the error is printed after the terminal is back).
 */
export async function runTui(options: {version: string}): Promise<number> {
	process.stdout.write(enterAlternateScreen);
	const restore = () => process.stdout.write(leaveAlternateScreen);
	process.once('exit', restore);
	try {
		const instance = render(<App version={options.version} />, {exitOnCtrlC: true});
		await instance.waitUntilExit();
		return 0;
	} catch (error) {
		restore();
		process.stderr.write(`strata: ${(error as Error)?.stack ?? String(error)}\n`);
		return 1;
	} finally {
		process.removeListener('exit', restore);
		restore();
	}
}
