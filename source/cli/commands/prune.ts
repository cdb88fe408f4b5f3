import type {Command} from 'commander';
import {pruneImages} from '../../engine/images/prune.js';
import {confirm} from '../confirm.js';
import type {CliContext} from '../context.js';
import {humanSize} from '../format/units.js';
import {printRemovals} from './rmi.js';

export function registerImagePrune(image: Command, context: CliContext): Command {
	return image
		.command('prune')
		.description('Remove unused images')
		.option('-a, --all', 'remove all unused images, not just dangling ones')
		.option('-f, --force', 'do not prompt for confirmation')
		.action(async (options: {all?: boolean; force?: boolean}) => {
			if (!options.force) {
				const warning = options.all
					? 'WARNING! This will remove all images without at least one container associated to them.'
					: 'WARNING! This will remove all dangling images.';
				if (!(await confirm(context, `${warning}\nAre you sure you want to continue? [y/N] `, 'image prune'))) return;
			}
			const result = await pruneImages(await context.store(), {all: options.all});
			if (result.records.length > 0) {
				context.print('Deleted Images:');
				printRemovals(context, result.records, 'prune');
				context.print('');
			}
			context.print(`Total reclaimed space: ${humanSize(result.spaceReclaimed, 4)}`);
		});
}
