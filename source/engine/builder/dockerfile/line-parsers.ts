// How each instruction splits its arguments (BuildKit's parser/line_parsers.go): JSON array or a single
// string (RUN, CMD, ENTRYPOINT, SHELL), JSON array or whitespace-separated words (ADD, COPY, VOLUME), words
// (FROM, EXPOSE), key/value pairs (ENV, LABEL), quoted words (ARG), one string (USER, WORKDIR...).
import {goQuote} from './go-quote.js';
import {DockerfileProblem} from './problem.js';
import {isGoSpace} from './shell-lexer.js';
import {splitCommand, whitespaceRun} from './split-command.js';
import type {SyntaxNode} from './syntax-node.js';

interface Arguments {
	args: string[];
	json: boolean;
	trigger?: SyntaxNode;
}

type LineParser = (rest: string, escape: string) => Arguments;

const plain = (args: string[]): Arguments => ({args, json: false});

const parsers: Record<string, LineParser> = {
	add: parseMaybeJSONToList,
	arg: (rest, escape) => plain(parseWords(rest, escape)),
	cmd: parseMaybeJSON,
	copy: parseMaybeJSONToList,
	entrypoint: parseMaybeJSON,
	env: (rest, escape) => plain(parseNameValue(rest, 'ENV', escape)),
	expose: rest => plain(splitWhitespace(rest)),
	from: rest => plain(splitWhitespace(rest)),
	healthcheck: parseHealthConfig,
	label: (rest, escape) => plain(parseNameValue(rest, 'LABEL', escape)),
	maintainer: parseString,
	onbuild: parseSubCommand,
	run: parseMaybeJSON,
	shell: parseMaybeJSON,
	stopsignal: parseString,
	user: parseString,
	volume: parseMaybeJSONToList,
	workdir: parseString,
};

/** Builds the node for one logical line (BuildKit's newNodeFromLine); lines are filled in by the caller. */
export function nodeFromLine(line: string, escape: string): SyntaxNode {
	const {command, flags, rest} = splitCommand(line, escape);
	// Unknown instructions keep no arguments; they are reported once the instructions are read.
	const parse = parsers[command.toLowerCase()] ?? (() => plain(['']));
	const {args, json, trigger} = parse(rest, escape);
	return {command, flags, args, json, trigger, heredocs: [], original: line, startLine: 0, endLine: 0};
}

function parseSubCommand(rest: string, escape: string): Arguments {
	if (rest === '') return plain([]);
	const trigger = nodeFromLine(rest, escape);
	return {args: [trigger.command, ...trigger.args], json: false, trigger};
}

/**
 * Splits on unquoted whitespace, keeping quotes and escapes in the words (they are processed when the
 * words are expanded). An escape at the very end is dropped.
 */
export function parseWords(rest: string, escape: string): string[] {
	const chars = Array.from(rest);
	const words: string[] = [];
	let phase: 'spaces' | 'word' | 'quote' = 'spaces';
	let quote = '';
	let blankOK = false;
	let word = '';
	for (let index = 0; index <= chars.length; index++) {
		const atEnd = index === chars.length;
		let char = chars[index] ?? '';
		if (phase === 'spaces') {
			if (atEnd) break;
			if (isGoSpace(char)) continue;
			phase = 'word';
		}
		if (atEnd) {
			if (blankOK || word !== '') words.push(word);
			break;
		}
		if (phase === 'word') {
			if (isGoSpace(char)) {
				phase = 'spaces';
				if (blankOK || word !== '') words.push(word);
				word = '';
				blankOK = false;
				continue;
			}
			if (char === "'" || char === '"') {
				quote = char;
				blankOK = true;
				phase = 'quote';
			}
			if (char === escape) {
				if (index + 1 === chars.length) continue;
				// Outside quotes the escape and the character it escapes are both kept, even a quote.
				word += char;
				char = chars[++index]!;
			}
			word += char;
			continue;
		}
		if (char === quote) phase = 'word';
		// Inside single quotes nothing can be escaped.
		if (char === escape && quote !== "'") {
			if (index + 1 === chars.length) {
				phase = 'word';
				continue;
			}
			word += char;
			char = chars[++index]!;
		}
		word += char;
	}
	return words;
}

/**
 * ENV and LABEL: `KEY value with spaces` (old form, when the first word has no `=`) or `k=v k2="v 2"`. Each
 * pair comes out as key, value, and `=` or '' for the old form.
 */
function parseNameValue(rest: string, instruction: string, escape: string): string[] {
	const words = parseWords(rest, escape);
	if (words.length === 0) return [];
	if (!words[0]!.includes('=')) {
		const match = whitespaceRun.exec(rest);
		if (!match) throw new DockerfileProblem(`${instruction} must have two arguments`);
		return [rest.slice(0, match.index), rest.slice(match.index + match[0].length), ''];
	}
	const triples: string[] = [];
	for (const word of words) {
		const equals = word.indexOf('=');
		if (equals === -1) {
			throw new DockerfileProblem(`Syntax error - can't find = in ${goQuote(word)}. Must be of the form: name=value`);
		}
		triples.push(word.slice(0, equals), word.slice(equals + 1), '=');
	}
	return triples;
}

/** The regexp split BuildKit uses for FROM, EXPOSE and non-JSON ADD/COPY/VOLUME. */
function splitWhitespace(rest: string): string[] {
	return rest === '' ? [] : rest.split(new RegExp(whitespaceRun.source));
}

function parseString(rest: string): Arguments {
	return plain(rest === '' ? [] : [rest]);
}

class NotStringArray extends DockerfileProblem {
	constructor() {
		super('when using JSON array syntax, arrays must be comprised of strings only');
	}
}

/** A JSON array of strings, or undefined when the text is not valid JSON (so the caller falls back). */
function parseJSON(rest: string): string[] | undefined {
	const text = rest.replace(/^\s+/u, '');
	if (!text.startsWith('[')) return undefined;
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return undefined;
	}
	if (!Array.isArray(parsed)) return undefined;
	if (!parsed.every(item => typeof item === 'string')) throw new NotStringArray();
	return parsed as string[];
}

/** Exec form when the rest is a JSON array of strings, otherwise the shell form: the whole rest as one argument. */
function parseMaybeJSON(rest: string): Arguments {
	if (rest === '') return plain([]);
	const array = parseJSON(rest);
	return array ? {args: array, json: true} : plain([rest]);
}

function parseMaybeJSONToList(rest: string): Arguments {
	const array = parseJSON(rest);
	return array ? {args: array, json: true} : plain(splitWhitespace(rest));
}

/** HEALTHCHECK: a type word (CMD, NONE...) followed by a command parsed like CMD. */
function parseHealthConfig(rest: string): Arguments {
	let separator = 0;
	while (separator < rest.length && !isGoSpace(rest[separator]!)) separator++;
	if (separator === 0) return plain([]);
	let next = separator;
	while (next < rest.length && isGoSpace(rest[next]!)) next++;
	const command = parseMaybeJSON(rest.slice(next));
	return {args: [rest.slice(0, separator), ...command.args], json: command.json};
}
