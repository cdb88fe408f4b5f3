import {writeFile} from 'node:fs/promises';
import type {Command} from 'commander';
import {buildImage} from '../../engine/builder/executor/build-image.js';
import {StrataError} from '../../engine/errors.js';
import {drain, type ProgressEvent} from '../../engine/progress.js';
import {familiarReference, parseReferenceWithDefaultTag} from '../../engine/reference/reference.js';
import {type CliContext, collect} from '../context.js';

type BuildFlags = {
	tag?: string[];
	file?: string;
	buildArg?: string[];
	target?: string;
	cache: boolean;
	quiet?: boolean;
	iidfile?: string;
	network?: string;
	label?: string[];
};

/** `docker build` (classic builder): `Step 1/5 : FROM busybox`, ` ---> <id>`, the RUN output, `Successfully built <id>`. */
export function registerBuild(program: Command, context: CliContext): Command {
	return program
		.command('build')
		.description('Build an image from a Dockerfile')
		.argument('<context>', 'the build context directory')
		.option('-t, --tag <name>', 'name and optionally a tag in the "name:tag" format', collect)
		.option('-f, --file <file>', "name of the Dockerfile (default: 'PATH/Dockerfile'; - reads stdin)")
		.option('--build-arg <arg>', 'set build-time variables', collect)
		.option('--target <stage>', 'set the target build stage to build')
		.option('--no-cache', 'do not use cache when building the image')
		.option('-q, --quiet', 'suppress the build output and print image ID on success')
		.option('--iidfile <file>', 'write the image ID to the file')
		.option('--network <mode>', 'networking mode for the RUN instructions: host (default) or none')
		.option('--label <label>', 'set metadata for an image', collect)
		.action(async (contextDir: string, flags: BuildFlags) => {
			const network = flags.network ?? 'host';
			if (network !== 'host' && network !== 'none' && network !== 'default') throw new StrataError(`network mode "${network}" not supported: use host or none`);
			const store = await context.store();
			const print = (event: ProgressEvent) => {
				if (!flags.quiet && (event.kind === 'step' || event.kind === 'log')) context.print(event.message);
			};
			const result = await drain(
				buildImage(store, {
					contextDir,
					dockerfile: flags.file,
					tags: flags.tag,
					buildArgs: buildArgValues(flags.buildArg ?? []),
					target: flags.target,
					noCache: !flags.cache,
					labels: labelValues(flags.label ?? []),
					network: network === 'none' ? 'none' : 'host',
					stdin: context.stdin,
				}),
				print,
			);
			for (const warning of result.warnings) context.stderr.write(`${warning}\n`);
			if (flags.iidfile) await writeFile(flags.iidfile, result.id);
			if (flags.quiet) {
				context.print(result.id);
				return;
			}
			context.print(`Successfully built ${result.id.slice(7, 19)}`);
			for (const tag of result.tags) context.print(`Successfully tagged ${familiarReference(parseReferenceWithDefaultTag(tag))}`);
		});
}

/** `K=V`, or `K` alone: its value here when set, else declared without one (Docker). */
function buildArgValues(args: string[]): Record<string, string | undefined> {
	const values: Record<string, string | undefined> = {};
	for (const arg of args) {
		const equals = arg.indexOf('=');
		if (equals === -1) values[arg] = process.env[arg];
		else values[arg.slice(0, equals)] = arg.slice(equals + 1);
	}
	return values;
}

function labelValues(labels: string[]): Record<string, string> {
	return Object.fromEntries(labels.map(label => {
		const equals = label.indexOf('=');
		return equals === -1 ? [label, ''] : [label.slice(0, equals), label.slice(equals + 1)];
	}));
}
