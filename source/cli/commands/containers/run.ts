import type {Command} from 'commander';
import {createContainer, newContainerId} from '../../../engine/containers/create.js';
import type {CreateOptions} from '../../../engine/containers/create-options.js';
import {launchSupervisorAhead, type StartedContainer, startContainer} from '../../../engine/containers/start.js';
import {StrataError} from '../../../engine/errors.js';
import {drain} from '../../../engine/progress.js';
import {type CliContext, collect} from '../../context.js';
import {exitWith} from './exit-status.js';

type CreateFlags = {
	name?: string;
	env?: string[];
	envFile?: string[];
	workdir?: string;
	user?: string;
	entrypoint?: string;
	network?: string;
	net?: string;
	runtime?: string;
	interactive?: boolean;
	tty?: boolean;
	rm?: boolean;
};

type RunFlags = CreateFlags & {detach?: boolean};

/** The options `create` and `run` share (Docker's names). */
function addCreateOptions(command: Command): Command {
	return command
		.option('--name <name>', 'assign a name to the container')
		.option('-e, --env <K=V>', 'set an environment variable (repeatable)', collect)
		.option('--env-file <file>', 'read environment variables from a file (repeatable)', collect)
		.option('-w, --workdir <dir>', 'working directory inside the container')
		.option('-u, --user <user>', 'user name or uid, optionally :group or :gid')
		.option('--entrypoint <command>', "overwrite the image's entrypoint ('' clears it)")
		.option('--network <mode>', "'host' (default) or 'none' (an isolated network with only loopback)")
		.option('--net <mode>', 'alias of --network')
		.option('--runtime <runtime>', 'OCI runtime (default: the runtime setting, runc)')
		.option('-i, --interactive', 'keep stdin open')
		.option('-t, --tty', 'allocate a terminal')
		.option('--rm', 'remove the container when it exits')
		.argument('<image>')
		.argument('[command...]')
		.passThroughOptions();
}

function networkMode(flags: CreateFlags): 'host' | 'none' {
	const mode = flags.network ?? flags.net ?? 'host';
	if (mode === 'host' || mode === 'none') return mode;
	throw new StrataError(`network ${mode} not found: strata supports --network host and --network none`);
}

function toCreateOptions(image: string, command: string[], flags: CreateFlags): CreateOptions {
	return {
		image,
		command,
		name: flags.name,
		env: flags.env,
		envFiles: flags.envFile,
		workdir: flags.workdir,
		user: flags.user,
		entrypoint: flags.entrypoint,
		network: networkMode(flags),
		runtime: flags.runtime,
		tty: flags.tty,
		interactive: flags.interactive,
		autoRemove: flags.rm,
	};
}

/** Docker's `run` exits 125 when the container could not be made (its own failures, not the container's). */
function asRunFailure(error: unknown): never {
	if (error instanceof StrataError && error.exitCode === 1) throw new StrataError(error.message, 125);
	throw error;
}

function toCreateOptionsOrFail(image: string, command: string[], flags: CreateFlags): CreateOptions {
	try {
		return toCreateOptions(image, command, flags);
	} catch (error) {
		return asRunFailure(error);
	}
}

export function registerCreate(program: Command, context: CliContext): Command {
	return addCreateOptions(program.command('create').description('Create a new container'))
		.action(async (image: string, command: string[], flags: CreateFlags) => {
			const store = await context.store();
			const record = await drain(createContainer(store, toCreateOptionsOrFail(image, command, flags))).catch(asRunFailure);
			context.print(record.id);
		});
}

/**
 * Waits for an attached container: copies its output to ours and forwards our SIGINT/SIGTERM/SIGHUP
 * to it (Docker's sig-proxy; the supervisor passes them on to the runtime). Resolves with its exit
 * code once the output is all written.
 */
export async function waitAttached(context: CliContext, started: StartedContainer): Promise<number> {
	const forward = (signal: NodeJS.Signals) => {
		try {
			process.kill(started.supervisorPid, signal);
		} catch {
			// Already gone.
		}
	};
	const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
	for (const signal of signals) process.on(signal, forward);
	try {
		const copies = started.output
			? [copy(started.output.stdout, context.stdout), copy(started.output.stderr, context.stderr)]
			: [];
		const code = (await started.exited) ?? 0;
		await Promise.all(copies);
		return code;
	} finally {
		for (const signal of signals) process.off(signal, forward);
	}
}

function copy(from: NodeJS.ReadableStream, to: NodeJS.WritableStream): Promise<void> {
	return new Promise(resolve => {
		from.on('data', (chunk: Buffer) => to.write(chunk));
		from.once('end', resolve);
		from.once('error', () => resolve());
		from.once('close', resolve);
	});
}

export function registerRun(program: Command, context: CliContext): Command {
	return addCreateOptions(program.command('run').description('Create and run a new container from an image'))
		.option('-d, --detach', 'run in the background and print the container ID')
		.action(async (image: string, command: string[], flags: RunFlags) => {
			if (flags.detach && flags.rm === undefined) flags.rm = false;
			const terminal = flags.tty === true && !flags.detach && process.stdin.isTTY === true;
			if (flags.tty && flags.interactive && !flags.detach && !terminal) throw new StrataError('the input device is not a TTY', 125);
			const store = await context.store();
			const options = {...toCreateOptionsOrFail(image, command, flags), id: newContainerId()};
			const mode = flags.detach ? 'detached' : terminal ? 'tty' : 'attached';
			// The supervisor's Node start-up runs while the container is created (most of a short run's time otherwise).
			const supervisor = launchSupervisorAhead(store, options.id, {mode, stdin: flags.interactive});
			const record = await drain(createContainer(store, options)).catch(error => {
				supervisor.cancel();
				return asRunFailure(error);
			});
			const started = await startContainer(store, record.id, {mode, stdin: flags.interactive, supervisor});
			if (flags.detach) {
				context.print(record.id);
				return;
			}
			exitWith(await waitAttached(context, started));
		});
}
