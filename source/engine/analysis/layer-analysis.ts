// What `strata layers` and the TUI's dive-like layer view render: per layer, the paths it touches marked
// added/modified/removed; the squashed filesystem up to any layer; and dive's efficiency numbers.
import type {Digest} from '../digest.js';
import type {LayerEntry} from '../layer/types.js';
import {EfficiencyTally, type Efficiency} from './efficiency.js';
import {MergedFilesystem, type ChangeRecord} from './merged-filesystem.js';
import {TreeBuilder, type ChangeCounts, type TreeNode} from './tree.js';

export type {ChangeKind} from './merged-filesystem.js';
export type {ChangeCounts, TreeNode} from './tree.js';
export type {Efficiency, WastedFile} from './efficiency.js';

export type LayerInput = {diffID: Digest; createdBy: string; size: number; entries: LayerEntry[]};

export type LayerReport = {
	index: number;
	diffID: Digest;
	createdBy: string;
	size: number;
	/**
	 * The root directory holding only the paths this layer touches, each marked, under unmarked parents.
	 * A removed directory brings its whole lower subtree, every path marked removed.
	 */
	changes: TreeNode;
	/** Marked nodes of `changes`: a removed directory counts once per path in it, as an added one does. */
	changeCounts: ChangeCounts;
};

export type ImageLayersReport = {
	layers: LayerReport[];
	efficiency: Efficiency;
	/** Sum of the layers' sizes (dive's image size). */
	totalSize: number;
};

function changesTree(filesystem: MergedFilesystem, records: ReadonlyMap<string, ChangeRecord>): {tree: TreeNode; counts: ChangeCounts} {
	// Parents come from the filesystem as this layer left it; a removed parent is itself a record and takes
	// its own metadata when its turn comes. Built before the next layer changes the filesystem.
	const builder = new TreeBuilder(filesystem.root);
	for (const [path, record] of records) builder.mark(path, record.metadata, record.change, filesystem);
	return builder.finish();
}

/** Analyzes an image's layers, base first. */
export function analyzeLayers(layers: readonly LayerInput[]): ImageLayersReport {
	const filesystem = new MergedFilesystem();
	const tally = new EfficiencyTally();
	const reports = layers.map((layer, index): LayerReport => {
		const {records, whiteoutBytes, leaves} = filesystem.apply(layer.entries);
		tally.addLayer(leaves, whiteoutBytes);
		const {tree, counts} = changesTree(filesystem, records);
		return {index, diffID: layer.diffID, createdBy: layer.createdBy, size: layer.size, changes: tree, changeCounts: counts};
	});
	let totalSize = 0;
	for (const layer of layers) totalSize += layer.size;
	return {layers: reports, efficiency: tally.result(layers.map(layer => layer.size)), totalSize};
}

/**
 * The squashed filesystem after layers 0..upToIndex, as a container would see it. With `markChangesOf`
 * (at most upToIndex), that layer's changes are marked: its added and modified paths that still exist,
 * and, as removed "ghost" nodes, what it removed and no later layer brought back (a path brought back is
 * drawn as it now is, unmarked). With markChangesOf === upToIndex this is dive's per-layer view.
 */
export function mergedTree(layers: readonly LayerInput[], upToIndex: number, options: {markChangesOf?: number} = {}): TreeNode {
	if (!Number.isInteger(upToIndex) || upToIndex < 0 || upToIndex >= layers.length) {
		throw new RangeError(`upToIndex ${upToIndex} is outside layers 0..${layers.length - 1}`);
	}
	const {markChangesOf} = options;
	if (markChangesOf !== undefined && (!Number.isInteger(markChangesOf) || markChangesOf < 0 || markChangesOf > upToIndex)) {
		throw new RangeError(`markChangesOf ${markChangesOf} is outside layers 0..${upToIndex}`);
	}

	const filesystem = new MergedFilesystem();
	let marked: ReadonlyMap<string, ChangeRecord> | undefined;
	for (let index = 0; index <= upToIndex; index++) {
		const {records} = filesystem.apply(layers[index].entries);
		if (index === markChangesOf) marked = records;
	}

	const builder = TreeBuilder.of(filesystem.root);
	if (marked) {
		const live = new Set(marked.keys());
		for (const path of live) if (!builder.find(path)) live.delete(path);
		for (const [path, record] of marked) {
			if (record.change !== 'removed') {
				if (live.has(path)) builder.find(path)!.change = record.change;
			} else if (!live.has(path)) {
				builder.mark(path, record.metadata, 'removed', filesystem);
			}
		}
	}
	return builder.finish().tree;
}
