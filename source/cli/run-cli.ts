import {Command, CommanderError} from 'commander';
import {StrataError} from '../engine/errors.js';
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
	registerRmi(program, context);
	registerLayers(program, context);
	registerInfo(program, context);
	registerSystem(program, context);
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
	program.exitOverride();
	program.configureOutput({
		writeOut: text => io.stdout.write(text),
		writeErr: text => io.stderr.write(text),
	});
	for (const command of program.commands) {
		command.exitOverride();
		for (const sub of command.commands) sub.exitOverride();
	}
	try {
		await program.parseAsync(argv, {from: 'user'});
		return 0;
	} catch (error) {
		if (error instanceof CommanderError) return error.exitCode;
		if (error instanceof StrataError) {
			for (const line of error.message.split('\n')) io.stderr.write(`Error: ${line}\n`);
			return error.exitCode;
		}
		io.stderr.write(`strata: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
		return 2;
	}
}
