// Go's path.Clean and path.Match (= filepath's on Linux), which Docker applies to .dockerignore patterns
// and COPY sources; small differences from Node's path helpers (trailing slashes, `..` handling, bracket
// syntax errors) change which files match, so they are ported rather than approximated.

/** Thrown where Go returns path.ErrBadPattern. */
export class BadPatternError extends Error {
	constructor() {
		super('syntax error in pattern');
	}
}

/** Go's path.Clean: `.` for an empty result, no trailing slash, `..` kept only where it climbs above a relative start. */
export function goClean(path: string): string {
	if (path === '') return '.';
	const rooted = path.startsWith('/');
	const parts: string[] = [];
	for (const part of path.split('/')) {
		if (part === '' || part === '.') continue;
		if (part === '..') {
			if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
			else if (!rooted) parts.push('..');
			continue;
		}
		parts.push(part);
	}
	const joined = parts.join('/');
	if (rooted) return `/${joined}`;
	return joined === '' ? '.' : joined;
}

/**
 * Go's path.Match: `*` (no `/`), `?`, `[...]` classes with ranges and `^` negation, `\` escapes.
 * Throws BadPatternError for a malformed pattern, even when the name already failed to match.
 */
export function goMatch(pattern: string, name: string): boolean {
	let rest = Array.from(pattern);
	let subject = Array.from(name);
	outer: while (rest.length > 0) {
		const {star, chunk, remaining} = scanChunk(rest);
		rest = remaining;
		if (star && chunk.length === 0) return !subject.includes('/');
		const here = matchChunk(chunk, subject);
		if (here !== undefined && (here.length === 0 || rest.length > 0)) {
			subject = here;
			continue;
		}
		if (star) {
			for (let skip = 0; skip < subject.length && subject[skip] !== '/'; skip++) {
				const after = matchChunk(chunk, subject.slice(skip + 1));
				if (after === undefined) continue;
				if (rest.length === 0 && after.length > 0) continue;
				subject = after;
				continue outer;
			}
		}
		// Before answering no, make sure the rest of the pattern is well formed.
		while (rest.length > 0) {
			const next = scanChunk(rest);
			rest = next.remaining;
			matchChunk(next.chunk, []);
		}
		return false;
	}
	return subject.length === 0;
}

function scanChunk(pattern: string[]): {star: boolean; chunk: string[]; remaining: string[]} {
	let start = 0;
	while (start < pattern.length && pattern[start] === '*') start++;
	let inRange = false;
	let end = start;
	for (; end < pattern.length; end++) {
		const char = pattern[end];
		if (char === '\\') {
			if (end + 1 < pattern.length) end++;
		} else if (char === '[') {
			inRange = true;
		} else if (char === ']') {
			inRange = false;
		} else if (char === '*' && !inRange) {
			break;
		}
	}
	return {star: start > 0, chunk: pattern.slice(start, end), remaining: pattern.slice(end)};
}

/** The rest of `subject` after `chunk` matched its start, or undefined; throws on a malformed chunk. */
function matchChunk(chunk: string[], subject: string[]): string[] | undefined {
	let failed = false;
	let position = 0;
	let index = 0;
	while (index < chunk.length) {
		if (!failed && position >= subject.length) failed = true;
		const char = chunk[index]!;
		if (char === '[') {
			const current = failed ? undefined : subject[position++];
			index++;
			let negated = false;
			if (chunk[index] === '^') {
				negated = true;
				index++;
			}
			let matched = false;
			let ranges = 0;
			for (;;) {
				if (chunk[index] === ']' && ranges > 0) {
					index++;
					break;
				}
				const low = classChar(chunk, index);
				index = low.next;
				let high = low.char;
				if (chunk[index] === '-') {
					const upper = classChar(chunk, index + 1);
					index = upper.next;
					high = upper.char;
				}
				const code = current === undefined ? 0 : current.codePointAt(0)!;
				if (low.char.codePointAt(0)! <= code && code <= high.codePointAt(0)!) matched = true;
				ranges++;
			}
			if (matched === negated) failed = true;
		} else if (char === '?') {
			if (!failed) {
				if (subject[position] === '/') failed = true;
				position++;
			}
			index++;
		} else {
			if (char === '\\') {
				index++;
				if (index >= chunk.length) throw new BadPatternError();
			}
			if (!failed) {
				if (chunk[index] !== subject[position]) failed = true;
				position++;
			}
			index++;
		}
	}
	return failed ? undefined : subject.slice(position);
}

/** One character of a bracket class (Go's getEsc): a class must not end here, nor hold a bare `-` or `]`. */
function classChar(chunk: string[], index: number): {char: string; next: number} {
	let at = index;
	if (at >= chunk.length || chunk[at] === '-' || chunk[at] === ']') throw new BadPatternError();
	if (chunk[at] === '\\') {
		at++;
		if (at >= chunk.length) throw new BadPatternError();
	}
	const char = chunk[at]!;
	if (at + 1 >= chunk.length) throw new BadPatternError();
	return {char, next: at + 1};
}

/** Docker's containsWildcards: an unescaped `*`, `?` or `[` makes a COPY source a pattern. */
export function containsWildcards(name: string): boolean {
	for (let index = 0; index < name.length; index++) {
		const char = name[index];
		if (char === '\\') index++;
		else if (char === '*' || char === '?' || char === '[') return true;
	}
	return false;
}

/**
 * Go's string order (bytes of UTF-8), which is code point order; JavaScript's `<` compares UTF-16 units
 * and puts U+10000 and above before U+E000-U+FFFF. With `slashFirst`, `/` sorts before every other
 * character, which orders paths the way filepath.WalkDir visits them (a directory right before its contents).
 */
export function compareGoStrings(a: string, b: string, slashFirst = false): number {
	const length = Math.min(a.length, b.length);
	for (let index = 0; index < length; index++) {
		const left = a.charCodeAt(index);
		const right = b.charCodeAt(index);
		if (left === right) continue;
		if (slashFirst && (left === 0x2f || right === 0x2f)) return left === 0x2f ? -1 : 1;
		const leftAstral = left >= 0xd800 && left <= 0xdfff;
		const rightAstral = right >= 0xd800 && right <= 0xdfff;
		if (leftAstral !== rightAstral) return leftAstral ? 1 : -1;
		return left - right;
	}
	return a.length - b.length;
}
