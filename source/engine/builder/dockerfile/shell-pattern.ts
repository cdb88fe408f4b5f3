// The shell patterns of `${VAR#pattern}`, `${VAR%pattern}` and `${VAR/pattern/replacement}`, as BuildKit's
// lexer implements them (frontend/dockerfile/shell/lex.go): `*` and `?` wildcards and `\` escapes, no bracket
// expressions. Matching goes through a regular expression, like upstream.

/** Thrown for a pattern upstream refuses; the lexer turns it into its own message. */
export class ShellPatternError extends Error {}

// Go's `.` matches anything but a newline; JavaScript's also stops at \r, U+2028 and U+2029.
const anyChar = '[^\\n]';
const regexSpecials = new Set(['[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$']);

/** `convertShellPatternToRegex`: `*` is the shortest (or, greedy, the longest) run of characters, `?` one. */
export function shellPatternToRegex(pattern: string, greedy: boolean, anchored: boolean): RegExp {
	const chars = Array.from(pattern);
	let out = anchored ? '^' : '';
	const star = greedy ? `${anyChar}*` : `${anyChar}*?`;
	for (let index = 0; index < chars.length; index++) {
		const char = chars[index]!;
		if (char === '*') {
			out += star;
		} else if (char === '?') {
			out += anyChar;
		} else if (char === '\\') {
			const next = chars[index + 1];
			// `}` and `/` are escaped only to get them past the `${...}` syntax; the escape is not part of the pattern.
			if (next === '}' || next === '/') continue;
			if (next !== '*' && next !== '?' && next !== '\\') {
				throw new ShellPatternError(`invalid escape '\\${next ?? '\uFFFD'}'`);
			}
			out += `\\${next}`;
			index++;
		} else {
			out += regexSpecials.has(char) ? `\\${char}` : char;
		}
	}
	return new RegExp(out, 'u');
}

/** `${VAR#pattern}` (shortest) and `${VAR##pattern}` (greedy): drops the matching prefix. */
export function trimPatternPrefix(pattern: string, value: string, greedy: boolean): string {
	const match = shellPatternToRegex(pattern, greedy, true).exec(value);
	return match ? value.slice(match[0].length) : value;
}

/**
 * `${VAR%pattern}` and `${VAR%%pattern}`: drops the matching suffix. A regular expression cannot find the
 * shortest rightmost match, so, as upstream, both the value and the pattern are reversed and the prefix trimmed.
 */
export function trimPatternSuffix(pattern: string, value: string, greedy: boolean): string {
	const reversed = trimPatternPrefix(reversePattern(pattern), reverseString(value), greedy);
	return reverseString(reversed);
}

/** Reverses a pattern but keeps each escape in front of the character it escapes (`a\*c` becomes `c\*a`). */
export function reversePattern(pattern: string): string {
	const chars = Array.from(pattern);
	const out: string[] = new Array(chars.length);
	const last = chars.length - 1;
	for (let index = 0; index <= last; ) {
		const char = chars[index]!;
		const outIndex = last - index;
		if (char === '\\' && index !== last) {
			out[outIndex - 1] = char;
			out[outIndex] = chars[index + 1]!;
			index += 2;
		} else {
			out[outIndex] = char;
			index++;
		}
	}
	return out.join('');
}

function reverseString(text: string): string {
	return Array.from(text).reverse().join('');
}

/** `${VAR/pattern/replacement}` (first match) and `${VAR//pattern/replacement}` (every match). */
export function replacePattern(value: string, pattern: string, replacement: string, all: boolean): string {
	const regex = shellPatternToRegex(pattern, true, false);
	if (!all) {
		const match = regex.exec(value);
		if (!match) return value;
		return value.slice(0, match.index) + replacement + value.slice(match.index + match[0].length);
	}
	// Go's ReplaceAllString expands `$name` templates in the replacement; these patterns have no groups,
	// so only `$0` (the match) and `$$` mean anything.
	const global = new RegExp(regex.source, 'gu');
	return value.replace(global, matched => expandGoTemplate(replacement, matched));
}

function expandGoTemplate(template: string, matched: string): string {
	return template.replace(/\$(\$|\{([^}]*)\}|[\p{L}\p{N}_]+)?/gu, (whole, token?: string, braced?: string) => {
		if (token === undefined) return '$';
		if (token === '$') return '$';
		const name = braced ?? token;
		if (braced !== undefined && !/^[\p{L}\p{N}_]+$/u.test(braced)) return whole;
		return name === '0' ? matched : '';
	});
}
