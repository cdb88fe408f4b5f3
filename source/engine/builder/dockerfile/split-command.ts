// Splitting an instruction line into its command word, `--flags` and the rest (BuildKit's split_command.go).
import {isGoSpace} from './shell-lexer.js';

/** BuildKit's reWhitespace: the separators between an instruction and its arguments (not newlines). */
export const whitespaceRun = /[\t\v\f\r ]+/;

export interface SplitCommand {
	command: string;
	flags: string[];
	/** What follows the flags, trimmed. */
	rest: string;
}

export function splitCommand(line: string, escape: string): SplitCommand {
	const trimmed = trimGoSpace(line);
	const match = whitespaceRun.exec(trimmed);
	if (!match) return {command: trimmed, flags: [], rest: ''};
	const command = trimmed.slice(0, match.index);
	const {rest, flags} = extractBuilderFlags(trimmed.slice(match.index + match[0].length), escape);
	return {command, flags, rest: trimGoSpace(rest)};
}

/**
 * Takes the leading words that start with `--` as flags (quotes and escapes processed inside them); a bare
 * `--` ends the flags and is dropped.
 */
function extractBuilderFlags(line: string, escape: string): {rest: string; flags: string[]} {
	const chars = Array.from(line);
	const flags: string[] = [];
	let phase: 'spaces' | 'word' | 'quote' = 'spaces';
	let word = '';
	let quote = '';
	let blankOK = false;
	const restFrom = (index: number) => chars.slice(index).join('');
	for (let index = 0; index <= chars.length; index++) {
		let char = chars[index] ?? '';
		const atEnd = index === chars.length;
		if (phase === 'spaces') {
			if (atEnd) break;
			if (isGoSpace(char)) continue;
			if (char !== '-' || chars[index + 1] !== '-') return {rest: restFrom(index), flags};
			phase = 'word';
		}
		if (atEnd) {
			if (word !== '--' && (blankOK || word !== '')) flags.push(word);
			break;
		}
		if (phase === 'word') {
			if (isGoSpace(char)) {
				phase = 'spaces';
				if (word === '--') return {rest: restFrom(index), flags};
				if (blankOK || word !== '') flags.push(word);
				word = '';
				blankOK = false;
				continue;
			}
			if (char === "'" || char === '"') {
				quote = char;
				blankOK = true;
				phase = 'quote';
				continue;
			}
			if (char === escape) {
				if (index + 1 === chars.length) continue;
				char = chars[++index]!;
			}
			word += char;
			continue;
		}
		if (char === quote) {
			phase = 'word';
			continue;
		}
		if (char === escape) {
			if (index + 1 === chars.length) {
				phase = 'word';
				continue;
			}
			char = chars[++index]!;
		}
		word += char;
	}
	return {rest: '', flags};
}

/** Go's strings.TrimSpace. */
export function trimGoSpace(text: string): string {
	let start = 0;
	let end = text.length;
	while (start < end && isGoSpace(text[start]!)) start++;
	while (end > start && isGoSpace(text[end - 1]!)) end--;
	return text.slice(start, end);
}
