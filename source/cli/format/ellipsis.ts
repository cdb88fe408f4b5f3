import {codePointWidth} from './display-width.js';

/**
 * Docker's `formatter.Ellipsis`: text that fits in maxWidth columns is returned as is; longer text
 * keeps as many leading characters as fit in maxWidth - 1 columns and ends in "…"
 * (`docker history` truncates CREATED BY this way to 45). ASCII text counts one column per
 * character; otherwise wide (CJK) characters count two. Quirks kept from Docker: a maxWidth of 1
 * gives just the first character, and text whose first character is wider than maxWidth - 1 is
 * returned untruncated.
 */
export function ellipsis(text: string, maxWidth: number): string {
	if (maxWidth <= 0) return '';
	const characters = Array.from(text);
	if (maxWidth === 1) return characters[0] ?? '';
	if (/^[\x00-\x7f]*$/.test(text)) {
		return text.length <= maxWidth ? text : `${text.slice(0, maxWidth - 1)}…`;
	}
	const endWidths: number[] = [];
	let totalWidth = 0;
	for (const character of characters) {
		totalWidth += codePointWidth(character.codePointAt(0)!);
		endWidths.push(totalWidth);
	}
	if (totalWidth <= maxWidth) return text;
	for (let index = 0; index < endWidths.length - 1; index++) {
		if (endWidths[index]! <= maxWidth - 1 && endWidths[index + 1]! > maxWidth - 1) {
			return `${characters.slice(0, index + 1).join('')}…`;
		}
	}
	return text;
}
