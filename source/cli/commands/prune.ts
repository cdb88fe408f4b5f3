import {createInterface} from 'node:readline/promises';
import type {Command} from 'commander';
import {pruneImages} from '../../engine/images/prune.js';
import type {CliContext} from '../context.js';
import {humanSize} from '../format/units.js';
import {printRemovals} from './rmi.js';

async function confirm(context: CliContext, question: string): Promise<boolean> {
	const readline = createInterface({input: context.stdin, output: context.stdout});
	try {
		const answer = await readline.question(question);
		return /^y(es)?$/i.test(answer.trim());
	} catch {
		return false;
	} finally {
		readline.close();
	}
}

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
				if (!(await confirm(context, `${warning}\nAre you sure you want to continue? [y/N] `))) return;
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
