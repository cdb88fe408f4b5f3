import {Command, CommanderError} from 'commander';
import {StrataError} from '../engine/errors.js';
import {registerBuild} from './commands/build.js';
import {registerCommit, registerCp, registerDiff, registerExport} from './commands/commit.js';
import {registerContainerCommands, registerContainerGroup} from './commands/containers.js';
import {registerDemo} from './commands/demo.js';
import {registerHistory} from './commands/history.js';
import {registerImages} from './commands/images.js';
import {registerImport} from './commands/import.js';
import {registerInspect} from './commands/inspect.js';
import {registerLayers} from './commands/layers.js';
import {registerLoad, registerSave} from './commands/load-save.js';
import {registerImagePrune} from './commands/prune.js';
import {registerRmi} from './commands/rmi.js';
import {registerInfo, registerSystem} from './commands/system.js';
import {registerTag} from './commands/tag.js';
import {type CliContext, createCliContext} from './context.js';

/** Builds the command tree: Docker's verbs at the top and under `image`, as `docker` has them. */
export function buildProgram(context: CliContext): Command {
	const program = new Command('strata')
		.description('A keyboard-driven image manager on a local Docker/OCI-compatible layer store.\nRun without arguments in a terminal to open the TUI.')
		.option('--root <dir>', 'store directory (default: $STRATA_ROOT or ~/.local/share/strata)')
		.version(context.version, '-v, --version')
		.showSuggestionAfterError()
		// `run IMAGE CMD -x` and `exec C CMD -x`: options after the command's operands belong to the container's command.
		.enablePositionalOptions()
		.hook('preAction', command => {
			context.rootOption = command.opts<{root?: string}>().root;
		});
	registerImport(program, context);
	registerLoad(program, context);
	registerSave(program, context);
	registerImages(program, context);
	registerInspect(program, context);
	registerHistory(program, context);
	registerTag(program, context);
	registerBuild(program, context);
	registerRmi(program, context);
	registerLayers(program, context);
	registerInfo(program, context);
	registerSystem(program, context);
	registerDemo(program, context);
	registerContainerCommands(program, context);
	const container = registerContainerGroup(program, context);
	for (const parent of [program, container]) {
		registerDiff(parent, context);
		registerCommit(parent, context);
		registerCp(parent, context);
		registerExport(parent, context);
	}
	const image = program.command('image').description('Manage images');
	registerImages(image, context, 'ls');
	registerRmi(image, context, 'rm');
	registerImagePrune(image, context);
	registerLoad(image, context);
	registerSave(image, context);
	registerInspect(image, context);
	registerHistory(image, context);
	registerTag(image, context);
	registerImport(image, context);
	return program;
}

/**
 * Runs one CLI command and returns its exit code. User errors (StrataError) print one line
 * `Error: ...` on stderr; usage errors print commander's message; anything else is a bug and
 * prints its stack.
 */
export async function runCli(argv: string[], io: {stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; stdin: NodeJS.ReadableStream}, version: string): Promise<number> {
	const context = createCliContext(io as never, version);
	const program = buildProgram(context);
	// Every command, at any depth, exits through here and writes to io; a usage error stays on one line
	// (commander puts its "Did you mean ...?" on a second one).
	const configure = (command: Command) => {
		command.exitOverride();
		command.configureOutput({
			writeOut: text => io.stdout.write(text),
			writeErr: text => io.stderr.write(text),
			outputError: (text, write) => write(`${text.trimEnd().replaceAll('\n', ' ')}\n`),
		});
		for (const sub of command.commands) configure(sub);
	};
	configure(program);
	try {
		await program.parseAsync(argv, {from: 'user'});
		return 0;
	} catch (error) {
		if (error instanceof CommanderError) return error.exitCode;
		if (error instanceof StrataError) {
			// An empty message is an exit code to pass on (a container's), nothing to report.
			if (error.message !== '') for (const line of error.message.split('\n')) io.stderr.write(`Error: ${line}\n`);
			return error.exitCode;
		}
		io.stderr.write(`strata: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
		return 2;
	}
}
