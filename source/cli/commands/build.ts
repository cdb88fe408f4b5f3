import {writeFile} from 'node:fs/promises';
import type {Command} from 'commander';
import {buildImage} from '../../engine/builder/executor/build-image.js';
import {StrataError} from '../../engine/errors.js';
import {drain, type ProgressEvent} from '../../engine/progress.js';
import {familiarReference, parseReferenceWithDefaultTag} from '../../engine/reference/reference.js';
import {type CliContext, collect} from '../context.js';
import {PlainBuildOutput} from '../format/build-output-plain.js';
import {TtyBuildOutput} from '../format/build-output-tty.js';

type BuildFlags = {
	tag?: string[];
	file?: string;
	buildArg?: string[];
	target?: string;
	cache: boolean;
	pull?: boolean;
	quiet?: boolean;
	iidfile?: string;
	network?: string;
	label?: string[];
	progress: string;
};

/** The exit codes of a build cancelled by a signal (128 + its number, as a shell reports it). */
const signalExitCodes = {SIGINT: 130, SIGTERM: 143} as const;

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
		.option('--pull', 'always attempt to pull a newer version of the image (strata: local images only, a no-op)')
		.option('-q, --quiet', 'suppress the build output and print image ID on success')
		.option('--iidfile <file>', 'write the image ID to the file')
		.option('--network <mode>', 'networking mode for the RUN instructions: host (default) or none')
		.option('--label <label>', 'set metadata for an image', collect)
		.option('--progress <type>', 'type of progress output: auto, plain or tty', 'auto')
		.action(async (contextDir: string, flags: BuildFlags) => {
			const network = flags.network ?? 'host';
			if (network !== 'host' && network !== 'none' && network !== 'default') throw new StrataError(`network mode "${network}" not supported: use host or none`);
			const output = buildOutput(context, flags);
			const store = await context.store();
			const cancel = cancelOnSignals();
			let result;
			try {
				result = await drain(
					buildImage(store, {
						contextDir,
						dockerfile: flags.file,
						tags: flags.tag,
						buildArgs: buildArgValues(flags.buildArg ?? []),
						target: flags.target,
						noCache: !flags.cache,
						pull: flags.pull,
						labels: labelValues(flags.label ?? []),
						network: network === 'none' ? 'none' : 'host',
						stdin: context.stdin,
						signal: cancel.signal,
					}),
					event => output?.handle(event),
				);
			} catch (error) {
				output?.finish();
				if (cancel.caught) throw new StrataError('build cancelled', signalExitCodes[cancel.caught]);
				for (const line of output?.steps.failureSummary() ?? []) context.stderr.write(`${line}\n`);
				throw error;
			} finally {
				cancel.dispose();
			}
			output?.finish();
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

/** The renderer `--progress` asks for (auto: tty on a terminal, else plain); none with -q. */
function buildOutput(context: CliContext, flags: BuildFlags) {
	const mode = flags.progress === 'auto' ? ((context.stdout as {isTTY?: boolean}).isTTY ? 'tty' : 'plain') : flags.progress;
	if (mode !== 'plain' && mode !== 'tty') throw new StrataError(`--progress: "${flags.progress}" is not auto, plain or tty`);
	if (flags.quiet) return undefined;
	const notes = (line: string) => context.stderr.write(`${line}\n`);
	const renderer = mode === 'plain' ? new PlainBuildOutput(line => context.print(line), notes) : new TtyBuildOutput(terminalOf(context.stdout));
	return {
		steps: renderer.steps,
		handle: (event: ProgressEvent) => {
			if (event.kind === 'build') renderer.handle(event.event);
		},
		finish: () => renderer.finish(),
	};
}

function terminalOf(stream: NodeJS.WritableStream & {columns?: number; rows?: number}) {
	return {write: (text: string) => void stream.write(text), columns: stream.columns ?? 80, rows: stream.rows ?? 24, colour: !process.env.NO_COLOR};
}

/**
 * SIGINT and SIGTERM cancel the build (its RUN container is killed and removed, nothing is tagged); a
 * second one exits at once.
 */
function cancelOnSignals() {
	const controller = new AbortController();
	const state: {caught?: keyof typeof signalExitCodes} = {};
	const onSignal = (signal: keyof typeof signalExitCodes) => {
		if (state.caught) process.exit(signalExitCodes[signal]);
		state.caught = signal;
		controller.abort();
	};
	const signals = Object.keys(signalExitCodes) as Array<keyof typeof signalExitCodes>;
	for (const signal of signals) process.on(signal, onSignal);
	return {
		signal: controller.signal,
		get caught() {
			return state.caught;
		},
		dispose: () => {
			for (const signal of signals) process.off(signal, onSignal);
		},
	};
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
