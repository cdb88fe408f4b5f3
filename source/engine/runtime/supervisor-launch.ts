import {type ChildProcess, spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import type {StartReport, SupervisorMode, SupervisorStdin} from './supervisor-protocol.js';

/**
 * How to run supervisor.js beside this file: compiled (dist/source/engine/runtime/supervisor.js) it is
 * plain node; from the sources (tsx, tests) it is supervisor.ts through tsx's loader.
 */
function supervisorCommand(): string[] {
	const script = fileURLToPath(new URL(`./supervisor${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
	if (!script.endsWith('.ts')) return [script];
	return ['--import', import.meta.resolve('tsx'), script];
}

export type LaunchedSupervisor = {child: ChildProcess; report: Promise<StartReport | undefined>};

/**
 * Starts the supervisor for container `id`. Detached, it gets its own session and no stdio of ours, so
 * it outlives this process. Attached, it is in its own session too and sends the container's output
 * through pipes to us (child.stdout/stderr), so if we die it runs on and nobody waits on a pipe it
 * holds; tty, it shares our terminal and process group (the runtime must see the terminal's resizes).
 * It gets our stdin with `-i`. The returned report is its start line on fd 3, or undefined when it died
 * without one.
 */
export function launchSupervisor(storeRoot: string, id: string, mode: SupervisorMode, stdin: SupervisorStdin): LaunchedSupervisor {
	const detached = mode === 'detached';
	const child = spawn(process.execPath, [...supervisorCommand(), storeRoot, id, mode, stdin], {
		detached: mode !== 'tty',
		stdio: [stdin === 'inherit' || mode === 'tty' ? 'inherit' : 'ignore', ...(detached ? ['ignore', 'ignore'] : mode === 'attached' ? ['pipe', 'pipe'] : ['inherit', 'inherit']), 'pipe'] as Array<'pipe' | 'ignore' | 'inherit'>,
		// The supervisor must not inherit our cwd's mount (or keep it busy): it works with absolute paths.
		cwd: '/',
	});
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
	return {child, report};
}
