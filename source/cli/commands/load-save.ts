import type {Command} from 'commander';
import {loadArchive} from '../../engine/archive/load.js';
import {saveArchive} from '../../engine/archive/save.js';
import {StrataError} from '../../engine/errors.js';
import {drain} from '../../engine/progress.js';
import type {CliContext} from '../context.js';
import {progressPrinter} from '../render-progress.js';

export function registerLoad(program: Command, context: CliContext, name = 'load'): Command {
	return program
		.command(name)
		.description('Load an image from a tar archive (Docker or OCI) or an OCI layout directory')
		.option('-i, --input <file>', 'read from a tar archive file or OCI layout directory, instead of STDIN', '-')
		.option('-q, --quiet', 'suppress the load output')
		.option('--format <format>', "'json' prints the result as JSON")
		.action(async (options: {input: string; quiet?: boolean; format?: string}) => {
			if (options.input === '-' && (context.stdin as NodeJS.ReadStream).isTTY) {
				throw new StrataError('requested load from stdin, but stdin is empty; use -i FILE');
			}
			const store = await context.store();
			const result = await drain(loadArchive(store, {file: options.input, stdin: context.stdin}), progressPrinter(context.stderr as NodeJS.WriteStream, !options.quiet));
			if (options.format === 'json') {
				context.print(JSON.stringify(result.loaded));
				return;
			}
			for (const image of result.loaded) {
				if (image.tags.length === 0) context.print(`Loaded image ID: ${image.id}`);
				for (const tag of image.tags) context.print(`Loaded image: ${tag}`);
			}
		});
}

export function registerSave(program: Command, context: CliContext, name = 'save'): Command {
	return program
		.command(name)
		.description('Save one or more images to a tar archive (streamed to STDOUT by default)')
		.argument('<images...>')
		.option('-o, --output <file>', 'write to a file, instead of STDOUT')
		.action(async (images: string[], options: {output?: string}) => {
			const output = options.output ?? '-';
			if (output === '-' && (context.stdout as NodeJS.WriteStream).isTTY) {
				throw new StrataError('cowardly refusing to save to a terminal. Use the -o flag or redirect');
			}
			const store = await context.store();
			await drain(saveArchive(store, {refs: images, output, stdout: context.stdout}), progressPrinter(context.stderr as NodeJS.WriteStream));
		});
}
