// Temp dirs that disappear after the test file, and a runner for the built CLI (dist/cli.js).
import {spawn} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {constants, tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {after} from 'node:test';
import {fileURLToPath} from 'node:url';

/** The repository root (where package.json is). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * The built CLI that runStrata() runs; `npm test` builds it first. $STRATA_TEST_CLI names a private build
 * instead (`npx tsc --outDir .mine-dist`), for a run that must not see a shared dist/ rebuilt under it.
 */
export const CLI_PATH = process.env.STRATA_TEST_CLI ? resolve(process.env.STRATA_TEST_CLI) : join(REPO_ROOT, 'dist', 'cli.js');

const dirs = new Set<string>();

function removeAll(): void {
	for (const dir of dirs) {
		dirs.delete(dir);
		try {
			rmSync(dir, {recursive: true, force: true, maxRetries: 3});
		} catch (error) {
			console.error(`warning: could not remove ${dir}: ${(error as Error).message}`);
		}
	}
}

// Registered when the test file imports this module (top level, so it belongs to the file's root test and runs
// once all of the file's tests are done). The exit hook catches dirs made after that, or a run that bails out.
after(removeAll);
process.once('exit', removeAll);

/** A fresh empty dir (under the OS temp dir) that is removed after the test file. */
export function tempDir(prefix = 'strata-test'): string {
	const dir = mkdtempSync(join(tmpdir(), `${prefix.replace(/[-/]+$/, '')}-`));
	dirs.add(dir);
	return dir;
}

export interface RunStrataOptions {
	/** STRATA_ROOT for the CLI: its store. */
	root: string;
	/** Written to the CLI's stdin (otherwise stdin is /dev/null). */
	input?: string | Buffer;
	/** Extra environment on top of process.env. */
	env?: NodeJS.ProcessEnv;
	cwd?: string;
	/** Kill the CLI after this long (default 120 s); code is then 137 (128 + SIGKILL). */
	timeoutMs?: number;
}

export interface RunStrataResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** Runs `node dist/cli.js ...args` with STRATA_ROOT=root and collects its output. */
export function runStrata(args: string[], opts: RunStrataOptions): Promise<RunStrataResult> {
	return new Promise((resolvePromise, reject) => {
		const child = spawn(process.execPath, [CLI_PATH, ...args], {
			cwd: opts.cwd ?? REPO_ROOT,
			env: {...process.env, ...opts.env, STRATA_ROOT: opts.root},
			stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
		});
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
		if (child.stdin) {
			child.stdin.on('error', () => {}); // EPIPE when the CLI exits without reading it all
			child.stdin.end(opts.input);
		}
		const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
		child.once('error', error => {
			clearTimeout(timer);
			reject(error);
		});
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			resolvePromise({
				code: code ?? 128 + (signal ? constants.signals[signal] : 0),
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
			});
		});
	});
}

/** Writes `files` (relative path -> content) under `dir`, making directories as needed; returns `dir`. */
export function writeTree(dir: string, files: Record<string, string>): string {
	for (const [path, content] of Object.entries(files)) {
		mkdirSync(join(dir, path, '..'), {recursive: true});
		writeFileSync(join(dir, path), content);
	}
	return dir;
}
