import {Readable, Writable} from 'node:stream';
import {CommanderError, type Command} from 'commander';
import type {CliContext} from '../../cli/context.js';
import {buildProgram} from '../../cli/run-cli.js';
import {StrataError} from '../../engine/errors.js';
import type {Store} from '../../engine/store/store.js';
import {splitWords} from './split-words.js';

export type CommandLineOutcome =
	| {kind: 'quit'}
	| {kind: 'help'}
	| {kind: 'empty'}
	/** `output` is what the command printed on stdout; `error` its error, if it failed. */
	| {kind: 'ran'; words: string[]; output: string; error?: string};

const quitWords = new Set(['q', 'quit', 'exit', 'q!', 'wq']);

/** Collects what a command writes, as text. */
function textSink(): {stream: Writable; text: () => string} {
	let text = '';
	const stream = new Writable({
		write(chunk: Buffer | string, _encoding, callback) {
			text += chunk.toString();
			callback();
		},
	});
	return {stream, text: () => text};
}

/** Why a verb cannot run from the TUI as typed, if it cannot: the command line has no terminal of its own. */
function refusal(words: string[]): string | undefined {
	const verbs = words.filter(word => !word.startsWith('-'));
	const [first, second] = verbs;
	const has = (...flags: string[]) => words.some(word => flags.includes(word) || flags.some(flag => flag.startsWith('--') && word.startsWith(`${flag}=`)));
	if ((first === 'image' && second === 'prune') || first === 'prune') {
		if (!has('-f', '--force', '-af', '-fa')) return 'image prune asks for confirmation: add -f, or press p / P in the Images pane to see what it frees first';
	}
	if ((first === 'save' || (first === 'image' && second === 'save')) && !has('-o', '--output')) return 'save writes the archive to standard output: give -o FILE';
	if (words.includes('-')) return 'the command line has no standard input: give a file instead of -';
	return undefined;
}

/**
 * Runs a `:` command line with the CLI's own verbs (`rmi busybox:latest`, `tag a b`, `images -a`),
 * in this process, on the TUI's store. `strata` or `docker` before the verb is accepted and ignored.
 * Never throws: failures come back as `error`.
 */
export async function runCommandLine(line: string, store: Store, version: string): Promise<CommandLineOutcome> {
	let words: string[];
	try {
		words = splitWords(line.trim());
	} catch (error) {
		return {kind: 'ran', words: [], output: '', error: (error as Error).message};
	}
	if (words[0] === 'strata' || words[0] === 'docker') words = words.slice(1);
	if (words.length === 0) return {kind: 'empty'};
	if (words.length === 1 && quitWords.has(words[0]!)) return {kind: 'quit'};
	if (words.length === 1 && (words[0] === '?' || words[0] === 'keys')) return {kind: 'help'};
	const refused = refusal(words);
	if (refused) return {kind: 'ran', words, output: '', error: refused};

	const stdout = textSink();
	const stderr = textSink();
	const stdin = new Readable({
		read() {
			this.destroy(new StrataError('the command line has no standard input'));
		},
	});
	const context: CliContext = {
		stdout: stdout.stream,
		stderr: stderr.stream,
		stdin,
		version,
		store: async () => store,
		print(text: string) {
			stdout.stream.write(text.endsWith('\n') ? text : `${text}\n`);
		},
	};
	const program = await buildProgram(context, words);
	const configure = (command: Command) => {
		command.exitOverride();
		command.configureOutput({
			writeOut: text => stdout.stream.write(text),
			writeErr: text => stderr.stream.write(text),
			outputError: (text, write) => write(`${text.trimEnd().replaceAll('\n', ' ')}\n`),
		});
		for (const sub of command.commands) configure(sub);
	};
	configure(program);
	try {
		await program.parseAsync(words, {from: 'user'});
		return {kind: 'ran', words, output: stdout.text()};
	} catch (error) {
		if (error instanceof CommanderError) {
			// --help and --version end with a CommanderError too, with exit code 0.
			if (error.exitCode === 0) return {kind: 'ran', words, output: stdout.text()};
			return {kind: 'ran', words, output: stdout.text(), error: stderr.text().trim().replace(/^error: /, '') || error.message};
		}
		const message = error instanceof StrataError ? error.message.split('\n').join('; ') : `internal error: ${(error as Error)?.message ?? String(error)}`;
		return {kind: 'ran', words, output: stdout.text(), error: message};
	}
}
