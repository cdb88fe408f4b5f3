import type {Command} from 'commander';
import {readContainer} from '../../../engine/containers/container-store.js';
import {removeContainer} from '../../../engine/containers/remove.js';
import {startContainer} from '../../../engine/containers/start.js';
import {killContainer, stopContainer} from '../../../engine/containers/stop.js';
import {isActive} from '../../../engine/containers/wait.js';
import {StrataError} from '../../../engine/errors.js';
import type {CliContext} from '../../context.js';
import {exitWith} from './exit-status.js';
import {waitAttached} from './run.js';

/**
 * Runs `action` for each named container like Docker: prints the name as given on success; failures are
 * collected and reported after the rest went.
 */
async function eachContainer(context: CliContext, names: string[], action: (name: string) => Promise<void>): Promise<void> {
	const errors: string[] = [];
	for (const name of names) {
		try {
			await action(name);
			context.print(name);
		} catch (error) {
			if (!(error instanceof StrataError)) throw error;
			errors.push(error.message);
		}
	}
	if (errors.length > 0) throw new StrataError(errors.join('\n'));
}

function seconds(value: string): number {
	const parsed = Number(value);
	if (!Number.isInteger(parsed)) throw new StrataError(`invalid time: ${value} (a whole number of seconds)`);
	return parsed;
}

export function registerStart(program: Command, context: CliContext): Command {
	return program
		.command('start')
		.description('Start one or more stopped containers')
		.option('-a, --attach', "attach stdout/stderr and exit with the container's code")
		.option('-i, --interactive', "attach the container's stdin")
		.argument('<containers...>')
		.action(async (names: string[], options: {attach?: boolean; interactive?: boolean}) => {
			const store = await context.store();
			if (options.attach || options.interactive) {
				if (names.length > 1) throw new StrataError('you cannot start and attach multiple containers at once');
				const {record} = await readContainer(store, names[0]!);
				const terminal = record.config.Tty && process.stdin.isTTY === true && options.interactive === true;
				const started = await startContainer(store, names[0]!, {mode: terminal ? 'tty' : 'attached', stdin: options.interactive});
				exitWith(await waitAttached(context, started));
				return;
			}
			await eachContainer(context, names, async name => {
				const {state} = await readContainer(store, name);
				// Docker: starting a running container is a no-op.
				if (isActive(state)) return;
				await startContainer(store, name);
			});
		});
}

export function registerStop(program: Command, context: CliContext): Command {
	return program
		.command('stop')
		.description('Stop one or more running containers')
		.option('-t, --time <seconds>', 'seconds to wait before killing it', seconds, 10)
		.argument('<containers...>')
		.action(async (names: string[], options: {time: number}) => {
			const store = await context.store();
			await eachContainer(context, names, async name => {
				await stopContainer(store, name, {timeoutSeconds: options.time});
			});
		});
}

export function registerKill(program: Command, context: CliContext): Command {
	return program
		.command('kill')
		.description('Kill one or more running containers')
		.option('-s, --signal <signal>', 'signal to send', 'KILL')
		.argument('<containers...>')
		.action(async (names: string[], options: {signal: string}) => {
			const store = await context.store();
			await eachContainer(context, names, async name => {
				await killContainer(store, name, options.signal);
			});
		});
}

export function registerRestart(program: Command, context: CliContext): Command {
	return program
		.command('restart')
		.description('Restart one or more containers')
		.option('-t, --time <seconds>', 'seconds to wait before killing it', seconds, 10)
		.argument('<containers...>')
		.action(async (names: string[], options: {time: number}) => {
			const store = await context.store();
			await eachContainer(context, names, async name => {
				const {state} = await readContainer(store, name);
				if (isActive(state) || state.status === 'dead') await stopContainer(store, name, {timeoutSeconds: options.time});
				await startContainer(store, name);
			});
		});
}

export function registerRm(program: Command, context: CliContext, commandName = 'rm'): Command {
	return program
		.command(commandName)
		.description('Remove one or more containers')
		.option('-f, --force', 'kill and remove a running container')
		.option('-v, --volumes', 'remove anonymous volumes too (strata has none)')
		.argument('<containers...>')
		.action(async (names: string[], options: {force?: boolean}) => {
			const store = await context.store();
			await eachContainer(context, names, async name => {
				await removeContainer(store, name, {force: options.force});
			});
		});
}
