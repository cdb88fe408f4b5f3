// JSON as the Docker CLI prints it (Go's encoding/json), which differs from JSON.stringify in key
// order and in which characters are escaped.

/**
 * Escapes encoding/json always applies: U+2028 and U+2029 (they only ever occur inside strings), and
 * text that is not valid UTF-8 (here lone surrogates, which JSON.stringify writes as "\ud800") as
 * \ufffd. Escaped backslashes are matched first so that a literal "\\ud800" is left alone.
 */
function escapeLikeGo(json: string): string {
	return json.replace(/\\\\|\\ud[89a-f][0-9a-f]{2}|\u2028|\u2029/g, match => {
		if (match === '\\\\') return match;
		if (match === '\u2028') return '\\u2028';
		if (match === '\u2029') return '\\u2029';
		return '\\ufffd';
	});
}

/** Escapes json.Marshal applies by default (HTML-safe output): <, > and &. */
function escapeHtml(json: string): string {
	return json.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** Go sorts map keys by their UTF-8 bytes, which is code point order (not UTF-16 order). */
function compareCodePoints(left: string, right: string): number {
	const leftPoints = Array.from(left, character => character.codePointAt(0)!);
	const rightPoints = Array.from(right, character => character.codePointAt(0)!);
	for (let index = 0; index < Math.min(leftPoints.length, rightPoints.length); index++) {
		if (leftPoints[index] !== rightPoints[index]) return leftPoints[index]! - rightPoints[index]!;
	}
	return leftPoints.length - rightPoints.length;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const prototype = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

/** Copies plain objects with their keys in Go map order; arrays and other values are kept. */
function sortKeysDeep(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeysDeep);
	if (!isPlainObject(value)) return value;
	const sorted: Record<string, unknown> = {};
	for (const key of Object.keys(value).sort(compareCodePoints)) sorted[key] = sortKeysDeep(value[key]);
	return sorted;
}

/**
 * `docker images --format json` / `docker history --format json`: one compact JSON object per line,
 * each line ending in a newline. Docker marshals each row as a Go map, so keys come out sorted (at
 * every level here) and <, > and & are escaped as \u003c, \u003e and \u0026 ("&&" in a CREATED BY
 * shows as "\u0026\u0026"). Values are written as JSON.stringify would otherwise.
 */
export function toJsonLines(values: readonly unknown[]): string {
	return values
		.map(value => `${escapeHtml(escapeLikeGo(JSON.stringify(sortKeysDeep(value)) ?? 'null'))}\n`)
		.join('');
}

/**
 * `docker inspect`'s output: the value (pass the array of inspected objects) indented with four
 * spaces, followed by a newline; an empty array prints "[]". Keys keep their order, since Docker
 * re-indents the daemon's JSON as is (struct fields in declaration order, map keys sorted: build
 * objects in that order), and <, > and & are not escaped.
 */
export function toIndentedJson(value: unknown): string {
	return `${escapeLikeGo(JSON.stringify(value, null, 4) ?? 'null')}\n`;
}
