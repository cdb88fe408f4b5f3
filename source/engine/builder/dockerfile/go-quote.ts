/**
 * Go's `strconv.Quote` (what `%q` prints): Docker's messages quote words this way, and because control
 * characters come out escaped, a message that quotes a multi-line word still fits on one line.
 */
export function goQuote(text: string): string {
	let out = '"';
	for (const char of text) {
		const code = char.codePointAt(0)!;
		const named = namedEscapes[char];
		if (named !== undefined) out += named;
		else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
		else if (code >= 0x80 && code < 0xa0) out += `\\u${hex(code, 4)}`;
		else if (code >= 0xd800 && code <= 0xdfff) out += '\\ufffd';
		else out += char;
	}
	return `${out}"`;
}

const namedEscapes: Record<string, string> = {
	'\x07': '\\a',
	'\b': '\\b',
	'\f': '\\f',
	'\n': '\\n',
	'\r': '\\r',
	'\t': '\\t',
	'\v': '\\v',
	'\\': '\\\\',
	'"': '\\"',
};

function hex(code: number, width: number): string {
	return code.toString(16).padStart(width, '0');
}

/** Go's `%q` of an integer (strconv.QuoteRune): `'\x04'`, `'A'`, `'\n'`. Docker prints HEALTHCHECK's retries this way. */
export function goQuoteRune(code: number): string {
	const valid = Number.isInteger(code) && code >= 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
	const char = valid ? String.fromCodePoint(code) : '\ufffd';
	if (char === "'") return "'\\''";
	if (char === '"') return `'"'`;
	return `'${goQuote(char).slice(1, -1)}'`;
}
