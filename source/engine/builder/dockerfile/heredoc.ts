// Heredoc markers in RUN, COPY and ADD lines (BuildKit's ParseHeredoc and heredocsFromLine). A marker is a
// word `[n]<<[-]DELIM`; any quoting in DELIM turns expansion of the body off, as in a shell.
import {StrataError} from '../../errors.js';
import {DockerfileProblem} from './problem.js';
import {processWord} from './shell-lexer.js';
import type {Heredoc} from './syntax-node.js';

// Go's \s and \d are ASCII-only.
const markerPattern = /^([0-9]*)<<(-?)[\t\n\f\r ]*([^<]*)$/;

/** The heredoc a word announces, without its body; undefined when the word is no heredoc marker. */
export function parseHeredocMarker(word: string): Omit<Heredoc, 'content'> | undefined {
	const match = markerPattern.exec(word);
	if (!match) return undefined;
	const rest = match[3]!;
	if (rest === '') return undefined;
	const words = lexWords(rest, false);
	// The delimiter must be a single word.
	if (words.length !== 1) return undefined;
	const rawWords = lexWords(rest, true);
	if (rawWords.length !== words.length) {
		throw new DockerfileProblem(`internal lexing of heredoc produced inconsistent results: ${rest}`);
	}
	const name = words[0]!;
	const raw = rawWords[0]!;
	return {
		name,
		expand: countQuotes(name) === countQuotes(raw),
		chomp: match[2] === '-',
		fileDescriptor: match[1] === '' ? 0 : Number(match[1]),
	};
}

function lexWords(text: string, rawQuotes: boolean): string[] {
	try {
		return processWord(text, new Map(), {skipUnsetEnv: true, rawQuotes}).words;
	} catch (error) {
		if (error instanceof StrataError) throw new DockerfileProblem(error.message);
		throw error;
	}
}

function countQuotes(text: string): number {
	let count = 0;
	for (const char of text) if (char === "'" || char === '"') count++;
	return count;
}

/** Every heredoc marker in an instruction line, in order. */
export function heredocMarkersInLine(line: string): Array<Omit<Heredoc, 'content'>> {
	let words: string[];
	try {
		words = processWord(line, new Map(), {rawQuotes: true, rawEscapes: true, skipUnsetEnv: true}).words;
	} catch {
		// Upstream ignores a line the lexer cannot read here: it then simply has no heredocs.
		return [];
	}
	return words.map(parseHeredocMarker).filter((marker): marker is Omit<Heredoc, 'content'> => marker !== undefined);
}

/** `<<-`: the leading tabs of every body line go. */
export function chompHeredocContent(content: string): string {
	return content.replace(/^\t+/gm, '');
}
