import type {Command} from 'commander';
import {importImage} from '../../engine/images/import.js';
import {drain} from '../../engine/progress.js';
import {type CliContext, collect} from '../context.js';
import {progressPrinter} from '../render-progress.js';

export function registerImport(program: Command, context: CliContext): Command {
	return program
		.command('import')
		.description('Import the contents from a tarball (tar, tar.gz), a directory or - (stdin) to create a filesystem image')
		.argument('<source>', 'file|dir|-')
		.argument('[reference]', 'REPOSITORY[:TAG]')
		.option('-c, --change <instruction>', 'apply a Dockerfile instruction to the created image', collect)
		.option('-m, --message <message>', 'set the commit message for the imported image')
		.option('--format <format>', "'json' prints the result as JSON")
		.action(async (source: string, reference: string | undefined, options: {change?: string[]; message?: string; format?: string}) => {
			const store = await context.store();
			const record = await drain(
				importImage(store, {source, reference, changes: options.change, message: options.message, stdin: context.stdin}),
				progressPrinter(context.stderr as NodeJS.WriteStream),
			);
			if (options.format === 'json') context.print(JSON.stringify({ID: record.id, Size: record.size}));
			else context.print(record.id);
		});
}
