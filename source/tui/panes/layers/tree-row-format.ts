// The text of one file-tree row, column by column, so the view only picks colours.
import {displayWidth} from '../../../cli/format/display-width.js';
import {ellipsis} from '../../../cli/format/ellipsis.js';
import {humanSize} from '../../../cli/format/units.js';
import type {ChangeKind, TreeNode} from '../../../engine/analysis/layer-analysis.js';
import type {TreeRow} from './tree-rows.js';

/** The one-character mark of a change, so the kind reads without colour (NO_COLOR, screen readers). */
export function changeMarker(change: ChangeKind | undefined): string {
	if (change === 'added') return '+';
	if (change === 'modified') return '~';
	if (change === 'removed') return '-';
	return ' ';
}

const typeLetters: Record<string, string> = {dir: 'd', symlink: 'l', char: 'c', block: 'b', fifo: 'p'};

/** `ls -l`'s mode column: type letter and rwx triplets, with setuid/setgid/sticky folded in. */
export function modeString(node: Pick<TreeNode, 'type' | 'mode'>): string {
	const {mode} = node;
	const triplet = (shift: number, special: number, set: string, unset: string): string => {
		const bits = (mode >> shift) & 7;
		const execute = bits & 1 ? ((mode & special) !== 0 ? set : 'x') : (mode & special) !== 0 ? unset : '-';
		return `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${execute}`;
	};
	return (typeLetters[node.type] ?? '-') + triplet(6, 0o4000, 's', 'S') + triplet(3, 0o2000, 's', 'S') + triplet(0, 0o1000, 't', 'T');
}

/** Columns of a row, in order; `name` is already cut to fit. */
export type TreeRowColumns = {
	marker: string;
	/** `drwxr-xr-x 0:0 ` when the row is wide enough for it, else empty. */
	attributes: string;
	size: string;
	guide: string;
	name: string;
};

const sizeWidth = 8;
/** Room the attributes take: mode, space, a usual `uid:gid`, space. */
const attributesWidth = 10 + 1 + 9 + 1;
/** Below this many columns for the name after the attributes, they are left out. */
const minimumNameWidth = 24;

function nameOf(row: TreeRow): string {
	const {node} = row;
	let name = node.name;
	if (row.isDirectory) name += '/';
	if (node.linkname !== undefined) name += node.type === 'hardlink' ? ` link to ${node.linkname}` : ` → ${node.linkname}`;
	// A closed directory says so, or it looks the same as an empty one.
	if (row.isDirectory && row.hasChildren && !row.expanded) name += ' …';
	return name;
}

export function treeRowColumns(row: TreeRow, width: number): TreeRowColumns {
	const {node} = row;
	const marker = `${changeMarker(node.change)} `;
	const size = (node.type === 'dir' || node.type === 'file' ? humanSize(node.size) : '').padStart(sizeWidth - 1) + ' ';
	const fixed = marker.length + size.length + displayWidth(row.guide);
	const showAttributes = width - fixed - attributesWidth >= minimumNameWidth;
	const attributes = showAttributes ? `${modeString(node)} ${`${node.uid}:${node.gid}`.padEnd(attributesWidth - 12)} ` : '';
	const nameWidth = Math.max(width - fixed - attributes.length, 1);
	return {marker, attributes, size, guide: row.guide, name: ellipsis(nameOf(row), nameWidth)};
}
