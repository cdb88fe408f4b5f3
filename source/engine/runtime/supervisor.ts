// The supervisor: one per started container, spawned by startContainer (node supervisor.cjs STORE ID
// MODE STDIN), possibly before the container exists: it loads, then waits for a line on fd 4 that says
// go (EOF instead: the start was called off, it exits). By then the starter has written the OCI bundle
// (root file system mounted, command checked). It runs the OCI runtime in the foreground (`runc run`), so
// the container's exit status comes back to it; it writes the container's output to container.log with
// timestamps, records the state (running, then exited with the code) atomically, unmounts the root file
// system and handles --rm. A detached one runs in its own session and outlives strata. It tells its
// starter whether the container started through fd 3 (one JSON line), then never talks to it again.
import {spawn} from 'node:child_process';
import {closeSync, existsSync, type FSWatcher, readFileSync, watch, writeSync} from 'node:fs';
import {readFile, rm} from 'node:fs/promises';
import {constants} from 'node:os';
import {Socket} from 'node:net';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {ContainerPaths} from '../containers/container-paths.js';
import type {ContainerRecord, ContainerState} from '../containers/container-record.js';
import {unmountFilesystem} from '../containers/container-filesystem.js';
import {withContainerLock} from '../containers/container-lock.js';
import {settleStoppedContainer} from '../containers/settle-stopped.js';
import {readStoredState, writeState} from '../containers/state-file.js';
import type {StoreLocation} from '../containers/store-location.js';
import {StorePaths} from '../store/paths.js';
import {ContainerLogWriter, type LogStream} from './log-writer.js';
import {OciRuntime, runtimeMessage} from './oci-runtime.js';
import {type StartReport, type SupervisorMode, type SupervisorStdin, startFailureExitCode} from './supervisor-protocol.js';

const [storeRoot, id, mode, stdinMode] = process.argv.slice(2) as [string, string, SupervisorMode, SupervisorStdin];

let reported = false;

/** Tells the starter how the start went; only the first report counts, and fd 3 is closed after it. */
function report(message: StartReport): void {
	if (reported) return;
	reported = true;
	try {
		writeSync(3, `${JSON.stringify(message)}\n`);
		closeSync(3);
	} catch {
		// The starter is gone (killed): the state file says it all.
	}
}

/** Whether to start: a line from the starter on fd 4 says so, EOF says the start was called off. */
function readOrder(): Promise<boolean> {
	return new Promise(resolve => {
		const orders = new Socket({fd: 4, readable: true, writable: false});
		let text = '';
		orders.on('data', (chunk: Buffer) => {
			text += chunk.toString('utf8');
			const newline = text.indexOf('\n');
			if (newline === -1) return;
			resolve(true);
			orders.destroy();
		});
		for (const event of ['end', 'close', 'error']) orders.once(event, () => resolve(false));
	});
}

async function main(): Promise<number> {
	if (!(await readOrder())) return 0;
	const store: StoreLocation = {paths: new StorePaths(storeRoot)};
	const paths = new ContainerPaths(store.paths);
	const record = JSON.parse(await readFile(paths.record(id), 'utf8')) as ContainerRecord;
	const previous = (await readStoredState(store, id)) ?? {status: 'created'};
	const runtime = OciRuntime.resolve(store.paths, record.hostConfig.runtime);
	const terminal = mode === 'tty';
	// The starter wrote the bundle (startContainer: mounted, command checked) while this process loaded.
	const bundle = paths.bundle(id);

	// A runtime that crashed (or a killed supervisor) can leave its state behind; `run` would refuse the ID.
	if (existsSync(join(runtime.stateRoot, id))) await runtime.forceDelete(id);
	const pidFile = join(bundle, 'init.pid');
	await rm(pidFile, {force: true});

	const logs = terminal ? undefined : await ContainerLogWriter.open(paths.log(id));
	const [command, ...args] = runtime.command(['run', '--bundle', bundle, '--pid-file', pidFile, id]) as [string, ...string[]];
	const stdin = stdinMode === 'inherit' ? 'inherit' : stdinMode === 'hold' ? 'pipe' : 'ignore';
	const child = spawn(command, args, {cwd: bundle, stdio: terminal ? 'inherit' : [stdin, 'pipe', 'pipe']});
	const forward = (signal: NodeJS.Signals) => child.kill(signal);
	for (const signal of ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const) process.on(signal, terminal && signal !== 'SIGTERM' ? () => {} : forward);
	// A closed terminal or a starter that went away must not take the bookkeeping down: the container's exit is still recorded.
	process.on('SIGHUP', () => {});

	// Output before the start is confirmed may be the runtime's own error; it goes to the log only once the container runs.
	let started = false;
	const early: Array<{stream: LogStream; chunk: Buffer}> = [];
	let tee = mode === 'attached';
	const deliver = (stream: LogStream, chunk: Buffer) => {
		logs?.write(stream, chunk);
		if (!tee) return;
		const target = stream === 'stdout' ? process.stdout : process.stderr;
		target.write(chunk);
	};
	for (const target of [process.stdout, process.stderr]) target.on('error', () => (tee = false));
	for (const stream of ['stdout', 'stderr'] as const) {
		child[stream]?.on('data', (chunk: Buffer) => (started ? deliver(stream, chunk) : early.push({stream, chunk})));
	}

	const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(resolve => child.once('close', (code, signal) => resolve({code, signal})));
	child.once('error', () => {});
	let running = true;
	void exited.then(() => {
		running = false;
	});
	let pid: number | undefined;
	// The runtime renames the pid file into place once the container exists: inotify tells at once (a
	// short container is often gone before a 5 ms poll would see it), the poll stays as a fallback.
	let wake = () => {};
	const bundleWatcher = watchQuietly(bundle, () => wake());
	try {
		while (running && pid === undefined) {
			pid = readPid(pidFile);
			if (pid === undefined) await Promise.race([sleep(5), exited, new Promise<void>(resolve => (wake = resolve))]);
		}
	} finally {
		// An open watcher would keep this process alive.
		bundleWatcher?.close();
	}
	pid ??= readPid(pidFile);

	const startedAt = new Date().toISOString();
	if (pid !== undefined) {
		// A container that is already gone (`run --rm IMAGE true`) is never recorded running: finish() records its exit next.
		if (running) await writeState(store, id, {status: 'running', pid, supervisorPid: process.pid, startedAt});
		report({started: pid});
		// Output held back so far goes first, in one synchronous step, so nothing newer overtakes it.
		for (const {stream, chunk} of early.splice(0)) deliver(stream, chunk);
		started = true;
	}

	const {code, signal} = await exited;
	const exitCode = code ?? 128 + (signal ? signalNumber(signal) : 0);
	if (!started) {
		await logs?.close();
		const stderr = Buffer.concat(early.filter(item => item.stream === 'stderr').map(item => item.chunk)).toString('utf8');
		const message = runtimeMessage(stderr) || `the OCI runtime ${record.hostConfig.runtime} exited with code ${exitCode} before the container started`;
		return failStart(store, record, previous, message, startFailureExitCode(message));
	}
	await logs?.close();
	await finish(store, record, runtime, {status: 'exited', exitCode, startedAt, finishedAt: new Date().toISOString()});
	await drainOutput();
	return exitCode;
}

/** Records a start that did not happen (Docker keeps such a container `created` with the code and error). */
async function failStart(store: StoreLocation, record: ContainerRecord, previous: ContainerState, message: string, exitCode: number): Promise<number> {
	report({failed: message, exitCode});
	const status = previous.startedAt ? 'exited' : 'created';
	const runtime = OciRuntime.resolve(store.paths, record.hostConfig.runtime);
	await finish(store, record, runtime, {status, exitCode, startedAt: previous.startedAt, finishedAt: new Date().toISOString(), error: message});
	return exitCode;
}

/** After the container: forget it in the runtime, then unmount and record the state, or remove it for --rm. */
async function finish(store: StoreLocation, record: ContainerRecord, runtime: OciRuntime, state: ContainerState): Promise<void> {
	if (existsSync(join(runtime.stateRoot, record.id))) await runtime.forceDelete(record.id);
	const paths = new ContainerPaths(store.paths);
	if (!existsSync(paths.dir(record.id))) return;
	// A long commit or export of this container may hold the lock: the exit must still be recorded, so wait it out.
	await withContainerLock(store, record.id, 'supervisor', () => settleStoppedContainer(store, record, state), {timeoutMs: 6 * 60 * 60 * 1000}).catch(async error => {
		// Removed meanwhile (`rm -f` won the race): nothing left to record.
		if (existsSync(paths.dir(record.id))) throw error;
	});
}

/** fs.watch of a directory, or undefined where it cannot be watched (the caller polls anyway). */
function watchQuietly(dir: string, listener: () => void): FSWatcher | undefined {
	try {
		const watcher = watch(dir, listener);
		watcher.on('error', () => watcher.close());
		return watcher;
	} catch {
		return undefined;
	}
}

function readPid(path: string): number | undefined {
	try {
		const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	} catch {
		return undefined;
	}
}

function signalNumber(signal: NodeJS.Signals): number {
	return (constants.signals as Record<string, number>)[signal] ?? 0;
}

/** Waits for the tee to the attached CLI to be written before exiting. */
async function drainOutput(): Promise<void> {
	await Promise.all([process.stdout, process.stderr].map(stream => new Promise<void>(resolve => (stream.writableNeedDrain ? stream.once('drain', resolve).once('error', () => resolve()) : resolve()))));
}

main().then(
	code => {
		process.exitCode = code;
	},
	async (error: unknown) => {
		const message = error instanceof Error ? error.message : String(error);
		report({failed: message, exitCode: 125});
		// Whatever failed, the state must not claim the container runs: record what happened.
		try {
			const store: StoreLocation = {paths: new StorePaths(storeRoot)};
			const previous = await readStoredState(store, id);
			if (previous) await writeState(store, id, {...previous, status: previous.status === 'running' ? 'dead' : previous.status, pid: undefined, supervisorPid: undefined, error: `supervisor: ${message}`});
			const record = JSON.parse(await readFile(new ContainerPaths(store.paths).record(id), 'utf8')) as ContainerRecord;
			await unmountFilesystem(store, record).catch(() => {});
		} catch {
			// Nothing more can be done; observedState reports the container dead.
		}
		process.exitCode = 125;
	},
);
