import type {Command} from 'commander';
import type {CliContext} from '../context.js';
import {registerInspect} from './inspect.js';
import {registerExec} from './containers/exec.js';
import {registerKill, registerRestart, registerRm, registerStart, registerStop} from './containers/lifecycle.js';
import {registerLogs} from './containers/logs.js';
import {registerContainerPrune} from './containers/prune.js';
import {registerPs} from './containers/ps.js';
import {registerCreate, registerRun} from './containers/run.js';

/** The container verbs at the top level, as `docker run`, `docker ps`... have them. */
export function registerContainerCommands(program: Command, context: CliContext): void {
	registerCreate(program, context);
	registerRun(program, context);
	registerStart(program, context);
	registerStop(program, context);
	registerKill(program, context);
	registerRestart(program, context);
	registerRm(program, context);
	registerPs(program, context);
	registerLogs(program, context);
	registerExec(program, context);
}

/** `strata container ...`: the same verbs plus ls, inspect and prune, as `docker container` has them. */
export function registerContainerGroup(program: Command, context: CliContext): Command {
	const container = program.command('container').description('Manage containers').enablePositionalOptions();
	registerContainerCommands(container, context);
	registerPs(container, context, 'ls', ['list']);
	registerInspect(container, context);
	registerContainerPrune(container, context);
	return container;
}
