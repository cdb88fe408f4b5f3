import {displayWidth} from '../../cli/format/display-width.js';
import {ellipsis} from '../../cli/format/ellipsis.js';

/** `text` in exactly `width` columns: cut with "…" when longer, padded with spaces when shorter. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	if (width <= 0) return '';
	const cut = ellipsis(text, width);
	const cutWidth = displayWidth(cut);
	// ellipsis keeps an over-wide first character; drop characters until it fits.
	if (cutWidth > width) return fit(Array.from(cut).slice(0, -1).join(''), width, align);
	const padding = ' '.repeat(width - cutWidth);
	return align === 'left' ? cut + padding : padding + cut;
}

/** Like `fit`, but long text loses its start ("…/share/strata"): for paths, whose end says most. */
export function fitStart(text: string, width: number): string {
	if (displayWidth(text) <= width) return fit(text, width);
	const characters = Array.from(text);
	while (characters.length > 0 && displayWidth(characters.join('')) > width - 1) characters.shift();
	return fit(`…${characters.join('')}`, width);
}

/** Breaks each line into pieces of at most `width` columns (hard wrap, continuation lines indented by `indent`). */
export function wrapLines(lines: readonly string[], width: number, indent = 0): string[] {
	if (width <= indent + 1) return [...lines];
	const wrapped: string[] = [];
	for (const line of lines) {
		let rest = Array.from(line);
		let first = true;
		do {
			const room = first ? width : width - indent;
			let taken = 0;
			let columns = 0;
			while (taken < rest.length && columns + displayWidth(rest[taken]!) <= room) {
				columns += displayWidth(rest[taken]!);
				taken++;
			}
			if (taken === 0) taken = 1;
			wrapped.push((first ? '' : ' '.repeat(indent)) + rest.slice(0, taken).join(''));
			rest = rest.slice(taken);
			first = false;
		} while (rest.length > 0);
	}
	return wrapped;
}
