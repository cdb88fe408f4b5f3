// Timing whole commands for the benchmarks: spawn to exit of a fresh process, and the median of a few.
import {spawn} from 'node:child_process';
import {loadavg} from 'node:os';

export interface TimedOptions {
	env?: NodeJS.ProcessEnv;
	cwd?: string;
}

/** Wall time of `command args` in ms; rejects with its stderr when it exits non-zero. */
export function timed(command: string, args: string[], options: TimedOptions = {}): Promise<number> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(command, args, {env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'ignore', 'pipe']});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('exit', code => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.trim()}`))));
	});
}

export function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}

/** The 1, 5 and 15 minute load averages, for the line that says how busy the machine was. */
export function loadAverage(): string {
	return loadavg()
		.map(value => value.toFixed(1))
		.join(' ');
}

/**
 * What a Node process's own start costs here (median `node -e 0` of 5) and whether NODE_EXTRA_CA_CERTS
 * is set, which makes Node parse certificates before any code runs (~37 ms on these machines): every
 * strata command pays it, a Go client does not, so the benchmarks say which it was.
 */
export async function nodeStartup(): Promise<{nodeStartupMs: number; extraCaCerts: boolean}> {
	const samples: number[] = [];
	for (let i = 0; i < 5; i++) samples.push(await timed(process.execPath, ['-e', '0']));
	return {nodeStartupMs: Math.round(median(samples)), extraCaCerts: Boolean(process.env.NODE_EXTRA_CA_CERTS)};
}
