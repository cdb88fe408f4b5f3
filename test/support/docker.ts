// A private Docker daemon for tests: its own data-root, exec-root, socket and client config under a short
// temp dir in /tmp, so it never touches (or depends on) a system daemon. One daemon per test process:
// every startDocker() in a process returns the same daemon, and it stops when the last user calls stop()
// (or, as a safety net, when the process exits). Each test file runs in its own process, so files never share.
//
//	const dockerd = await startDocker();          // in before()
//	const {stdout} = await dockerd.docker(['images'], {check: true});
//	await dockerd.stop();                         // in after()
//
// In CI (CI is set) a missing dockerd is a failure, never a silent skip: use `skip: dockerSkip()`.
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {closeSync, createReadStream, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {basename, delimiter, join} from 'node:path';

export interface DockerRunOptions {
	/** Written to the command's stdin. */
	input?: string | Buffer;
	/** A file streamed to the command's stdin (for big tars). */
	inputFile?: string;
	/** Extra environment on top of the daemon's env. */
	env?: NodeJS.ProcessEnv;
	cwd?: string;
	/** Kill the command after this long (default 300 s). */
	timeoutMs?: number;
	/** Throw (with stderr) when the command exits non-zero. */
	check?: boolean;
}

export interface DockerResult {
	stdout: string;
	stderr: string;
	code: number;
}

export interface DockerDaemon {
	/** unix:///tmp/strata-dk-XXXXXX/docker.sock */
	host: string;
	/** process.env plus DOCKER_HOST and a private DOCKER_CONFIG: pass to anything that runs `docker`. */
	env: NodeJS.ProcessEnv;
	/** The temp dir holding data-root (d), exec-root (e), socket, config and daemon log. */
	dir: string;
	/** Runs the `docker` client against this daemon. */
	docker(args: string[], opts?: DockerRunOptions): Promise<DockerResult>;
	/** Releases this handle; the daemon stops when the last handle in the process is released. */
	stop(): Promise<void>;
}

const DIR_PREFIX = '/tmp/strata-dk-';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

function onPath(command: string): boolean {
	return (process.env.PATH ?? '').split(delimiter).some(dir => dir !== '' && existsSync(join(dir, command)));
}

/** True when a private daemon can be started here: dockerd and docker on PATH, running as root. */
export function dockerAvailable(): boolean {
	return onPath('dockerd') && onPath('docker') && process.getuid?.() === 0;
}

function unavailableReason(): string {
	if (!onPath('dockerd')) return 'dockerd is not on PATH (apt-get install docker.io)';
	if (!onPath('docker')) return 'the docker client is not on PATH (apt-get install docker.io)';
	return 'the test Docker daemon needs root';
}

/**
 * For `test(name, {skip: dockerSkip()}, ...)` / `describe(...)`: a skip reason when Docker can't run here,
 * but never in CI — there the tests run and startDocker() fails loudly instead.
 */
export function dockerSkip(): string | false {
	if (dockerAvailable() || process.env.CI) return false;
	return `Docker unavailable: ${unavailableReason()}`;
}

interface Daemon {
	dir: string;
	host: string;
	env: NodeJS.ProcessEnv;
	child: ChildProcess;
	exited: Promise<void>;
	hasExited: boolean;
}

let current: {daemon: Promise<Daemon>; refs: number} | undefined;
let exitHookInstalled = false;
const live = new Set<Daemon>();

export async function startDocker(): Promise<DockerDaemon> {
	if (!current) {
		const entry = {daemon: launch(), refs: 0};
		current = entry;
		entry.daemon.catch(() => {
			if (current === entry) current = undefined;
		});
	}
	const entry = current;
	const daemon = await entry.daemon;
	entry.refs++;
	let released = false;
	return {
		host: daemon.host,
		env: daemon.env,
		dir: daemon.dir,
		docker: (args, opts) => runDocker(daemon, args, opts),
		async stop() {
			if (released) return;
			released = true;
			entry.refs--;
			if (entry.refs > 0) return;
			if (current === entry) current = undefined;
			await shutdown(daemon);
		},
	};
}

async function launch(): Promise<Daemon> {
	if (!dockerAvailable()) {
		const why = unavailableReason();
		throw new Error(`Cannot start the test Docker daemon: ${why}${process.env.CI ? ' (CI is set, so this is a failure, not a skip)' : ''}`);
	}
	installExitHook();
	sweepStaleDaemons();
	const dir = mkdtempSync(DIR_PREFIX);
	writeFileSync(join(dir, 'owner'), `${process.pid}\n`);
	writeFileSync(join(dir, 'daemon.json'), '{}\n');
	mkdirSync(join(dir, 'config'));
	writeFileSync(join(dir, 'config', 'config.json'), '{}\n');
	const socket = join(dir, 'docker.sock');
	const host = `unix://${socket}`;
	const logPath = join(dir, 'dockerd.log');
	const log = openSync(logPath, 'a');
	const child = spawn('dockerd', [
		'--iptables=false',
		'--ip6tables=false',
		'--bridge=none',
		// dockerd uses a system containerd when /run/containerd/containerd.sock exists (else it runs its own
		// under the exec-root): private namespaces keep this daemon's containers apart from anyone else's there.
		'--containerd-namespace', basename(dir),
		'--containerd-plugins-namespace', `${basename(dir)}-plugins`,
		'--config-file', join(dir, 'daemon.json'),
		'--data-root', join(dir, 'd'),
		'--exec-root', join(dir, 'e'),
		'--pidfile', join(dir, 'dockerd.pid'),
		'-H', host,
	], {stdio: ['ignore', log, log]});
	closeSync(log);
	// Don't let the daemon hold the test process open; the exit hook stops it if nobody else did.
	child.unref();
	const env: NodeJS.ProcessEnv = {...process.env, DOCKER_HOST: host, DOCKER_CONFIG: join(dir, 'config')};
	for (const name of ['DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_API_VERSION']) delete env[name];
	let spawnError: Error | undefined;
	const daemon: Daemon = {
		dir,
		host,
		env,
		child,
		hasExited: false,
		exited: new Promise(resolve => {
			child.once('exit', () => resolve());
			child.once('error', error => {
				spawnError = error;
				resolve();
			});
		}),
	};
	void daemon.exited.then(() => {
		daemon.hasExited = true;
	});
	live.add(daemon);

	const fail = async (why: string): Promise<never> => {
		const tail = logTail(logPath);
		await shutdown(daemon);
		throw new Error(`Test Docker daemon failed to start: ${why}\n--- dockerd log (last lines) ---\n${tail}`);
	};
	const deadline = Date.now() + START_TIMEOUT_MS;
	let last: DockerResult | undefined;
	for (;;) {
		if (daemon.hasExited) return fail(spawnError ? `could not spawn dockerd: ${spawnError.message}` : `dockerd exited with ${describeExit(child)}`);
		if (existsSync(socket)) {
			last = await runDocker(daemon, ['version', '--format', '{{.Server.Version}}'], {timeoutMs: 10_000});
			if (last.code === 0) return daemon;
		}
		if (Date.now() > deadline) {
			const client = last ? `\n--- last \`docker version\` ---\n${last.stderr.trim()}` : '';
			return fail(`no answer from ${host} within ${START_TIMEOUT_MS / 1000} s${client}`);
		}
		await sleep(100);
	}
}

function describeExit(child: ChildProcess): string {
	return child.signalCode ? `signal ${child.signalCode}` : `code ${child.exitCode}`;
}

function runDocker(daemon: Daemon, args: string[], opts: DockerRunOptions = {}): Promise<DockerResult> {
	return new Promise((resolve, reject) => {
		const child = spawn('docker', args, {
			env: {...daemon.env, ...opts.env},
			cwd: opts.cwd,
			stdio: [opts.input !== undefined || opts.inputFile ? 'pipe' : 'ignore', 'pipe', 'pipe'],
		});
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 300_000);
		child.once('error', error => {
			clearTimeout(timer);
			reject(error);
		});
		if (child.stdin) {
			child.stdin.on('error', () => {}); // EPIPE when docker exits early; its stderr says why
			if (opts.inputFile) {
				const source = createReadStream(opts.inputFile);
				source.once('error', error => {
					child.kill('SIGKILL');
					reject(error);
				});
				source.pipe(child.stdin);
			} else {
				child.stdin.end(opts.input);
			}
		}
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			const result = {
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
				code: code ?? (signal ? 128 : 1),
			};
			if (opts.check && result.code !== 0) {
				reject(new Error(`docker ${args.join(' ')} exited ${signal ?? result.code}:\n${result.stderr || result.stdout}`));
			} else {
				resolve(result);
			}
		});
	});
}

async function shutdown(daemon: Daemon): Promise<void> {
	if (!live.has(daemon)) return;
	live.delete(daemon);
	if (!daemon.hasExited) {
		// dockerd gives each running container its stop timeout (10 s) on the way down: kill them first.
		const running = await runDocker(daemon, ['ps', '-q'], {timeoutMs: 10_000}).catch(() => undefined);
		const ids = running?.code === 0 ? running.stdout.split('\n').filter(Boolean) : [];
		if (ids.length > 0) await runDocker(daemon, ['kill', ...ids], {timeoutMs: 20_000}).catch(() => undefined);
		daemon.child.kill('SIGTERM');
		const killer = setTimeout(() => daemon.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
		await daemon.exited;
		clearTimeout(killer);
	}
	// dockerd stops its containerd on the way out; if it was killed instead, this ends what it left behind.
	stopDirSync(daemon.dir, undefined);
}

function sleep(ms: number): Promise<void> {
	return new Promise(resolve => setTimeout(resolve, ms));
}

function logTail(path: string, lines = 40): string {
	try {
		return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

// --- Cleanup that works synchronously (process exit, stale dirs from killed runs) ---

function isAlive(pid: number): boolean {
	try {
		// A zombie (exited, not yet reaped — e.g. our own child during process exit) counts as dead.
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
	} catch {
		return false;
	}
}

function readPid(path: string): number | undefined {
	try {
		const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
		return Number.isInteger(pid) && pid > 1 ? pid : undefined;
	} catch {
		return undefined;
	}
}

function waitSync(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Processes whose command line mentions dir: the daemon's containerd and shims (their args name its exec-root). */
function processesUsing(dir: string): number[] {
	const pids: number[] = [];
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
		try {
			if (readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').some(arg => arg.startsWith(dir + '/'))) pids.push(Number(name));
		} catch {}
	}
	return pids;
}

function killSync(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(pid, signal);
	} catch {}
}

/** Stops whatever still runs out of dir (dockerd first, politely), unmounts what is left under it, removes it. */
function stopDirSync(dir: string, dockerdPid: number | undefined): void {
	if (dockerdPid !== undefined && isAlive(dockerdPid)) {
		killContainersSync(dir);
		killSync(dockerdPid, 'SIGTERM');
		const deadline = Date.now() + STOP_TIMEOUT_MS;
		while (isAlive(dockerdPid) && Date.now() < deadline) waitSync(100);
		if (isAlive(dockerdPid)) killSync(dockerdPid, 'SIGKILL');
	}
	let leftovers = processesUsing(dir).filter(isAlive);
	if (leftovers.length > 0) {
		for (const pid of leftovers) killSync(pid, 'SIGTERM');
		const deadline = Date.now() + 5_000;
		while (leftovers.some(isAlive) && Date.now() < deadline) waitSync(100);
		leftovers = leftovers.filter(isAlive);
		for (const pid of leftovers) killSync(pid, 'SIGKILL');
		if (leftovers.length > 0) waitSync(200);
	}
	cleanDir(dir);
}

function killContainersSync(dir: string): void {
	const socket = join(dir, 'docker.sock');
	if (!existsSync(socket)) return;
	const env = {...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: join(dir, 'config')};
	const running = spawnSync('docker', ['ps', '-q'], {env, encoding: 'utf8', timeout: 10_000});
	const ids = running.status === 0 ? running.stdout.split('\n').filter(Boolean) : [];
	if (ids.length > 0) spawnSync('docker', ['kill', ...ids], {env, stdio: 'ignore', timeout: 20_000});
}

function decodeMountPath(field: string): string {
	return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

function mountsUnder(dir: string): string[] {
	let info: string;
	try {
		info = readFileSync('/proc/self/mountinfo', 'utf8');
	} catch {
		return [];
	}
	const points = info
		.split('\n')
		.map(line => line.split(' ')[4])
		.filter((field): field is string => field !== undefined)
		.map(decodeMountPath)
		.filter(point => point === dir || point.startsWith(dir + '/'));
	// Deepest first, each once.
	return [...new Set(points)].sort((a, b) => b.length - a.length);
}

function cleanDir(dir: string): void {
	for (let attempt = 0; attempt < 3; attempt++) {
		const points = mountsUnder(dir);
		if (points.length === 0) break;
		for (const point of points) {
			const result = spawnSync('umount', [point], {stdio: 'ignore'});
			if (result.status !== 0) spawnSync('umount', ['-l', point], {stdio: 'ignore'});
		}
	}
	try {
		rmSync(dir, {recursive: true, force: true, maxRetries: 3});
	} catch (error) {
		console.error(`warning: could not remove ${dir}: ${(error as Error).message}`);
	}
}

function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	const stopAll = () => {
		for (const daemon of live) {
			live.delete(daemon);
			stopDirSync(daemon.dir, daemon.child.pid);
		}
	};
	process.once('exit', stopAll);
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(signal, () => {
			stopAll();
			process.kill(process.pid, signal);
		});
	}
}

/**
 * Stops and removes test daemons left behind by test processes that died without cleaning up (killed,
 * timed out). A daemon dir is stale when the process recorded in its `owner` file is gone. Runs before each
 * start, and from .ci/run when it ends.
 */
export function sweepStaleDaemons(): void {
	let names: string[];
	try {
		names = readdirSync('/tmp');
	} catch {
		return;
	}
	const prefix = DIR_PREFIX.slice('/tmp/'.length);
	for (const name of names) {
		if (!name.startsWith(prefix)) continue;
		const dir = join('/tmp', name);
		const owner = readPid(join(dir, 'owner'));
		if (owner === undefined || owner === process.pid || isAlive(owner)) continue;
		stopDirSync(dir, readPid(join(dir, 'dockerd.pid')));
	}
}
