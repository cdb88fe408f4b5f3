import type {Command} from 'commander';
import {buildDemo} from '../../engine/demo/build-demo.js';
import {drain} from '../../engine/progress.js';
import type {CliContext} from '../context.js';
import {progressPrinter} from '../render-progress.js';

/** `strata demo`: fills the store with the demo images (offline), then says how to look at them. */
export function registerDemo(program: Command, context: CliContext): Command {
	return program
		.command('demo')
		.description('Add a set of demo images (built offline from demo/) to the store')
		.action(async () => {
			const store = await context.store();
			const result = await drain(buildDemo(store), progressPrinter(context.stderr as NodeJS.WriteStream));
			if (result.alreadyPresent) context.print('The demo images are already in the store.');
			else context.print(`Built ${result.imageCount} demo images (intermediate ones included).`);
			context.print(`Tags: ${result.tags.join(', ')}`);
			context.print('Run `strata` in a terminal to browse them, or `strata images -a` to list them.');
		});
}
