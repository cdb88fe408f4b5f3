import {displayWidth} from './display-width.js';

export type TableLayout = {
	/** The least width of a column, padding included (Docker: 10). */
	minWidth?: number;
	/** Spaces added to the widest cell of a column (Docker: 3). */
	padding?: number;
};

type Cell = {text: string; width: number};
type Line = Cell[];

/**
 * Lays rows out as the Docker CLI's table output does: each row is written as its cells joined by
 * tabs plus a newline into `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)` (Docker's fork of Go's
 * text/tabwriter), and this function reproduces that writer's elastic tabstops.
 *
 * Every cell but the last of a row is tab-terminated, so it belongs to a column and is padded with
 * spaces to the column's width: max(minWidth, widest cell + padding). The last cell of a row is
 * written as is, so lines carry no trailing spaces, except that a row ending in an empty cell
 * (`docker history`'s COMMENT) still pads the cell before it. A column is a run of consecutive
 * lines that have a cell at that position, so a shorter line ends it. Widths are display widths
 * (a CJK character is 2, "…" is 1). Tabs, vertical tabs, newlines and form feeds inside a cell act
 * as they would in Docker's output stream. Returns the lines, each ending in a newline.
 */
export function formatTable(rows: readonly (readonly string[])[], layout: TableLayout = {}): string {
	const {minWidth = 10, padding = 3} = layout;
	const stream = rows.map(row => `${row.join('\t')}\n`).join('');
	const output: string[] = [];
	let lines: Line[] = [[]];
	let cellText = '';
	const flush = () => {
		if (cellText.length > 0) terminateCell();
		formatColumns(lines, {minWidth, padding}, output);
		lines = [[]];
	};
	const terminateCell = () => {
		lines.at(-1)!.push({text: cellText, width: displayWidth(cellText)});
		cellText = '';
		return lines.at(-1)!.length;
	};
	for (const character of stream) {
		if (character === '\t' || character === '\v') {
			terminateCell();
		} else if (character === '\n' || character === '\f') {
			const cellCount = terminateCell();
			lines.push([]);
			// Go flushes here: a form feed ends every column, and a line of one cell ends them anyway.
			if (character === '\f' || cellCount === 1) flush();
		} else {
			cellText += character;
		}
	}
	flush();
	return output.join('');
}

/** Go's Writer.format: find column blocks recursively, then write lines with the widths found. */
function formatColumns(lines: readonly Line[], layout: Required<TableLayout>, output: string[]): void {
	const widths: number[] = [];
	const writeLines = (line0: number, line1: number) => {
		for (let index = line0; index < line1; index++) {
			const line = lines[index]!;
			let text = '';
			line.forEach((cell, column) => {
				text += cell.text;
				if (column < widths.length) text += ' '.repeat(widths[column]! - cell.width);
			});
			// the last buffered line has no newline of its own (it is the text after the final newline)
			output.push(index + 1 === lines.length ? text : `${text}\n`);
		}
	};
	const format = (line0: number, line1: number) => {
		const column = widths.length;
		for (let current = line0; current < line1; current++) {
			if (column >= lines[current]!.length - 1) continue;
			// a cell exists in this column: write the lines before it, then measure the column block
			writeLines(line0, current);
			line0 = current;
			let width = layout.minWidth;
			for (; current < line1; current++) {
				const line = lines[current]!;
				if (column >= line.length - 1) break;
				width = Math.max(width, line[column]!.width + layout.padding);
			}
			widths.push(width);
			format(line0, current);
			widths.pop();
			line0 = current;
		}
		writeLines(line0, line1);
	};
	format(0, lines.length);
}
