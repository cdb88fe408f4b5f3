import type {Command} from 'commander';
import {StrataError} from '../../engine/errors.js';
import {type RemovalRecord, removeImage} from '../../engine/images/remove.js';
import type {CliContext} from '../context.js';

export function printRemovals(context: CliContext, records: RemovalRecord[], style: 'rmi' | 'prune' = 'rmi'): void {
	for (const record of records) {
		if ('untagged' in record) context.print(`${style === 'rmi' ? 'Untagged' : 'untagged'}: ${record.untagged}`);
		else context.print(`${style === 'rmi' ? 'Deleted' : 'deleted'}: ${record.deleted}`);
	}
}

/** `docker rmi`: each argument on its own; errors are reported and the rest still go. */
export async function runRmi(context: CliContext, images: string[], options: {force?: boolean; prune: boolean}): Promise<void> {
	const store = await context.store();
	const errors: string[] = [];
	for (const image of images) {
		try {
			const records = await store.write('rmi', async tx => removeImage(tx, image, {force: options.force, prune: options.prune}));
			printRemovals(context, records);
		} catch (error) {
			if (!(error instanceof StrataError)) throw error;
			errors.push(error.message);
		}
	}
	if (errors.length > 0) throw new StrataError(errors.join('\n'));
}

export function registerRmi(program: Command, context: CliContext, name = 'rmi'): Command {
	return program
		.command(name)
		.description('Remove one or more images')
		.argument('<images...>')
		.option('-f, --force', 'force removal of the image')
		.option('--no-prune', 'do not delete untagged parents')
		.action((images: string[], options: {force?: boolean; prune: boolean}) => runRmi(context, images, options));
}
