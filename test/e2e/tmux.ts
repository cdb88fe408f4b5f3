// The built CLI in a real terminal: a detached tmux session on a private server (`tmux -L strata-e2e-<pid>`,
// no user config), driven with send-keys and read with capture-pane: what a user sees, as text.
//
// The child runs with CI unset: Ink draws only the last frame when CI is set, and chalk turns colours off.
import {execFile, execFileSync} from 'node:child_process';
import {chmodSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {CLI_PATH, REPO_ROOT} from '../support/tmp.js';

const run = promisify(execFile);

/** The private tmux server of this process. */
export const TMUX_SOCKET = `strata-e2e-${process.pid}`;

/** Whether tmux can be run here. */
export function haveTmux(): boolean {
	try {
		execFileSync('tmux', ['-V'], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
}

export type SessionOptions = {
	/** Scratch dir for the wrapper script. */
	dir: string;
	/** STRATA_ROOT of the TUI. */
	root: string;
	/** Settings dir (STRATA_CONFIG_DIR): a fresh one keeps a user's key bindings out of the test. */
	configDir: string;
	width: number;
	height: number;
	/** Arguments of the CLI (none: the TUI). */
	args?: string[];
	/** More environment for the CLI. */
	env?: Record<string, string>;
};

/** Text printed by the shell before the TUI starts and after it ends, to tell the screens apart. */
export const BEFORE_MARKER = 'e2e: the shell before strata';
export const AFTER_MARKER = 'e2e: strata exited with';

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

let sessions = 0;

/** One terminal running `strata` (by way of a shell that prints markers before and after it). */
export class TmuxSession {
	readonly name: string;

	private constructor(name: string) {
		this.name = name;
	}

	static async start(options: SessionOptions): Promise<TmuxSession> {
		const name = `s${++sessions}`;
		const script = join(options.dir, `${name}.sh`);
		const env = {
			STRATA_ROOT: options.root,
			STRATA_CONFIG_DIR: options.configDir,
			XDG_CONFIG_HOME: options.configDir,
			TERM: 'xterm-256color',
			LANG: 'C.UTF-8',
			...options.env,
		};
		// env -u: the tmux server inherits this process's environment (CI=true in CI; NO_COLOR/FORCE_COLOR would
		// change what is drawn).
		const command = [
			'env',
			'-u CI -u NO_COLOR -u FORCE_COLOR -u TMUX',
			...Object.entries(env).map(([key, value]) => shellQuote(`${key}=${value}`)),
			shellQuote(process.execPath),
			shellQuote(CLI_PATH),
			...(options.args ?? []).map(shellQuote),
		].join(' ');
		writeFileSync(
			script,
			[
				'#!/bin/sh',
				`cd ${shellQuote(REPO_ROOT)}`,
				`printf '%s\\n' ${shellQuote(BEFORE_MARKER)}`,
				command,
				`printf '%s %s\\n' ${shellQuote(AFTER_MARKER)} "$?"`,
				// Keep the pane open, showing what the TUI left behind, until the test kills the session.
				'exec sleep 600',
				'',
			].join('\n'),
		);
		chmodSync(script, 0o755);
		await tmux('-f', '/dev/null', 'new-session', '-d', '-x', String(options.width), '-y', String(options.height), '-s', name, script);
		socketPath ??= (await tmux('display-message', '-p', '-t', name, '#{socket_path}')).stdout.trim() || undefined;
		return new TmuxSession(name);
	}

	/** The screen as text (`colors`: with SGR escapes, as `capture-pane -e`). */
	async capture(options: {colors?: boolean} = {}): Promise<string> {
		const {stdout} = await tmux('capture-pane', '-p', ...(options.colors ? ['-e'] : []), '-t', this.name);
		return stdout;
	}

	/** Keys as tmux names them (`j`, `Enter`, `Escape`, `Tab`, `C-c`): each argument one key. */
	async keys(...keys: string[]): Promise<void> {
		for (const key of keys) await tmux('send-keys', '-t', this.name, key);
	}

	/** Text typed as is (one write: the TUI may read it as one chunk). */
	async type(text: string): Promise<void> {
		await tmux('send-keys', '-t', this.name, '-l', text);
	}

	/** A tmux format of the pane: `#{alternate_on}`, `#{cursor_flag}`, `#{pane_width}`. */
	async format(format: string): Promise<string> {
		const {stdout} = await tmux('display-message', '-p', '-t', this.name, format);
		return stdout.trim();
	}

	async resize(width: number, height: number): Promise<void> {
		await tmux('resize-window', '-t', this.name, '-x', String(width), '-y', String(height));
	}

	/**
	 * Polls the screen until `expected` holds (a string it contains, a pattern, or a predicate), then
	 * returns it; fails after `timeoutMs` showing the last screen.
	 */
	async waitFor(expected: string | RegExp | ((screen: string) => boolean), options: {timeoutMs?: number; colors?: boolean; what?: string} = {}): Promise<string> {
		const timeoutMs = options.timeoutMs ?? 15_000;
		const test = typeof expected === 'function' ? expected : typeof expected === 'string' ? (screen: string) => screen.includes(expected) : (screen: string) => expected.test(screen);
		const started = Date.now();
		let screen = '';
		for (;;) {
			screen = await this.capture({colors: options.colors});
			if (test(screen)) return screen;
			if (Date.now() - started > timeoutMs) {
				const what = options.what ?? (typeof expected === 'function' ? 'the expected screen' : String(expected));
				throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the screen:\n${options.colors ? screen.replace(/\x1b/g, '^[') : screen}`);
			}
			await new Promise(resolve => setTimeout(resolve, 50));
		}
	}

	/** The pid of the CLI (the child of the pane's shell). */
	async cliPid(): Promise<number> {
		const shell = Number(await this.format('#{pane_pid}'));
		const children = childrenOf(shell);
		if (children.length !== 1) throw new Error(`expected one child of the pane's shell ${shell}, found [${children.join(', ')}]`);
		return children[0]!;
	}

	/**
	 * Runs `send` while the CLI is stopped (SIGSTOP ... SIGCONT): what it sends waits in the terminal and
	 * reaches the CLI in one read, as keys typed while it is busy do.
	 */
	async whileStopped(send: () => Promise<void>): Promise<void> {
		const pid = await this.cliPid();
		process.kill(pid, 'SIGSTOP');
		try {
			await send();
			await new Promise(resolve => setTimeout(resolve, 100));
		} finally {
			process.kill(pid, 'SIGCONT');
		}
	}

	async kill(): Promise<void> {
		await tmux('kill-session', '-t', this.name).catch(() => {});
	}
}

/** The pids whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
	try {
		return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
	} catch {
		// Kernels without CONFIG_PROC_CHILDREN: the parent pid is field 4 of /proc/PID/stat.
		return readdirSync('/proc')
			.filter(name => /^\d+$/.test(name))
			.filter(name => {
				try {
					const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
					return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
				} catch {
					return false;
				}
			})
			.map(Number);
	}
}

let socketPath: string | undefined;

// A run that ends without the test's `after` (a bail-out, an uncaught error) still takes its terminals down.
process.once('exit', () => {
	try {
		execFileSync('tmux', ['-L', TMUX_SOCKET, 'kill-server'], {stdio: 'ignore', timeout: 5000});
	} catch {}
	if (socketPath) rmSync(socketPath, {force: true});
});

/** Ends this process's tmux server (its sessions with it) and removes its socket, which tmux 3.3 can leave. */
export async function killTmuxServer(): Promise<void> {
	await tmux('kill-server').catch(() => {});
	if (socketPath) rmSync(socketPath, {force: true});
}

function tmux(...args: string[]): Promise<{stdout: string; stderr: string}> {
	// -u and a UTF-8 locale: the panes' box drawing and symbols are kept, not replaced by `_`.
	return run('tmux', ['-u', '-L', TMUX_SOCKET, ...args], {timeout: 10_000, env: {...process.env, TMUX: '', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8'}});
}
