import {type ChildProcess, spawn} from 'node:child_process';
import {constants} from 'node:os';
import {StrataError} from '../errors.js';
import {processEnv} from '../runtime/bundle.js';
import {checkCommand} from '../runtime/command-lookup.js';
import {resolveUser} from '../runtime/container-user.js';
import {OciRuntime} from '../runtime/oci-runtime.js';
import type {Store} from '../store/store.js';
import {containerFilesystem, rootfsPath} from './container-filesystem.js';
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
	const args = ['exec', '--cwd', cwd, '--user', `${user.uid}:${user.gid}`];
	for (const gid of user.additionalGids) args.push('--additional-gids', String(gid));
	for (const entry of env) args.push('--env', entry);
	if (options.tty) args.push('--tty');
	args.push(record.id, ...options.command);
	const [command, ...rest] = runtime.command(args) as [string, ...string[]];
	const child = spawn(command, rest, {stdio: [options.interactive || options.tty ? 'inherit' : 'ignore', 'inherit', 'inherit']});
	const exitCode = new Promise<number>((resolve, reject) => {
		child.once('error', error => reject(new StrataError(`exec in ${record.name}: ${error.message}`)));
		child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? signalNumber(signal) : 0)));
	});
	return {process: child, exitCode};
}

function signalNumber(signal: NodeJS.Signals): number {
	return (constants.signals as Record<string, number>)[signal] ?? 0;
}
