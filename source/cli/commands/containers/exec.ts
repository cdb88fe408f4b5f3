import type {Command} from 'commander';
import {execInContainer} from '../../../engine/containers/exec.js';
import {StrataError} from '../../../engine/errors.js';
import {type CliContext, collect} from '../../context.js';
import {exitWith} from './exit-status.js';

type ExecFlags = {interactive?: boolean; tty?: boolean; env?: string[]; workdir?: string; user?: string};

export function registerExec(program: Command, context: CliContext): Command {
	return program
		.command('exec')
		.description('Execute a command in a running container')
		.option('-i, --interactive', 'keep stdin open')
		.option('-t, --tty', 'allocate a terminal')
		.option('-e, --env <K=V>', 'set an environment variable (repeatable)', collect)
		.option('-w, --workdir <dir>', 'working directory inside the container')
		.option('-u, --user <user>', 'user name or uid, optionally :group or :gid')
		.argument('<container>')
		.argument('<command...>')
		.passThroughOptions()
		.action(async (name: string, command: string[], flags: ExecFlags) => {
			const terminal = flags.tty === true && process.stdin.isTTY === true;
			if (flags.tty && flags.interactive && !terminal) throw new StrataError('the input device is not a TTY');
			const store = await context.store();
			const {exitCode} = await execInContainer(store, name, {command, env: flags.env, workdir: flags.workdir, user: flags.user, tty: terminal, interactive: flags.interactive});
			exitWith(await exitCode);
		});
}
