/**
 * Where a list cursor goes for a `list.*` command, or undefined when the command is not a move.
 * Shared by every list and scrolling view, so j/k/g/G/PgUp/PgDn behave the same everywhere.
 */
export function movedCursor(command: string | undefined, cursor: number, count: number, pageSize: number): number | undefined {
	if (count === 0) return undefined;
	const last = count - 1;
	const page = Math.max(1, pageSize - 1);
	switch (command) {
		case 'list.down':
			return Math.min(last, cursor + 1);
		case 'list.up':
			return Math.max(0, cursor - 1);
		case 'list.top':
			return 0;
		case 'list.bottom':
			return last;
		case 'list.pageDown':
			return Math.min(last, cursor + page);
		case 'list.pageUp':
			return Math.max(0, cursor - page);
		default:
			return undefined;
	}
}

/**
 * The first visible row of a window of `height` rows that shows `cursor`, moving as little as
 * possible from `previousOffset` (the list scrolls only when the cursor would leave the window).
 */
export function windowOffset(cursor: number, count: number, height: number, previousOffset: number): number {
	if (height <= 0 || count <= height) return 0;
	let offset = previousOffset;
	if (cursor < offset) offset = cursor;
	if (cursor >= offset + height) offset = cursor - height + 1;
	return Math.max(0, Math.min(offset, count - height));
}
