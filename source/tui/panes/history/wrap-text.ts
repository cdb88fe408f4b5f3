import {codePointWidth} from '../../../cli/format/display-width.js';

/**
 * `text` broken into rows of at most `width` columns: at its own newlines, then between words, and
 * inside a word only when the word alone is wider than a row (long `&&` chains and URLs in RUN lines).
 * Tabs become spaces; a wide character counts two columns.
 */
export function wrapText(text: string, width: number): string[] {
	const limit = Math.max(width, 1);
	const rows: string[] = [];
	for (const paragraph of text.replace(/\t/g, ' ').split('\n')) {
		let row = '';
		let rowWidth = 0;
		// A row started by wrapping drops its leading spaces; a paragraph keeps its indentation.
		let wrapped = false;
		const flush = () => {
			rows.push(row.trimEnd());
			row = '';
			rowWidth = 0;
			wrapped = true;
		};
		for (const word of paragraph.split(/(?<= )/)) {
			const wordWidth = widthOf(word.trimEnd());
			if (rowWidth > 0 && rowWidth + wordWidth > limit) flush();
			for (const character of word) {
				const characterWidth = codePointWidth(character.codePointAt(0)!);
				if (character === ' ' && wrapped && rowWidth === 0) continue;
				if (rowWidth + characterWidth > limit) {
					if (character === ' ') continue;
					flush();
				}
				row += character;
				rowWidth += characterWidth;
			}
		}
		flush();
	}
	return rows;
}

function widthOf(text: string): number {
	let width = 0;
	for (const character of text) width += codePointWidth(character.codePointAt(0)!);
	return width;
}

/** At most `maxRows` of `rows`; when some are left out, the last kept row ends in `…`. */
export function clampRows(rows: readonly string[], maxRows: number, width: number): string[] {
	if (rows.length <= maxRows) return [...rows];
	if (maxRows <= 0) return [];
	const last = rows[maxRows - 1];
	const cut = Array.from(last).slice(0, Math.max(width - 1, 0)).join('');
	return [...rows.slice(0, maxRows - 1), `${cut.trimEnd()}…`];
}
