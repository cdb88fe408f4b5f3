// The Dockerfile's syntax (BuildKit's parser.Parse): physical lines become instructions. Handles the
// byte-order mark, parser directives, comments, line continuations with the escape token (comment lines and
// empty lines inside a continuation are skipped), and heredoc bodies.
import {DirectiveScanner, type Directives} from './directives.js';
import {heredocMarkersInLine} from './heredoc.js';
import {nodeFromLine} from './line-parsers.js';
import {DockerfileProblem} from './problem.js';
import {isGoSpace} from './shell-lexer.js';
import type {SyntaxNode} from './syntax-node.js';

export interface SyntaxTree {
	nodes: SyntaxNode[];
	directives: Directives;
	/** Lines of the directives that were found (`escape`, `syntax`, `check`). */
	directiveLines: Map<string, number>;
	/** Notes about legal but doubtful syntax, each with its line. */
	warnings: Array<{line: number; message: string}>;
	/** Number of physical lines read. */
	lineCount: number;
}

const heredocCommands = new Set(['add', 'copy', 'run']);

/** Throws DockerfileProblem (with its line) for what upstream's parser rejects. */
export function parseSyntaxTree(text: string): SyntaxTree {
	const scanner = new DirectiveScanner();
	const lines = splitLines(text);
	const nodes: SyntaxNode[] = [];
	const warnings: SyntaxTree['warnings'] = [];
	let continuation = continuationPattern(scanner.directives.escape);
	let index = 0;
	let lineNumber = 0;

	const processLine = (raw: string, stripLeft: boolean): string => {
		let line = trimNewline(raw);
		if (stripLeft) line = trimLeadingSpace(line);
		const directive = scanner.scan(line, lineNumber + 1);
		if (directive) continuation = continuationPattern(scanner.directives.escape);
		return isComment(line) ? '' : line;
	};

	while (index < lines.length) {
		let first = lines[index++]!;
		if (lineNumber === 0 && first.startsWith('\ufeff')) first = first.slice(1);
		const processed = processLine(first, true);
		lineNumber++;
		const startLine = lineNumber;
		let {text: joined, ends} = trimContinuation(processed, continuation);
		if (ends && joined === '') continue;

		let emptyContinuation = false;
		while (!ends && index < lines.length) {
			const raw = lines[index++]!;
			const line = processLine(raw, false);
			lineNumber++;
			if (isComment(raw)) continue;
			if (trimLeadingSpace(trimNewline(line)) === '') {
				emptyContinuation = true;
				continue;
			}
			const trimmed = trimContinuation(line, continuation);
			joined += trimmed.text;
			ends = trimmed.ends;
		}
		if (emptyContinuation) {
			warnings.push({
				line: startLine,
				message: `empty continuation line found in: ${joined} (empty continuation lines will become errors in a future release)`,
			});
		}

		const node = atLine(startLine, () => nodeFromLine(joined, scanner.directives.escape));
		if (canContainHeredoc(node) && joined.includes('<<')) {
			const markers = atLine(startLine, () => heredocMarkersInLine(joined));
			for (const marker of markers) {
				let content = '';
				let terminated = false;
				while (index < lines.length) {
					const raw = lines[index++]!;
					lineNumber++;
					let candidate = trimNewline(raw);
					if (marker.chomp) candidate = candidate.replace(/^\t+/, '');
					if (candidate === marker.name) {
						terminated = true;
						break;
					}
					content += raw;
				}
				if (!terminated) throw new DockerfileProblem('unterminated heredoc', startLine);
				node.heredocs.push({...marker, content});
			}
		}
		node.startLine = startLine;
		node.endLine = lineNumber;
		setLines(node.trigger, startLine, lineNumber);
		nodes.push(node);
	}
	return {nodes, directives: scanner.directives, directiveLines: scanner.lines, warnings, lineCount: lineNumber};
}

function setLines(node: SyntaxNode | undefined, start: number, end: number): void {
	if (!node) return;
	node.startLine = start;
	node.endLine = end;
}

function atLine<T>(line: number, run: () => T): T {
	try {
		return run();
	} catch (error) {
		if (error instanceof DockerfileProblem && error.line === undefined) throw new DockerfileProblem(error.message, line);
		throw error;
	}
}

/** RUN, COPY and ADD (also as an ONBUILD trigger) in their shell form may carry heredocs. */
function canContainHeredoc(node: SyntaxNode): boolean {
	const target = node.command.toLowerCase() === 'onbuild' && node.trigger ? node.trigger : node;
	return heredocCommands.has(target.command.toLowerCase()) && !target.json;
}

/** Lines with their line endings, like upstream's scanner (a last line without `\n` counts). */
function splitLines(text: string): string[] {
	const lines: string[] = [];
	let start = 0;
	while (start < text.length) {
		const newline = text.indexOf('\n', start);
		const end = newline === -1 ? text.length : newline + 1;
		lines.push(text.slice(start, end));
		start = end;
	}
	return lines;
}

/**
 * The escape token as the last non-blank character continues the line, unless it is itself escaped by
 * the character before (upstream's regex cannot see further back than that, so neither does this one).
 */
function continuationPattern(escape: string): RegExp {
	const token = escape === '\\' ? '\\\\' : escape;
	return new RegExp(`([^${token}])${token}[ \\t]*$|^${token}[ \\t]*$`);
}

function trimContinuation(line: string, pattern: RegExp): {text: string; ends: boolean} {
	if (!pattern.test(line)) return {text: line, ends: true};
	return {text: line.replace(pattern, '$1'), ends: false};
}

function trimNewline(line: string): string {
	return line.replace(/[\r\n]+$/, '');
}

function trimLeadingSpace(line: string): string {
	let start = 0;
	while (start < line.length && isGoSpace(line[start]!)) start++;
	return line.slice(start);
}

function isComment(line: string): boolean {
	return trimLeadingSpace(line).startsWith('#');
}
