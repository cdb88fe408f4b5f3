// The part of Go's text/template that `docker ... --format` users write: `{{.Repository}}:{{.Tag}}`,
// `{{json .Config}}`, `{{range .RepoTags}}{{.}} {{end}}`, `{{if .X}}..{{else}}..{{end}}`, pipes, and the
// functions the Docker CLI adds (json, join, split, lower, upper, title, pad, truncate) beside Go's own
// (index, len, print, printf, println, not, and, or, eq, ne). Values print as Go's %v does.
import {StrataError} from '../../engine/errors.js';
import {toJsonLines} from './json.js';

type Operand = {kind: 'field'; path: string[]; fromRoot: boolean} | {kind: 'literal'; value: unknown} | {kind: 'function'; name: string};
type Command = Operand[];
type Pipeline = Command[];
type TemplateNode =
	| {kind: 'text'; text: string}
	| {kind: 'action'; pipeline: Pipeline}
	| {kind: 'if' | 'range'; pipeline: Pipeline; body: TemplateNode[]; otherwise: TemplateNode[]};

export interface GoTemplate {
	/** Renders the template with `.` = `data`. */
	execute(data: unknown): string;
}

export interface TemplateOptions {
	/** A field that does not exist is an error (Go structs), instead of `<no value>` (Go maps). */
	strictFields?: boolean;
}

const fail = (message: string): never => {
	throw new StrataError(`template parsing error: ${message}`);
};

/** Parses `text` as Docker parses a --format template; a syntax error is a StrataError. */
export function parseGoTemplate(text: string, options: TemplateOptions = {}): GoTemplate {
	const nodes = parseNodes(tokenize(text), {index: 0}, false);
	return {execute: data => render(nodes, data, data, options)};
}

type Token = {kind: 'text'; text: string} | {kind: 'action'; text: string};

function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	let position = 0;
	while (position < text.length) {
		const open = text.indexOf('{{', position);
		if (open === -1) {
			tokens.push({kind: 'text', text: text.slice(position)});
			break;
		}
		let before = text.slice(position, open);
		let start = open + 2;
		if (text.startsWith('- ', start)) {
			before = before.trimEnd();
			start += 2;
		}
		const close = findClose(text, start);
		let end = close;
		let after = close + 2;
		if (text.slice(close - 2, close) === ' -') {
			end = close - 2;
			while (after < text.length && /\s/.test(text[after]!)) after++;
		}
		if (before) tokens.push({kind: 'text', text: before});
		tokens.push({kind: 'action', text: text.slice(start, end).trim()});
		position = after;
	}
	return tokens;
}

/** The `}}` closing the action at `start`, skipping quoted strings. */
function findClose(text: string, start: number): number {
	let quote: string | undefined;
	for (let index = start; index < text.length; index++) {
		const character = text[index]!;
		if (quote) {
			if (character === '\\' && quote === '"') index++;
			else if (character === quote) quote = undefined;
		} else if (character === '"' || character === '`') quote = character;
		else if (text.startsWith('}}', index)) return index;
	}
	return fail('unclosed action');
}

function parseNodes(tokens: Token[], cursor: {index: number}, nested: boolean): TemplateNode[] & {ended?: 'end' | 'else'} {
	const nodes: TemplateNode[] & {ended?: 'end' | 'else'} = [];
	while (cursor.index < tokens.length) {
		const token = tokens[cursor.index++]!;
		if (token.kind === 'text') {
			nodes.push({kind: 'text', text: token.text});
			continue;
		}
		const [keyword, ...rest] = token.text.split(/\s+/);
		if (keyword === 'end' || keyword === 'else') {
			if (!nested) fail(`unexpected {{${keyword}}}`);
			nodes.ended = keyword;
			return nodes;
		}
		if (keyword === 'if' || keyword === 'range') {
			const pipeline = parsePipeline(rest.join(' '));
			const body = parseNodes(tokens, cursor, true);
			let otherwise: ReturnType<typeof parseNodes> = [];
			if (body.ended === 'else') {
				otherwise = parseNodes(tokens, cursor, true);
				if (otherwise.ended !== 'end') fail(`unexpected EOF in ${keyword}`);
			} else if (body.ended !== 'end') fail(`unexpected EOF in ${keyword}`);
			nodes.push({kind: keyword, pipeline, body, otherwise});
			continue;
		}
		if (token.text.startsWith('/*')) continue;
		nodes.push({kind: 'action', pipeline: parsePipeline(token.text)});
	}
	if (nested) fail('unexpected EOF');
	return nodes;
}

function parsePipeline(text: string): Pipeline {
	const words = splitWords(text);
	if (words.length === 0) fail('missing value for command');
	const pipeline: Pipeline = [[]];
	for (const word of words) {
		if (word === '|') pipeline.push([]);
		else pipeline.at(-1)!.push(parseOperand(word));
	}
	if (pipeline.some(command => command.length === 0)) fail('missing command in pipeline');
	return pipeline;
}

function splitWords(text: string): string[] {
	const words: string[] = [];
	const pattern = /"(?:[^"\\]|\\.)*"|`[^`]*`|\||[^\s|]+/g;
	for (const match of text.matchAll(pattern)) words.push(match[0]);
	return words;
}

function parseOperand(word: string): Operand {
	if (word.startsWith('"')) {
		try {
			return {kind: 'literal', value: JSON.parse(word) as string};
		} catch {
			return fail(`bad string ${word}`);
		}
	}
	if (word.startsWith('`')) return {kind: 'literal', value: word.slice(1, -1)};
	if (word === '.') return {kind: 'field', path: [], fromRoot: false};
	if (word === '$') return {kind: 'field', path: [], fromRoot: true};
	if (word.startsWith('.') || word.startsWith('$.')) {
		const fromRoot = word.startsWith('$');
		return {kind: 'field', path: word.slice(fromRoot ? 2 : 1).split('.'), fromRoot};
	}
	if (word === 'true' || word === 'false') return {kind: 'literal', value: word === 'true'};
	if (word === 'nil') return {kind: 'literal', value: null};
	if (/^-?\d+(\.\d+)?$/.test(word)) return {kind: 'literal', value: Number(word)};
	if (!(word in functions)) fail(`function "${word}" not defined`);
	return {kind: 'function', name: word};
}

function render(nodes: TemplateNode[], dot: unknown, root: unknown, options: TemplateOptions): string {
	let output = '';
	for (const node of nodes) {
		if (node.kind === 'text') output += node.text;
		else if (node.kind === 'action') output += printValue(evaluate(node.pipeline, dot, root, options));
		else if (node.kind === 'if') output += render(truthy(evaluate(node.pipeline, dot, root, options)) ? node.body : node.otherwise, dot, root, options);
		else {
			const value = evaluate(node.pipeline, dot, root, options);
			const items = Array.isArray(value) ? value : value !== null && typeof value === 'object' ? sortedKeys(value).map(key => (value as Record<string, unknown>)[key]) : [];
			if (items.length === 0) output += render(node.otherwise, dot, root, options);
			for (const item of items) output += render(node.body, item, root, options);
		}
	}
	return output;
}

function evaluate(pipeline: Pipeline, dot: unknown, root: unknown, options: TemplateOptions): unknown {
	let previous: unknown;
	pipeline.forEach((command, position) => {
		const [head, ...rest] = command;
		const args = rest.map(operand => operandValue(operand, dot, root, options));
		if (position > 0) args.push(previous);
		if (head!.kind === 'function') previous = functions[head!.name]!(...args);
		else {
			if (args.length > 0) fail(`can't give argument to non-function`);
			previous = operandValue(head!, dot, root, options);
		}
	});
	return previous;
}

function operandValue(operand: Operand, dot: unknown, root: unknown, options: TemplateOptions): unknown {
	if (operand.kind === 'literal') return operand.value;
	if (operand.kind === 'function') return functions[operand.name]!();
	let value = operand.fromRoot ? root : dot;
	for (const name of operand.path) {
		if (value === null || value === undefined) return undefined;
		if (typeof value !== 'object' || !(name in value)) {
			if (options.strictFields) throw new StrataError(`template: can't evaluate field ${name}`);
			return undefined;
		}
		value = (value as Record<string, unknown>)[name];
	}
	return value;
}

function truthy(value: unknown): boolean {
	if (Array.isArray(value)) return value.length > 0;
	if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
	return Boolean(value);
}

function sortedKeys(value: object): string[] {
	return Object.keys(value).sort();
}

/** Go's %v: `[a b]` for slices, `map[k:v]` for maps, `<no value>` for a missing map key. */
export function printValue(value: unknown): string {
	if (value === undefined) return '<no value>';
	if (value === null) return '<nil>';
	if (Array.isArray(value)) return `[${value.map(printNested).join(' ')}]`;
	if (typeof value === 'object') return `map[${sortedKeys(value).map(key => `${key}:${printNested((value as Record<string, unknown>)[key])}`).join(' ')}]`;
	return String(value);
}

function printNested(value: unknown): string {
	return value === undefined || value === null ? '<nil>' : printValue(value);
}

const text = (value: unknown) => (typeof value === 'string' ? value : printValue(value));

const functions: Record<string, (...args: unknown[]) => unknown> = {
	// encoding/json as Go writes it: map keys sorted, <, > and & escaped.
	json: value => toJsonLines([value ?? null]).slice(0, -1),
	join: (list, separator) => (Array.isArray(list) ? list.map(text).join(text(separator)) : text(list)),
	split: (value, separator) => text(value).split(text(separator)),
	lower: value => text(value).toLowerCase(),
	upper: value => text(value).toUpperCase(),
	title: value => text(value).replace(/\b\w/g, letter => letter.toUpperCase()),
	pad: (value, left, right) => `${' '.repeat(Number(left))}${text(value)}${' '.repeat(Number(right))}`,
	truncate: (value, length) => [...text(value)].slice(0, Number(length)).join(''),
	index: (value, ...keys) => keys.reduce<unknown>((inner, key) => (inner === null || inner === undefined ? undefined : (inner as Record<string, unknown>)[text(key)]), value),
	len: value => (Array.isArray(value) || typeof value === 'string' ? value.length : value && typeof value === 'object' ? Object.keys(value).length : fail('len of nil')),
	print: (...args) => args.map(text).join(''),
	println: (...args) => `${args.map(text).join(' ')}\n`,
	printf: (format, ...args) => {
		let next = 0;
		return text(format).replace(/%[svdq%]/g, verb => (verb === '%%' ? '%' : verb === '%q' ? JSON.stringify(text(args[next++])) : text(args[next++])));
	},
	not: value => !truthy(value),
	and: (...args) => args.find(arg => !truthy(arg)) ?? args.at(-1),
	or: (...args) => args.find(arg => truthy(arg)) ?? args.at(-1),
	eq: (left, ...rights) => rights.some(right => right === left),
	ne: (left, right) => left !== right,
};
