/**
 * Where the layer tree's parts go in `width` × `height` cells. From 100 columns up (dive's layout) the
 * layer list and the selected layer's details stand left of the file tree; below that the list sits on
 * top, a few rows high, so that at 80×24 the tree still gets most of the screen. The efficiency footer
 * and the hint line run across the bottom in both.
 */
export type LayerTreeLayout = {
	kind: 'wide' | 'narrow';
	/** Columns of the layer list (the full width when narrow). */
	listWidth: number;
	/** Rows of the layer list itself, without its header. */
	listHeight: number;
	/** Rows of the selected layer's details right under the list (wide only, when there is room). */
	detailHeight: number;
	treeWidth: number;
	/** Rows of the file tree itself, without its header. */
	treeHeight: number;
	/** Rows of the efficiency footer: the summary line and the wasted files. */
	footerHeight: number;
};

/** Enough for a long RUN command wrapped in the details; more would only be blank. */
const maximumDetailHeight = 12;

/** Layouts below this width stack the list over the tree. */
export const wideLayoutColumns = 100;

export function layerTreeLayout(width: number, height: number, layerCount: number, wastedFileCount: number): LayerTreeLayout {
	// Title and hint line.
	const chrome = 2;
	if (width < wideLayoutColumns) {
		// Summary, plus one line of wasted files side by side when there are any and the screen is not tiny.
		const footerHeight = wastedFileCount > 0 && height >= 16 ? 2 : 1;
		const body = Math.max(height - chrome - footerHeight, 2);
		// A quarter of the screen at most (6 rows at 24), and always a few rows for the tree.
		const listHeight = Math.max(1, Math.min(layerCount, Math.max(3, Math.floor(height / 4)), body - 2));
		return {
			kind: 'narrow',
			listWidth: width,
			listHeight,
			detailHeight: 0,
			treeWidth: width,
			treeHeight: Math.max(body - listHeight - 1, 1),
			footerHeight,
		};
	}
	const footerHeight = 1 + Math.min(wastedFileCount, Math.max(1, Math.floor(height / 8)));
	const body = Math.max(height - chrome - footerHeight, 3);
	// The list keeps ~38% of the width: dive's proportion, wide enough for a command beside the size.
	const listWidth = Math.round(width * 0.38);
	// The details sit right under the list (no gap under a short one) and need 5 rows to say much.
	const minimumDetailHeight = body >= 14 ? 5 : 0;
	const listHeight = Math.max(Math.min(layerCount, body - 1 - minimumDetailHeight), 1);
	const detailHeight = minimumDetailHeight === 0 ? 0 : Math.min(body - 1 - listHeight, maximumDetailHeight);
	// One column between the list and the tree.
	const treeWidth = width - listWidth - 1;
	return {
		kind: 'wide',
		listWidth,
		listHeight,
		detailHeight,
		treeWidth,
		treeHeight: Math.max(body - 1, 1),
		footerHeight,
	};
}
