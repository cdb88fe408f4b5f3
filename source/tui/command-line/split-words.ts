/**
 * Splits a command line into words as a shell would for simple cases: blanks separate words,
 * '...' and "..." quote (with \" and \\ inside double quotes), a backslash escapes the next character.
 * Throws on an unterminated quote.
 */
export function splitWords(line: string): string[] {
	const words: string[] = [];
	let word = '';
	let inWord = false;
	let quote: '"' | "'" | undefined;
	for (let index = 0; index < line.length; index++) {
		const character = line[index]!;
		if (quote === "'") {
			if (character === "'") quote = undefined;
			else word += character;
		} else if (quote === '"') {
			if (character === '"') quote = undefined;
			else if (character === '\\' && (line[index + 1] === '"' || line[index + 1] === '\\')) word += line[++index];
			else word += character;
		} else if (character === "'" || character === '"') {
			quote = character;
			inWord = true;
		} else if (character === '\\' && index + 1 < line.length) {
			word += line[++index];
			inWord = true;
		} else if (/\s/.test(character)) {
			if (inWord) words.push(word);
			word = '';
			inWord = false;
		} else {
			word += character;
			inWord = true;
		}
	}
	if (quote) throw new Error(`unterminated ${quote} quote`);
	if (inWord) words.push(word);
	return words;
}
