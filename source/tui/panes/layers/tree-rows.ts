// A layer's file tree flattened into the rows the tree view can show: only expanded directories are
// walked, so a 7,000-path image collapsed to its top level costs a few dozen rows, and the view slices a
// window out of the result instead of rendering every row.
import type {TreeNode} from '../../../engine/analysis/layer-analysis.js';

export type TreeSort = 'name' | 'size';

/**
 * Which directories are open: `defaultExpanded` for all, flipped for the paths in `toggled`. "Expand
 * all" and "collapse all" are then one object each, whatever the size of the tree.
 */
export type Expansion = {defaultExpanded: boolean; toggled: ReadonlySet<string>};

export const allExpanded: Expansion = {defaultExpanded: true, toggled: new Set()};
export const allCollapsed: Expansion = {defaultExpanded: false, toggled: new Set()};

export function isExpanded(expansion: Expansion, path: string): boolean {
	return expansion.defaultExpanded !== expansion.toggled.has(path);
}

/** `expansion` with the directory at `path` opened (`true`), closed (`false`) or flipped (omitted). */
export function withExpanded(expansion: Expansion, path: string, expanded?: boolean): Expansion {
	const want = expanded ?? !isExpanded(expansion, path);
	if (want === isExpanded(expansion, path)) return expansion;
	const toggled = new Set(expansion.toggled);
	if (toggled.has(path)) toggled.delete(path);
	else toggled.add(path);
	return {defaultExpanded: expansion.defaultExpanded, toggled};
}

export type TreeRowsOptions = {
	expansion: Expansion;
	/** Case-insensitive substring of the path; rows that match, and their parents, are kept. */
	filter?: string;
	sort?: TreeSort;
	/** Keep only marked (added, modified, removed) paths and their parents. */
	onlyChanged?: boolean;
};

export type TreeRow = {
	node: TreeNode;
	/** 0 for the root's children. */
	depth: number;
	/** The tree drawing before the name, e.g. `│   ├── `. */
	guide: string;
	isDirectory: boolean;
	/** A directory whose children are rows (false for files and closed or empty directories). */
	expanded: boolean;
	/** Whether the directory has children to show once opened. */
	hasChildren: boolean;
	/** Index of the parent directory's row; -1 at the top level. */
	parentRow: number;
};

const bySizeCache = new WeakMap<TreeNode, TreeNode[]>();

/**
 * Children largest first (ties by name). The engine's trees are never changed once built, so the order is
 * cached per node: re-sorting after every keypress would cost more than the flattening itself.
 */
function childrenBySize(node: TreeNode): TreeNode[] {
	let sorted = bySizeCache.get(node);
	if (!sorted) {
		sorted = [...(node.children ?? [])].sort((left, right) => right.size - left.size || (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
		bySizeCache.set(node, sorted);
	}
	return sorted;
}

function orderedChildren(node: TreeNode, sort: TreeSort): readonly TreeNode[] {
	if (!node.children) return [];
	return sort === 'size' ? childrenBySize(node) : node.children;
}

/**
 * The nodes a filter keeps: each that satisfies it, and every directory above one. Undefined when there
 * is no filter, so the common case walks nothing but the open directories.
 */
function keptNodes(root: TreeNode, needle: string, onlyChanged: boolean): Set<TreeNode> | undefined {
	if (needle === '' && !onlyChanged) return undefined;
	const kept = new Set<TreeNode>();
	const visit = (node: TreeNode): boolean => {
		let keep = (needle === '' || node.path.toLowerCase().includes(needle)) && (!onlyChanged || node.change !== undefined);
		if (node.children) for (const child of node.children) if (visit(child)) keep = true;
		if (keep) kept.add(node);
		return keep;
	};
	if (root.children) for (const child of root.children) visit(child);
	return kept;
}

/** The visible rows of the tree under `root` (the root itself is not a row), in display order. */
export function treeRows(root: TreeNode, options: TreeRowsOptions): TreeRow[] {
	const sort = options.sort ?? 'name';
	const kept = keptNodes(root, (options.filter ?? '').trim().toLowerCase(), options.onlyChanged ?? false);
	const rows: TreeRow[] = [];
	const visibleChildren = (node: TreeNode): readonly TreeNode[] => {
		const children = orderedChildren(node, sort);
		return kept ? children.filter(child => kept.has(child)) : children;
	};
	const walk = (children: readonly TreeNode[], depth: number, prefix: string, parentRow: number): void => {
		for (let index = 0; index < children.length; index++) {
			const node = children[index];
			const isLast = index === children.length - 1;
			const isDirectory = node.type === 'dir';
			const shownChildren = isDirectory ? visibleChildren(node) : [];
			const hasChildren = shownChildren.length > 0;
			const expanded = hasChildren && isExpanded(options.expansion, node.path);
			const row = rows.length;
			rows.push({node, depth, guide: prefix + (isLast ? '└── ' : '├── '), isDirectory, expanded, hasChildren, parentRow});
			if (expanded) walk(shownChildren, depth + 1, prefix + (isLast ? '    ' : '│   '), row);
		}
	};
	walk(visibleChildren(root), 0, '', -1);
	return rows;
}

/** Where the cursor goes after the rows change: the same path when it is still a row, else the same index. */
export function rowIndexOf(rows: readonly TreeRow[], path: string | undefined, fallback: number): number {
	if (rows.length === 0) return 0;
	if (path !== undefined) {
		// Moving the cursor leaves the rows as they were: the remembered index is then already right.
		if (rows[fallback]?.node.path === path) return fallback;
		for (let index = 0; index < rows.length; index++) if (rows[index].node.path === path) return index;
	}
	return Math.min(Math.max(fallback, 0), rows.length - 1);
}
