import type {Command} from 'commander';
import {pruneContainers} from '../../../engine/containers/remove.js';
import {confirm} from '../../confirm.js';
import type {CliContext} from '../../context.js';
import {humanSize} from '../../format/units.js';

export function registerContainerPrune(container: Command, context: CliContext): Command {
	return container
		.command('prune')
		.description('Remove all stopped containers')
		.option('-f, --force', 'do not prompt for confirmation')
		.action(async (options: {force?: boolean}) => {
			if (!options.force && !(await confirm(context, 'WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ', 'container prune'))) return;
			const {removed, spaceReclaimed} = await pruneContainers(await context.store());
			if (removed.length > 0) {
				context.print('Deleted Containers:');
				for (const record of removed) context.print(record.id);
				context.print('');
			}
			context.print(`Total reclaimed space: ${humanSize(spaceReclaimed, 4)}`);
		});
}
