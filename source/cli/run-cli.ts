import {Command, CommanderError} from 'commander';
import {StrataError} from '../engine/errors.js';
import {type CliContext, createCliContext} from './context.js';

type Feature = {names: string[]; register: (program: Command, context: CliContext) => Promise<unknown>};

/**
 * The commands, each with the module that defines it, loaded only when its command runs: `strata images`
 * need not load the builder, the runtime and fast-glob (start-up is most of a small command's time).
 * Order here is the order of `--help`.
 */
/** diff, commit, cp and export, on the top level or under `container`. */
async function registerChangeCommands(parent: Command, context: CliContext): Promise<void> {
	const {registerCommit, registerCp, registerDiff, registerExport} = await import('./commands/commit.js');
	registerDiff(parent, context);
	registerCommit(parent, context);
	registerCp(parent, context);
	registerExport(parent, context);
}

const features: Feature[] = [
	{names: ['import'], register: async (p, c) => (await import('./commands/import.js')).registerImport(p, c)},
	{names: ['load', 'save'], register: async (p, c) => {
		const {registerLoad, registerSave} = await import('./commands/load-save.js');
		registerLoad(p, c);
		registerSave(p, c);
	}},
	{names: ['images'], register: async (p, c) => (await import('./commands/images.js')).registerImages(p, c)},
	{names: ['inspect'], register: async (p, c) => (await import('./commands/inspect.js')).registerInspect(p, c)},
	{names: ['history'], register: async (p, c) => (await import('./commands/history.js')).registerHistory(p, c)},
	{names: ['tag'], register: async (p, c) => (await import('./commands/tag.js')).registerTag(p, c)},
	{names: ['build'], register: async (p, c) => (await import('./commands/build.js')).registerBuild(p, c)},
	{names: ['builder'], register: async (p, c) => (await import('./commands/builder.js')).registerBuilder(p, c)},
	{names: ['rmi'], register: async (p, c) => (await import('./commands/rmi.js')).registerRmi(p, c)},
	{names: ['layers'], register: async (p, c) => (await import('./commands/layers.js')).registerLayers(p, c)},
	{names: ['info', 'system'], register: async (p, c) => {
		const {registerInfo, registerSystem} = await import('./commands/system.js');
		registerInfo(p, c);
		registerSystem(p, c);
	}},
	{names: ['demo'], register: async (p, c) => (await import('./commands/demo.js')).registerDemo(p, c)},
	{
		names: ['create', 'run', 'start', 'stop', 'kill', 'restart', 'rm', 'ps', 'logs', 'exec'],
		register: async (p, c) => (await import('./commands/containers.js')).registerContainerCommands(p, c),
	},
	// Apart from the other container verbs, so that `commit` (timed against `docker commit`) loads only its own code.
	{names: ['diff', 'commit', 'cp', 'export'], register: async (p, c) => registerChangeCommands(p, c)},
	{
		names: ['container'],
		register: async (p, c) => {
			const {registerContainerGroup} = await import('./commands/containers.js');
			await registerChangeCommands(registerContainerGroup(p, c), c);
		},
	},
	{
		names: ['image'],
		register: async (p, c) => {
			const image = p.command('image').description('Manage images');
			const [images, rmi, prune, loadSave, inspect, history, tag, importing] = await Promise.all([
				import('./commands/images.js'),
				import('./commands/rmi.js'),
				import('./commands/prune.js'),
				import('./commands/load-save.js'),
				import('./commands/inspect.js'),
				import('./commands/history.js'),
				import('./commands/tag.js'),
				import('./commands/import.js'),
			]);
			images.registerImages(image, c, 'ls');
			rmi.registerRmi(image, c, 'rm');
			prune.registerImagePrune(image, c);
			loadSave.registerLoad(image, c);
			loadSave.registerSave(image, c);
			inspect.registerInspect(image, c);
			history.registerHistory(image, c);
			tag.registerTag(image, c);
			importing.registerImport(image, c);
		},
	},
];

/** The command word of `argv` (after global options), or undefined for help, version or nothing. */
function commandWord(argv: string[]): string | undefined {
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index];
		if (arg === '--root') index++;
		else if (!arg.startsWith('-')) return arg;
	}
	return undefined;
}

/**
 * Builds the command tree: Docker's verbs at the top and under `image`, as `docker` has them. Only the
 * command that `argv` names is loaded; help, an unknown word or no word loads them all.
 */
export async function buildProgram(context: CliContext, argv: string[] = []): Promise<Command> {
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
	const word = commandWord(argv);
	const chosen = features.filter(feature => word !== undefined && feature.names.includes(word));
	for (const feature of chosen.length > 0 ? chosen : features) await feature.register(program, context);
	return program;
}

/**
 * Runs one CLI command and returns its exit code. User errors (StrataError) print one line
 * `Error: ...` on stderr; usage errors print commander's message; anything else is a bug and
 * prints its stack.
 */
export async function runCli(argv: string[], io: {stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; stdin: NodeJS.ReadableStream}, version: string): Promise<number> {
	endQuietlyOnClosedPipe(io.stdout);
	const context = createCliContext(io as never, version);
	const program = await buildProgram(context, argv);
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

/**
 * A reader that went away (`strata ps -q | head -1`) ends the command quietly with 141, as SIGPIPE ends
 * docker's: no stack trace, and no command writing on forever (`logs -f`). The store is safe to leave at
 * any point (every write is a rename, the lock of a dead process is taken over).
 */
function endQuietlyOnClosedPipe(stdout: NodeJS.WritableStream): void {
	stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE') throw error;
		process.exit(141);
	});
}
