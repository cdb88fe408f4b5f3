import {spawnSync} from 'node:child_process';

const enterAlternateScreen = '\x1b[?1049h\x1b[H\x1b[2J';
const leaveAlternateScreen = '\x1b[?1049l';

/**
 * Hands the terminal to a child (a shell in a container) and takes it back: leave the alternate
 * screen, cooked mode, run the child with our stdio, then raw mode and the alternate screen again.
 * spawnSync is deliberate: while it blocks, Ink's event loop reads no keys, so every keystroke goes
 * to the child. The caller re-renders afterwards (any state change redraws the whole frame).
 */
export function runInTerminal(command: string, args: string[]): {code: number; error?: string} {
	const stdin = process.stdin;
	const wasRaw = stdin.isTTY ? stdin.isRaw : false;
	process.stdout.write(leaveAlternateScreen);
	if (stdin.isTTY) stdin.setRawMode(false);
	try {
		const result = spawnSync(command, args, {stdio: 'inherit'});
		if (result.error) return {code: 127, error: result.error.message};
		return {code: result.status ?? 128 + 1};
	} finally {
		if (stdin.isTTY) stdin.setRawMode(wasRaw);
		process.stdout.write(enterAlternateScreen);
	}
}

/** The strata CLI this TUI runs from, as a command line prefix for `runInTerminal`. */
export function strataCommand(root: string): [string, string[]] {
	return [process.execPath, [process.argv[1], '--root', root]];
}
