import {type ChildProcess, spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {readFile, rm, writeFile} from 'node:fs/promises';
import {constants} from 'node:os';
import {join} from 'node:path';
import {StrataError} from '../errors.js';
import {processEnv} from '../runtime/bundle.js';
import {checkCommand} from '../runtime/command-lookup.js';
import {resolveUser} from '../runtime/container-user.js';
import {OciRuntime} from '../runtime/oci-runtime.js';
import type {Store} from '../store/store.js';
import {containerFilesystem, rootfsPath} from './container-filesystem.js';
import {ContainerPaths} from './container-paths.js';
import {readContainer} from './container-store.js';
import {expandEnv} from './create-options.js';
import {isActive} from './wait.js';

export type ExecOptions = {
	command: string[];
	/** `-e K=V`, on top of the container's environment. */
	env?: string[];
	/** `-w`: default the container's working dir. */
	workdir?: string;
	/** `-u`: default the container's user. */
	user?: string;
	/** `-t`: the runtime allocates a terminal and copies to ours (which must be one), with resize. */
	tty?: boolean;
	/** `-i`: our stdin goes to the process. */
	interactive?: boolean;
};

/**
 * `docker exec`: runs another process in a running container through the runtime (`runc exec`), with our
 * stdio, and resolves with its exit code. The command is looked up in the container first, so a
 * missing one is Docker's message and code (127) whatever the runtime.
 */
export async function execInContainer(store: Store, nameOrId: string, options: ExecOptions): Promise<{process: ChildProcess; exitCode: Promise<number>}> {
	const {record, state} = await readContainer(store, nameOrId);
	if (!isActive(state) || state.status === 'paused') throw new StrataError(`container ${record.id} is not running`);
	if (options.command.length === 0) throw new StrataError('exec: no command given');
	if (options.workdir !== undefined && options.workdir !== '' && !options.workdir.startsWith('/')) {
		throw new StrataError(`the working directory '${options.workdir}' is invalid, it needs to be an absolute path`);
	}
	const runtime = OciRuntime.resolve(store.paths, record.hostConfig.runtime);
	const rootfs = rootfsPath(containerFilesystem(store, record));
	const user = await resolveUser(rootfs, options.user ?? record.config.User);
	const extra = (options.env ?? []).flatMap(entry => expandEnv(entry));
	const env = processEnv(record, user, options.tty ?? false, extra);
	const cwd = options.workdir || record.config.WorkingDir || '/';
	const problem = await checkCommand(rootfs, options.command[0]!, env, cwd);
	if (problem) throw new StrataError(problem.message, problem.exitCode);
	// The whole process as a spec (`exec --process`, which runc and crun both take, unlike runc's
	// `--additional-gids`): the container's own process settings (capabilities, rlimits, no_new_privs)
	// with this command's user, groups, env, cwd and terminal, as containerd builds Docker's exec.
	const paths = new ContainerPaths(store.paths);
	const bundleProcess = await readFile(join(paths.bundle(record.id), 'config.json'), 'utf8')
		.then(text => (JSON.parse(text) as {process?: Record<string, unknown>}).process ?? {})
		.catch(() => ({}));
	const processSpec = {
		...bundleProcess,
		terminal: options.tty ?? false,
		user: {uid: user.uid, gid: user.gid, ...(user.additionalGids.length > 0 ? {additionalGids: user.additionalGids} : {})},
		args: options.command,
		env,
		cwd,
	};
	const processFile = join(paths.dir(record.id), `exec-${process.pid}-${randomBytes(4).toString('hex')}.json`);
	await writeFile(processFile, JSON.stringify(processSpec));
	const [command, ...rest] = runtime.command(['exec', '--process', processFile, record.id]) as [string, ...string[]];
	const child = spawn(command, rest, {stdio: [options.interactive || options.tty ? 'inherit' : 'ignore', 'inherit', 'inherit']});
	const exitCode = new Promise<number>((resolve, reject) => {
		child.once('error', error => reject(new StrataError(`exec in ${record.name}: ${error.message}`)));
		child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? signalNumber(signal) : 0)));
	}).finally(() => rm(processFile, {force: true}));
	return {process: child, exitCode};
}

function signalNumber(signal: NodeJS.Signals): number {
	return (constants.signals as Record<string, number>)[signal] ?? 0;
}
