import type {Command} from 'commander';
import {commitContainer} from '../../engine/containers/commit.js';
import {copyFiles} from '../../engine/containers/copy.js';
import {containerDiff} from '../../engine/containers/diff.js';
import {exportContainer} from '../../engine/containers/export.js';
import {StrataError} from '../../engine/errors.js';
import {drain} from '../../engine/progress.js';
import {type CliContext, collect} from '../context.js';
import {humanSize} from '../format/units.js';
import {progressPrinter} from '../render-progress.js';

/** `docker diff`: one `A|C|D /path` line per change. */
export function registerDiff(program: Command, context: CliContext): Command {
	return program
		.command('diff')
		.description("Inspect changes to files or directories on a container's filesystem")
		.argument('<container>')
		.action(async (container: string) => {
			const store = await context.store();
			for (const change of await containerDiff(store, container)) context.print(`${change.kind} ${change.path}`);
		});
}

/** `docker commit`: prints the new image's ID (`sha256:...`). */
export function registerCommit(program: Command, context: CliContext): Command {
	return program
		.command('commit')
		.description("Create a new image from a container's changes")
		.argument('<container>')
		.argument('[reference]', 'REPOSITORY[:TAG]')
		.option('-a, --author <author>', 'author (e.g., "John Hannibal Smith <hannibal@a-team.com>")')
		.option('-m, --message <message>', 'commit message')
		.option('-c, --change <instruction>', 'apply a Dockerfile instruction to the created image', collect)
		.option('-p, --pause', 'pause the container during commit (default)', true)
		.option('--no-pause', 'do not pause a running container during commit')
		.action(async (container: string, reference: string | undefined, options: {author?: string; message?: string; change?: string[]; pause: boolean}) => {
			const store = await context.store();
			const image = await drain(
				commitContainer(store, {container, reference, author: options.author, message: options.message, changes: options.change, pause: options.pause}),
				progressPrinter(context.stderr as NodeJS.WriteStream),
			);
			context.print(image.id);
		});
}

/** `docker cp`: `Successfully copied <size> to <destination>` on a terminal's stderr, unless quiet (Docker's CLI too). */
export function registerCp(program: Command, context: CliContext): Command {
	return program
		.command('cp')
		.description('Copy files/folders between a container and the local filesystem')
		.argument('<source>', 'CONTAINER:SRC_PATH, a local path, or - (a tar on stdin)')
		.argument('<destination>', 'CONTAINER:DEST_PATH, a local path, or - (a tar on stdout)')
		.option('-a, --archive', 'archive mode (copy all uid/gid information)')
		.option('-L, --follow-link', 'always follow symbol link in SRC_PATH')
		.option('-q, --quiet', 'suppress progress output during copy (always quiet when stderr is not a terminal)')
		.action(async (source: string, destination: string, options: {archive?: boolean; followLink?: boolean; quiet?: boolean}) => {
			if (destination === '-' && (context.stdout as NodeJS.WriteStream).isTTY) {
				throw new StrataError('cowardly refusing to write a tar archive to a terminal. Redirect the output');
			}
			const store = await context.store();
			const result = await drain(
				copyFiles(store, {source, destination, archive: options.archive, followLink: options.followLink, stdin: context.stdin, stdout: context.stdout}),
				progressPrinter(context.stderr as NodeJS.WriteStream, !options.quiet),
			);
			const terminal = (context.stderr as NodeJS.WriteStream).isTTY;
			if (terminal && !options.quiet && result.destination !== '-') context.stderr.write(`Successfully copied ${humanSize(result.bytes)} to ${result.destination}\n`);
		});
}

/** `docker export`: the container's file system as a tar, to a file or a redirected stdout. */
export function registerExport(program: Command, context: CliContext): Command {
	return program
		.command('export')
		.description("Export a container's filesystem as a tar archive")
		.argument('<container>')
		.option('-o, --output <file>', 'write to a file, instead of STDOUT')
		.action(async (container: string, options: {output?: string}) => {
			const output = options.output ?? '-';
			if (output === '-' && (context.stdout as NodeJS.WriteStream).isTTY) {
				throw new StrataError('cowardly refusing to save to a terminal. Use the -o flag or redirect');
			}
			const store = await context.store();
			await drain(exportContainer(store, {container, output, stdout: context.stdout}), progressPrinter(context.stderr as NodeJS.WriteStream));
		});
}
