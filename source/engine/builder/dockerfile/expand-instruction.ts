// Variable expansion exactly where Docker applies it (the instructions' Expand methods in BuildKit's
// instructions/commands.go, called by the classic builder before each step): ADD, COPY, ENV, EXPOSE, LABEL,
// STOPSIGNAL, USER, VOLUME, WORKDIR and ARG. FROM is expanded by planStages with the global ARGs. RUN, CMD,
// ENTRYPOINT, SHELL, HEALTHCHECK, MAINTAINER and ONBUILD are left alone: the shell, or a later build, reads them.
import {StrataError} from '../../errors.js';
import {dockerfileError} from './problem.js';
import {processWord, type ExpansionEnv} from './shell-lexer.js';
import type {CopySourcesAndDestination, Instruction, KeyValue} from './types.js';

export interface ExpandOptions {
	/** The file name for messages. */
	file: string;
	/** The Dockerfile's escape token. */
	escape: string;
}

/**
 * A copy of the instruction with its words expanded against `env` (the image's Env plus the build args in
 * scope, as the executor knows them at that step). Quotes and escapes are processed too, so ENV values
 * lose their quotes here. EXPOSE ports may split into several (`EXPOSE $PORTS`).
 */
export function expandInstruction<T extends Instruction>(instruction: T, env: ExpansionEnv, options: ExpandOptions): T {
	const word = (text: string) => expandAt(instruction.line, text, env, options);
	const pair = (kv: KeyValue): KeyValue => ({...kv, key: word(kv.key), value: word(kv.value)});
	switch (instruction.kind) {
		case 'ENV':
		case 'LABEL':
			return {...instruction, pairs: instruction.pairs.map(pair)};
		case 'ARG':
			return {
				...instruction,
				args: instruction.args.map(arg => ({key: word(arg.key), value: arg.value === undefined ? undefined : word(arg.value)})),
			};
		case 'EXPOSE':
			return {
				...instruction,
				ports: instruction.ports.flatMap(port => expandWordsAt(instruction.line, port, env, options)),
			};
		case 'USER':
			return {...instruction, user: word(instruction.user)};
		case 'WORKDIR':
			return {...instruction, path: word(instruction.path)};
		case 'STOPSIGNAL':
			return {...instruction, signal: word(instruction.signal)};
		case 'VOLUME':
			return {...instruction, volumes: instruction.volumes.map(word)};
		case 'COPY':
			return {...instruction, ...expandCopy(instruction, word, env, options)};
		case 'ADD':
			return {
				...instruction,
				...expandCopy(instruction, word, env, options),
				checksum: instruction.checksum === undefined ? undefined : word(instruction.checksum),
			};
		default:
			return instruction;
	}
}

function expandCopy(
	instruction: Instruction & CopySourcesAndDestination,
	word: (text: string) => string,
	env: ExpansionEnv,
	options: ExpandOptions,
): CopySourcesAndDestination {
	return {
		sources: instruction.sources.map(word),
		destination: word(instruction.destination),
		chown: instruction.chown === undefined ? undefined : word(instruction.chown),
		chmod: instruction.chmod === undefined ? undefined : word(instruction.chmod),
		link: instruction.link,
		excludes: instruction.excludes,
		// Heredoc bodies with an unquoted delimiter get `$VAR` expanded, quotes left as they are (ExpandRaw).
		heredocs: instruction.heredocs.map(heredoc =>
			heredoc.expand
				? {
						...heredoc,
						content: expandAt(instruction.line, heredoc.content, env, {...options, escape: '\\'}, true),
					}
				: heredoc,
		),
	};
}

function expandAt(line: number, text: string, env: ExpansionEnv, options: ExpandOptions, raw = false): string {
	try {
		return processWord(text, env, {escape: options.escape, skipProcessQuotes: raw}).result;
	} catch (error) {
		if (error instanceof StrataError) throw dockerfileError(options.file, line, error.message);
		throw error;
	}
}

function expandWordsAt(line: number, text: string, env: ExpansionEnv, options: ExpandOptions): string[] {
	try {
		return processWord(text, env, {escape: options.escape}).words;
	} catch (error) {
		if (error instanceof StrataError) throw dockerfileError(options.file, line, error.message);
		throw error;
	}
}
