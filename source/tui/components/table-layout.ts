import {displayWidth} from '../../cli/format/display-width.js';

export type TableColumn<Row> = {
	id: string;
	title: string;
	cell: (row: Row) => string;
	align?: 'left' | 'right';
	/** Columns that grow share the room left by the others, in proportion to `grow`. */
	grow?: number;
	minWidth?: number;
	/** Content wider than this is cut with "…". */
	maxWidth?: number;
	/** When the terminal is too narrow, columns with a higher number are hidden first; 0 never is. */
	hidePriority?: number;
};

/** Columns between cells: two when there is room, one on an 80-column terminal. */
export function columnGapFor(width: number): number {
	return width < 90 ? 1 : 2;
}

/**
 * The width of each shown column for a table `width` columns wide: fixed columns fit their widest
 * cell (up to maxWidth), growing columns share what is left; columns are hidden by priority until
 * the rest fits. Returns the shown columns with their widths.
 */
export function layoutColumns<Row>(columns: readonly TableColumn<Row>[], rows: readonly Row[], width: number, titleOf: (column: TableColumn<Row>) => string = column => column.title): Array<{column: TableColumn<Row>; width: number}> {
	const columnGap = columnGapFor(width);
	const natural = new Map<string, number>();
	for (const column of columns) {
		let widest = displayWidth(titleOf(column));
		for (const row of rows) widest = Math.max(widest, displayWidth(column.cell(row)));
		natural.set(column.id, Math.min(widest, column.maxWidth ?? Infinity));
	}
	let shown = [...columns];
	const needed = (list: typeof shown) =>
		list.reduce((sum, column) => sum + (column.grow ? (column.minWidth ?? 4) : natural.get(column.id)!), 0) + columnGap * Math.max(0, list.length - 1);
	while (needed(shown) > width) {
		const candidates = shown.filter(column => (column.hidePriority ?? 0) > 0);
		if (candidates.length === 0) break;
		const drop = candidates.reduce((worst, column) => ((column.hidePriority ?? 0) > (worst.hidePriority ?? 0) ? column : worst));
		shown = shown.filter(column => column !== drop);
	}
	const fixed = shown.filter(column => !column.grow).reduce((sum, column) => sum + natural.get(column.id)!, 0);
	const growing = shown.filter(column => column.grow);
	let room = Math.max(0, width - fixed - columnGap * Math.max(0, shown.length - 1));
	const totalGrow = growing.reduce((sum, column) => sum + column.grow!, 0);
	const widths = new Map<string, number>();
	// Growing columns take no more than their content needs; what they leave goes to the others.
	const pending = [...growing];
	let changed = true;
	while (changed && pending.length > 0) {
		changed = false;
		const share = pending.reduce((sum, column) => sum + column.grow!, 0) || totalGrow;
		for (const column of [...pending]) {
			const offer = Math.floor((room * column.grow!) / share);
			if (natural.get(column.id)! <= offer) {
				widths.set(column.id, natural.get(column.id)!);
				room -= natural.get(column.id)!;
				pending.splice(pending.indexOf(column), 1);
				changed = true;
			}
		}
	}
	const share = pending.reduce((sum, column) => sum + column.grow!, 0);
	let left = room;
	for (const [index, column] of pending.entries()) {
		const width = index === pending.length - 1 ? left : Math.floor((room * column.grow!) / share);
		widths.set(column.id, Math.max(column.minWidth ?? 1, width));
		left -= width;
	}
	return shown.map(column => ({column, width: column.grow ? widths.get(column.id)! : natural.get(column.id)!}));
}
