import type {Command} from 'commander';
import {readContainer} from '../../../engine/containers/container-store.js';
import {readLogs} from '../../../engine/containers/logs.js';
import {StrataError} from '../../../engine/errors.js';
import type {CliContext} from '../../context.js';

type LogsOptions = {follow?: boolean; tail: string; timestamps?: boolean};

export function registerLogs(program: Command, context: CliContext): Command {
	return program
		.command('logs')
		.description("Fetch the logs of a container (its stdout and stderr, on ours)")
		.option('-f, --follow', 'follow log output')
		.option('-n, --tail <lines>', "number of lines to show from the end ('all')", 'all')
		.option('-t, --timestamps', 'show timestamps')
		.argument('<container>')
		.action(async (name: string, options: LogsOptions) => {
			if (options.tail !== 'all' && !/^\d+$/.test(options.tail)) throw new StrataError(`invalid --tail value: ${options.tail}`);
			const store = await context.store();
			const {record} = await readContainer(store, name);
			let closed = false;
			context.stdout.once('error', () => (closed = true));
			const tail = options.tail === 'all' ? undefined : Number(options.tail);
			for await (const entry of readLogs(store, record, {follow: options.follow, tail, stopped: () => closed})) {
				const target = entry.stream === 'stderr' ? context.stderr : context.stdout;
				target.write(options.timestamps ? `${entry.time} ${entry.log}` : entry.log);
			}
		});
}
