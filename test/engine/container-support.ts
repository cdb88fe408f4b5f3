// Shared by the container tests: a store root with the busybox image imported, and a cleanup that leaves
// nothing behind whatever a test did (running containers, their supervisors, overlay mounts), so a
// failed test never hangs the run or leaves a mount under /tmp. STRATA_TEST_CLI=path/to/cli.js runs the CLI
// tests against a private build (`tsc --outDir .my-dist`) when others rebuild dist/ during the run.
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync} from 'node:fs';
import {constants, tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before} from 'node:test';
import {busyboxTar} from '../support/busybox.js';
import {CLI_PATH, REPO_ROOT, type RunStrataResult} from '../support/tmp.js';

export const asRoot = process.getuid?.() === 0;
export const hasRunc = spawnSync('sh', ['-c', 'command -v runc || test -x /usr/sbin/runc']).status === 0;
export const hasCrun = spawnSync('sh', ['-c', 'command -v crun']).status === 0;
/** Containers need root (mounts, namespaces) and runc; in CI a missing one fails loudly instead. */
export const containerSkip: string | false = process.env.CI || (asRoot && hasRunc) ? false : 'containers need root and runc (apt-get install runc)';

/** A fresh store root for one test file; cleanUpStore(root) removes it. */
export function containerRoot(): string {
	return mkdtempSync(join(tmpdir(), 'strata-ctr-'));
}

/** The built CLI (dist/cli.js, or $STRATA_TEST_CLI's private build). */
export const cliPath = CLI_PATH;

/** The CLI against `root`, killed after `timeoutMs` (default 60 s) so that no test can hang. */
export function strataIn(root: string) {
	return (args: string[], options: {env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string} = {}): Promise<RunStrataResult> =>
		runCli(args, {root, timeoutMs: options.timeoutMs ?? 60_000, env: options.env, input: options.input});
}

/** runStrata with cliPath. */
function runCli(args: string[], options: {root: string; timeoutMs: number; env?: NodeJS.ProcessEnv; input?: string}): Promise<RunStrataResult> {
	return new Promise((resolvePromise, reject) => {
		const child = spawn(process.execPath, [cliPath, ...args], {
			cwd: REPO_ROOT,
			env: {...process.env, ...options.env, STRATA_ROOT: options.root},
			stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
		});
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
		if (child.stdin) {
			child.stdin.on('error', () => {});
			child.stdin.end(options.input);
		}
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
		child.once('error', error => {
			clearTimeout(timer);
			reject(error);
		});
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			resolvePromise({code: code ?? 128 + (signal ? constants.signals[signal] : 0), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8')});
		});
	});
}

/**
 * For the tests of a describe: before them, a store with busybox and a container `name` that ran `script`
 * to its (successful) end; after them, the clean-up. The fields are set once `before` has run.
 */
export function withExitedContainer(name: string, script: string): {root: string; strata: ReturnType<typeof strataIn>} {
	const context = {root: '', strata: strataIn('')};
	before(async () => {
		context.root = containerRoot();
		context.strata = strataIn(context.root);
		await importBusybox(context.root);
		const run = await context.strata(['run', '--name', name, '--network', 'none', 'busybox', 'sh', '-c', script], {timeoutMs: 300_000});
		if (run.code !== 0) throw new Error(`run ${name} failed: ${run.stderr}`);
	});
	after(() => cleanUpStore(context.root));
	return context;
}

/** Imports the offline busybox as busybox:latest (CMD sh), plus `changes`. Returns the image ID. */
/** For a describe: a fresh store with busybox before its tests, cleaned up after them (fields set by `before`). */
export function useBusyboxStore(): {readonly root: string; readonly strata: ReturnType<typeof strataIn>} {
	const fixture = {} as {root: string; strata: ReturnType<typeof strataIn>};
	before(async () => {
		fixture.root = containerRoot();
		fixture.strata = strataIn(fixture.root);
		await importBusybox(fixture.root);
	});
	after(() => cleanUpStore(fixture.root));
	return fixture;
}

export async function importBusybox(root: string, tag = 'busybox:latest', changes: string[] = ['CMD ["sh"]']): Promise<string> {
	const result = await strataIn(root)(['import', await busyboxTar(), tag, ...changes.flatMap(change => ['--change', change])]);
	if (result.code !== 0) throw new Error(`import failed: ${result.stderr}`);
	return result.stdout.trim();
}

function mountPointsUnder(root: string): string[] {
	const info = readFileSync('/proc/self/mountinfo', 'utf8');
	return info
		.split('\n')
		.map(line => line.split(' ')[4] ?? '')
		.map(field => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))))
		.filter(path => path.startsWith(`${root}/`))
		.sort((a, b) => b.length - a.length);
}

/** What a store still has mounted (tests assert this is empty after stop/rm). */
export function mountsUnder(root: string): string[] {
	return mountPointsUnder(root);
}

/**
 * Kills every container and supervisor of the store, unmounts everything under it and deletes it. Uses
 * the runtimes and /proc directly (not strata), so it works even when strata is what broke.
 */
export function cleanUpStore(root: string): void {
	const containers = join(root, 'containers');
	for (const id of existsSync(containers) ? readdirSync(containers).filter(name => /^[a-f\d]{64}$/.test(name)) : []) {
		try {
			const state = JSON.parse(readFileSync(join(containers, id, 'state.json'), 'utf8')) as {supervisorPid?: number};
			const pid = state.supervisorPid;
			if (pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(id)) process.kill(pid, 'SIGKILL');
		} catch {
			// Not running.
		}
	}
	for (const runtime of ['runc', 'crun']) {
		const stateRoot = join(root, 'runtime', runtime);
		if (!existsSync(stateRoot)) continue;
		for (const id of readdirSync(stateRoot)) {
			spawnSync(runtime, ['--root', stateRoot, 'delete', '--force', id], {timeout: 10_000});
		}
	}
	for (const mount of mountPointsUnder(root)) spawnSync('umount', ['-l', mount], {timeout: 10_000});
	try {
		rmSync(root, {recursive: true, force: true, maxRetries: 3});
	} catch (error) {
		console.error(`warning: could not remove ${root}: ${(error as Error).message}`);
	}
}

/** The container's state.json (as the supervisor wrote it). */
export function storedState(root: string, id: string): Record<string, unknown> {
	return JSON.parse(readFileSync(join(root, 'containers', id, 'state.json'), 'utf8')) as Record<string, unknown>;
}

/** Polls `check` every 50 ms until it returns true; throws after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 50));
	}
}

export function sh(script: string): string {
	return execFileSync('sh', ['-c', script], {encoding: 'utf8', timeout: 30_000});
}
