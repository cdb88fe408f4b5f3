import {compareTrees, type TreeChange} from './diff-compare.js';
import type {ContainerChange, DiffEntry} from './diff-entry.js';
import {overlayLayerEntries, readOverlayUpper, upperAsNewNodes} from './diff-overlay.js';
import {capabilitiesUnder, treeAsNewNodes, treeLayerEntries} from './diff-tree.js';

/** Where a container's files are, per driver: what diff and commit read (never the mounted merged view). */
export type DiffSource = {driver: 'overlay'; lower: string; upper: string} | {driver: 'copy'; lower: string; rootfs: string};

/** `docker diff`: the container's changes against its image, parents before children. */
export async function filesystemChanges(source: DiffSource): Promise<ContainerChange[]> {
	const changes = await treeChanges(source);
	return changes.map(change => ({kind: change.kind, path: `/${change.path}`}));
}

/**
 * The entries of the layer `commit` writes. Overlay: the upper dir as it is (Docker's overlay2 `Diff`),
 * no walk of the image. Copy: the changes found by comparing both trees (Docker's naive `Diff`).
 */
export async function filesystemLayerEntries(source: DiffSource, now: Date): Promise<DiffEntry[]> {
	if (source.driver === 'overlay') return overlayLayerEntries(await readOverlayUpper(source.upper), source.lower);
	return treeLayerEntries(await treeChanges(source), now);
}

async function treeChanges(source: DiffSource): Promise<TreeChange[]> {
	if (source.driver === 'overlay') {
		// Capabilities are not compared here: it would take a walk of the whole image.
		return compareTrees(upperAsNewNodes(await readOverlayUpper(source.upper)), {root: source.lower}, false);
	}
	const [below, now] = await Promise.all([capabilitiesUnder(source.lower), capabilitiesUnder(source.rootfs)]);
	return compareTrees(await treeAsNewNodes(source.rootfs, '', now), {root: source.lower, capabilities: below}, true);
}
