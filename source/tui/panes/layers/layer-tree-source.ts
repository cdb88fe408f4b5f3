// The trees and rows the layer view shows, computed on demand and remembered: the key handler and the
// render ask for the same rows, and must not flatten 7,000 paths twice per keypress.
import {mergedTree, type ImageLayersReport, type LayerInput, type TreeNode} from '../../../engine/analysis/layer-analysis.js';
import {treeRows, type Expansion, type TreeRow, type TreeSort} from './tree-rows.js';

/** What the rows depend on, a subset of the view's state. */
export type TreeQuery = {
	layer: number;
	wholeImage: boolean;
	onlyChanged: boolean;
	sort: TreeSort;
	expansion: Expansion;
	/** The expansion in use while `filter` is set: every directory holding a match starts open. */
	filterExpansion: Expansion;
	filter: string;
};

export type TreeSource = {
	layerCount: number;
	report: ImageLayersReport;
	/** The tree of a layer: its own changes, or the whole image up to it with its changes marked. */
	treeFor(layer: number, wholeImage: boolean): TreeNode;
	rowsFor(query: TreeQuery): readonly TreeRow[];
};

/** Whole-image trees kept: each is a full copy of the filesystem, so only a few. */
const mergedTreesKept = 4;

export function isFiltering(query: Pick<TreeQuery, 'filter'>): boolean {
	return query.filter.trim() !== '';
}

export function createTreeSource(inputs: readonly LayerInput[], report: ImageLayersReport): TreeSource {
	const merged = new Map<number, TreeNode>();
	const treeFor = (layer: number, wholeImage: boolean): TreeNode => {
		if (!wholeImage) return report.layers[layer].changes;
		let tree = merged.get(layer);
		if (tree) {
			// Most recently used last, so the oldest goes first.
			merged.delete(layer);
		} else {
			tree = mergedTree(inputs, layer, {markChangesOf: layer});
			if (merged.size >= mergedTreesKept) merged.delete(merged.keys().next().value!);
		}
		merged.set(layer, tree);
		return tree;
	};

	let last: {tree: TreeNode; expansion: Expansion; filter: string; sort: TreeSort; onlyChanged: boolean; rows: readonly TreeRow[]} | undefined;
	const rowsFor = (query: TreeQuery): readonly TreeRow[] => {
		if (report.layers.length === 0) return [];
		const tree = treeFor(Math.min(Math.max(query.layer, 0), report.layers.length - 1), query.wholeImage);
		const expansion = isFiltering(query) ? query.filterExpansion : query.expansion;
		const onlyChanged = query.wholeImage && query.onlyChanged;
		if (last && last.tree === tree && last.expansion === expansion && last.filter === query.filter && last.sort === query.sort && last.onlyChanged === onlyChanged) {
			return last.rows;
		}
		const rows = treeRows(tree, {expansion, filter: query.filter, sort: query.sort, onlyChanged});
		last = {tree, expansion, filter: query.filter, sort: query.sort, onlyChanged, rows};
		return rows;
	};

	return {layerCount: report.layers.length, report, treeFor, rowsFor};
}
