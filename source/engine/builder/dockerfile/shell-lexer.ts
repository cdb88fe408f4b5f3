// Docker's word expansion: a port of BuildKit's shell lexer (frontend/dockerfile/shell/lex.go,
// ProcessWord/ProcessWords), which the classic builder shares. It handles single and double quotes, the
// escape token, `$VAR`, `${VAR}` and the modifiers `${VAR:-word}`, `${VAR-word}`, `${VAR:+word}`,
// `${VAR+word}`, `${VAR:?msg}`, `${VAR?msg}`, `${VAR#pat}`, `${VAR%pat}` and `${VAR/pat/repl}`.
// It is not a shell: no command substitution, no globbing, and `$1`, `$@` and friends are always unset.
import {StrataError} from '../../errors.js';
import {goQuote} from './go-quote.js';
import {replacePattern, ShellPatternError, trimPatternPrefix, trimPatternSuffix} from './shell-pattern.js';

/** Variables for expansion: a Map or a plain record, looked up case-sensitively as on Linux. */
export type ExpansionEnv = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

export interface LexOptions {
	/** The Dockerfile's escape token (`# escape=`): `\` (default) or `` ` ``. */
	escape?: string;
	/** Keep quote characters in the result (BuildKit's RawQuotes). */
	rawQuotes?: boolean;
	/** Keep escape tokens in the result (BuildKit's RawEscapes). */
	rawEscapes?: boolean;
	/** Treat quotes as ordinary characters (how heredoc bodies are expanded). */
	skipProcessQuotes?: boolean;
	/** Leave references to unset variables as written instead of expanding them to ''. */
	skipUnsetEnv?: boolean;
}

export interface Expansion {
	/** The word with variables substituted and quotes and escapes processed (ProcessWord). */
	result: string;
	/** The same, split into words on unquoted whitespace after substitution (ProcessWords). */
	words: string[];
	/** Variables the word referenced that were set. */
	matched: Set<string>;
	/** Variables the word referenced that were not set. */
	unmatched: Set<string>;
}

/** Expands one word the way Docker expands ENV, LABEL, COPY, WORKDIR... arguments. */
export function expandWord(word: string, env: ExpansionEnv, options: LexOptions = {}): string {
	return processWord(word, env, options).result;
}

/** Expands and splits on whitespace the way Docker expands EXPOSE (the only instruction that does). */
export function expandWords(word: string, env: ExpansionEnv, options: LexOptions = {}): string[] {
	return processWord(word, env, options).words;
}

/** Both results plus which variables were used; throws a StrataError with Docker's message on bad syntax. */
export function processWord(word: string, env: ExpansionEnv, options: LexOptions = {}): Expansion {
	const lexer = new ShellWord(word, env, options);
	try {
		const {result, words} = lexer.processStopOn(undefined, options.rawEscapes ?? false);
		return {result, words, matched: lexer.matched, unmatched: lexer.unmatched};
	} catch (error) {
		if (error instanceof LexError) throw new StrataError(`failed to process ${goQuote(word)}: ${error.message}`);
		throw error;
	}
}

class LexError extends Error {}

/** A rune read past the end, like text/scanner's EOF. */
const EOF = undefined;
type Char = string | undefined;

class ShellWord {
	private readonly chars: string[];
	private position = 0;
	private readonly escape: string;
	private rawEscapes: boolean;
	readonly matched = new Set<string>();
	readonly unmatched = new Set<string>();

	constructor(
		word: string,
		private readonly env: ExpansionEnv,
		private readonly options: LexOptions,
	) {
		this.chars = Array.from(word);
		this.escape = options.escape ?? '\\';
		this.rawEscapes = options.rawEscapes ?? false;
	}

	private peek(): Char {
		return this.chars[this.position];
	}

	private next(): Char {
		const char = this.chars[this.position];
		if (char !== EOF) this.position++;
		return char;
	}

	/** Processes up to the end of the word, or up to and including `stop`. */
	processStopOn(stop: Char, rawEscapes: boolean): {result: string; words: string[]} {
		const saved = this.rawEscapes;
		this.rawEscapes = rawEscapes;
		try {
			return this.scan(stop);
		} finally {
			this.rawEscapes = saved;
		}
	}

	private scan(stop: Char): {result: string; words: string[]} {
		let result = '';
		const words = new WordSplitter();
		while (this.peek() !== EOF) {
			const char = this.peek()!;
			if (stop !== EOF && char === stop) {
				this.next();
				return {result, words: words.finish()};
			}
			const special = this.special(char);
			if (special) {
				const text = special();
				result += text;
				// Only substituted values are split; quoted text and heredoc markers stay whole.
				if (char === '$') words.addString(text);
				else words.addRawString(text);
				continue;
			}
			let current = this.next()!;
			if (current === this.escape) {
				if (this.rawEscapes) {
					words.addRawChar(current);
					result += current;
				}
				// The escape token escapes the next character; at the end of the word it is dropped.
				const escaped = this.next();
				if (escaped === EOF) break;
				current = escaped;
				words.addRawChar(current);
			} else {
				words.addChar(current);
			}
			result += current;
		}
		if (stop !== EOF) throw new LexError(`unexpected end of statement while looking for matching ${stop}`);
		return {result, words: words.finish()};
	}

	private special(char: string): (() => string) | undefined {
		if (char === '$') return () => this.processDollar();
		if (char === '<') return () => this.processPossibleHeredoc();
		if (this.options.skipProcessQuotes) return undefined;
		if (char === "'") return () => this.processSingleQuote();
		if (char === '"') return () => this.processDoubleQuote();
		return undefined;
	}

	/** Everything up to the next `'` is literal; a single quote cannot be escaped inside single quotes. */
	private processSingleQuote(): string {
		let result = '';
		const open = this.next()!;
		if (this.options.rawQuotes) result += open;
		for (;;) {
			const char = this.next();
			if (char === EOF) throw new LexError('unexpected end of statement while looking for matching single-quote');
			if (char === "'") {
				if (this.options.rawQuotes) result += char;
				return result;
			}
			result += char;
		}
	}

	/** Literal except `$` expansions, and the escape token, which escapes only `"`, `$` and itself. */
	private processDoubleQuote(): string {
		let result = '';
		const open = this.next()!;
		if (this.options.rawQuotes) result += open;
		for (;;) {
			const peeked = this.peek();
			if (peeked === EOF) throw new LexError('unexpected end of statement while looking for matching double-quote');
			if (peeked === '"') {
				this.next();
				if (this.options.rawQuotes) result += peeked;
				return result;
			}
			if (peeked === '$') {
				result += this.processDollar();
				continue;
			}
			let char = this.next()!;
			if (char === this.escape) {
				if (this.rawEscapes) result += char;
				const after = this.peek();
				if (after === EOF) continue; // reported as the missing closing quote on the next turn
				if (after === '"' || after === '$' || after === this.escape) char = this.next()!;
			}
			result += char;
		}
	}

	private processDollar(): string {
		this.next();
		if (this.peek() !== '{') {
			const name = this.processName();
			if (name === '') return '$';
			const value = this.lookup(name);
			if (value === undefined && this.options.skipUnsetEnv) return `$${name}`;
			return value ?? '';
		}
		this.next();
		const first = this.peek();
		if (first === EOF) throw new LexError("syntax error: missing '}'");
		if (first === '{' || first === '}' || first === ':') throw new LexError('syntax error: bad substitution');
		const name = this.processName();
		let modifier = this.next();
		let modifierText = runeText(modifier);
		if (modifier === '}') {
			const value = this.lookup(name);
			if (value === undefined && this.options.skipUnsetEnv) return `\${${name}}`;
			return value ?? '';
		}
		if (modifier === '/') return this.processReplacement(name);
		let nullIsUnset = false;
		if (modifier === ':') {
			nullIsUnset = true;
			modifier = this.next();
			modifierText += runeText(modifier);
		} else if (!isModifier(modifier)) {
			throw new LexError(`unsupported modifier (${modifierText}) in substitution`);
		}
		const trims = modifier === '#' || modifier === '%';
		if (nullIsUnset && trims) throw new LexError(`unsupported modifier (${modifierText}) in substitution`);
		const word = this.processModifierWord(trims);
		const value = this.lookup(name);
		if (value === undefined && this.options.skipUnsetEnv) return `\${${name}${modifierText}${word}}`;
		const unset = value === undefined || (nullIsUnset && value === '');
		switch (modifier) {
			case '-':
				return unset ? word : value!;
			case '+':
				return unset ? '' : word;
			case '?':
				if (value === undefined) throw new LexError(`${name}: ${word || 'is not allowed to be unset'}`);
				if (nullIsUnset && value === '') throw new LexError(`${name}: ${word || 'is not allowed to be empty'}`);
				return value;
			case '#':
			case '%':
				return this.trim(modifier, word, value ?? '');
			default:
				throw new LexError(`unsupported modifier (${modifierText}) in substitution`);
		}
	}

	/** The word after a modifier, up to the closing brace. */
	private processModifierWord(rawEscapes: boolean): string {
		try {
			return this.processStopOn('}', rawEscapes).result;
		} catch (error) {
			if (error instanceof LexError && this.peek() === EOF) throw new LexError("syntax error: missing '}'");
			throw error;
		}
	}

	/** `#`/`%` drop the shortest matching prefix/suffix, `##`/`%%` the longest. */
	private trim(modifier: '#' | '%', word: string, value: string): string {
		const greedy = word.startsWith(modifier);
		const pattern = greedy ? word.slice(1) : word;
		try {
			return modifier === '%' ? trimPatternSuffix(pattern, value, greedy) : trimPatternPrefix(pattern, value, greedy);
		} catch (error) {
			if (error instanceof ShellPatternError) {
				throw new LexError(`invalid pattern (${pattern}) in substitution: ${error.message}`);
			}
			throw error;
		}
	}

	private processReplacement(name: string): string {
		const all = this.peek() === '/';
		if (all) this.next();
		let pattern: string;
		try {
			pattern = this.processStopOn('/', true).result;
		} catch (error) {
			if (error instanceof LexError && this.peek() === EOF) throw new LexError("syntax error: missing '/' in ${}");
			throw error;
		}
		const replacement = this.processModifierWord(true);
		const value = this.lookup(name);
		if (value === undefined && this.options.skipUnsetEnv) return `\${${name}/${pattern}/${replacement}}`;
		try {
			return replacePattern(value ?? '', pattern, replacement, all);
		} catch (error) {
			if (error instanceof ShellPatternError) {
				throw new LexError(`invalid pattern (${pattern}) in substitution: ${error.message}`);
			}
			throw error;
		}
	}

	/** A variable name: letters, digits and `_`; or all the digits of a positional parameter; or one special parameter. */
	private processName(): string {
		let name = '';
		for (let char = this.peek(); char !== EOF; char = this.peek()) {
			if (name === '' && isDigit(char)) {
				while (this.peek() !== EOF && isDigit(this.peek()!)) name += this.next();
				return name;
			}
			if (name === '' && specialParameters.has(char)) return this.next()!;
			if (!isLetter(char) && !isDigit(char) && char !== '_') break;
			name += this.next();
		}
		return name;
	}

	/** `<<` keeps the whitespace after it, so `<< EOF` stays one word for heredoc detection. */
	private processPossibleHeredoc(): string {
		this.next();
		if (this.peek() !== '<') return '<';
		this.next();
		let space = '';
		for (let char = this.peek(); char === '\t' || char === '\r' || char === ' '; char = this.peek()) {
			space += char;
			this.next();
		}
		return `<<${space}`;
	}

	private lookup(name: string): string | undefined {
		const value = this.env instanceof Map ? this.env.get(name) : lookupRecord(this.env as Record<string, string>, name);
		if (value === undefined) this.unmatched.add(name);
		else this.matched.add(name);
		return value;
	}
}

function lookupRecord(record: Readonly<Record<string, string>>, name: string): string | undefined {
	return Object.hasOwn(record, name) ? record[name] : undefined;
}

/** Splits the expanded text into words (ProcessWords): unquoted whitespace ends a word. */
class WordSplitter {
	private word = '';
	private inWord = false;
	private readonly words: string[] = [];

	addChar(char: string): void {
		if (isGoSpace(char)) {
			if (this.inWord && this.word !== '') {
				this.words.push(this.word);
				this.word = '';
				this.inWord = false;
			}
		} else {
			this.addRawChar(char);
		}
	}

	addRawChar(char: string): void {
		this.word += char;
		this.inWord = true;
	}

	addString(text: string): void {
		for (const char of text) this.addChar(char);
	}

	addRawString(text: string): void {
		this.word += text;
		this.inWord = true;
	}

	finish(): string[] {
		if (this.word !== '') {
			this.words.push(this.word);
			this.word = '';
			this.inWord = false;
		}
		return this.words;
	}
}

const specialParameters = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);

function isModifier(char: Char): boolean {
	return char === '+' || char === '-' || char === '?' || char === '#' || char === '%';
}

/** How Go prints a rune with %c/string(rune): EOF (-1) comes out as U+FFFD. */
function runeText(char: Char): string {
	return char ?? '\uFFFD';
}

function isDigit(char: string): boolean {
	return /^\p{Nd}$/u.test(char);
}

function isLetter(char: string): boolean {
	return /^\p{L}$/u.test(char);
}

/** Go's unicode.IsSpace (which, unlike JavaScript's \s, includes U+0085 and excludes U+FEFF). */
export function isGoSpace(char: string): boolean {
	switch (char) {
		case '\t':
		case '\n':
		case '\v':
		case '\f':
		case '\r':
		case ' ':
		case '\u0085':
		case '\u00a0':
			return true;
	}
	return char.length === 1 && char > '\u00ff' && /^\p{Zs}$|^[\u2028\u2029]$/u.test(char);
}
