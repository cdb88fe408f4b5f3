import {type ChildProcess, spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import type {StartReport, SupervisorMode, SupervisorStdin} from './supervisor-protocol.js';

/**
 * How to run the supervisor: in a build, dist/supervisor.cjs beside the code that launches it (the CLI's
 * bundle or the TUI's chunks, all flat in dist/), plain node; from the sources (tsx, tests), supervisor.ts
 * through tsx's loader.
 */
function supervisorCommand(): string[] {
	if (!import.meta.url.endsWith('.ts')) return [fileURLToPath(new URL('./supervisor.cjs', import.meta.url))];
	return ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('./supervisor.ts', import.meta.url))];
}

export type LaunchedSupervisor = {
	child: ChildProcess;
	/**
	 * Tells it to start the container (it loads its code meanwhile, so a caller can launch it before the
	 * container exists, see launchSupervisorAhead). Resolves with its start line on fd 3, or undefined
	 * when it died without one. Call once, with the container's lock held.
	 */
	start(): Promise<StartReport | undefined>;
	/** Lets it go without a container (the create it waited for failed): it exits and is not waited for. */
	cancel(): void;
};

/**
 * The supervisor's environment: ours, less what only slows its start. NODE_EXTRA_CA_CERTS makes Node read
 * and parse the named certificates before any code runs (~35 ms for Debian's bundle of ~140, measured),
 * and the supervisor makes no TLS connection; every container start waits for it.
 */
function supervisorEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	const {NODE_EXTRA_CA_CERTS: _certificates, ...rest} = env;
	return rest;
}

/**
 * Starts the supervisor of container `id` (which may not exist yet), waiting on fd 4 for the word to go:
 * its command line holds the ID, which is how ps tells it from a stranger that got its pid. Detached, it
 * gets its own session and no stdio of ours, so it outlives this process. Attached, it is in its own
 * session too and sends the container's output through pipes to us (child.stdout/stderr), so if we die
 * it runs on and nobody waits on a pipe it holds; tty, it shares our terminal and process group (the
 * runtime must see the terminal's resizes). It gets our stdin with `-i`.
 */
export function launchSupervisor(storeRoot: string, id: string, mode: SupervisorMode, stdin: SupervisorStdin): LaunchedSupervisor {
	const detached = mode === 'detached';
	const output = detached ? ['ignore', 'ignore'] : mode === 'attached' ? ['pipe', 'pipe'] : ['inherit', 'inherit'];
	const child = spawn(process.execPath, [...supervisorCommand(), storeRoot, id, mode, stdin], {
		detached: mode !== 'tty',
		stdio: [stdin === 'inherit' || mode === 'tty' ? 'inherit' : 'ignore', ...output, 'pipe', 'pipe'] as Array<'pipe' | 'ignore' | 'inherit'>,
		// The supervisor must not inherit our cwd's mount (or keep it busy): it works with absolute paths.
		cwd: '/',
		env: supervisorEnvironment(process.env),
	});
	child.once('error', () => {});
	const orders = child.stdio[4] as NodeJS.WritableStream & {destroy(): void};
	orders.on('error', () => {});
	const channel = child.stdio[3] as NodeJS.ReadableStream & {destroy(): void};
	const report = new Promise<StartReport | undefined>(resolve => {
		let text = '';
		channel.on('data', (chunk: Buffer) => {
			text += chunk.toString('utf8');
			const newline = text.indexOf('\n');
			if (newline !== -1) {
				resolve(JSON.parse(text.slice(0, newline)) as StartReport);
				channel.destroy();
			}
		});
		channel.on('error', () => resolve(undefined));
		channel.on('close', () => resolve(undefined));
		child.once('error', () => resolve(undefined));
	});
	return {
		child,
		start() {
			orders.end('start\n');
			return report;
		},
		cancel() {
			orders.destroy();
			channel.destroy();
			child.stdout?.destroy();
			child.stderr?.destroy();
			child.unref();
		},
	};
}
