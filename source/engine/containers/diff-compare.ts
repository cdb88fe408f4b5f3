import {type BigIntStats, readlinkSync} from 'node:fs';
import {joinPath} from '../layer/layer-path.js';
import type {ChangeKind} from './diff-entry.js';
import {isExcludedFromDiff} from './diff-exclusions.js';
import {Pacer} from '../pacer.js';
import {type ComparedNode, lstatOrUndefined, nodesDiffer, readDirectoryStats, sortByBytes} from './diff-stats.js';

/** One entry of the container's side of a comparison (the overlay upper dir, or the private copy). */
export type NewNode = {
	name: string;
	/** Clean relative path. */
	path: string;
	/** Where it is on the host. */
	source: string;
	stats: BigIntStats;
	capability?: Buffer;
	/** An overlay whiteout: the path is gone from the container. */
	deleted: boolean;
	/** The directory shows nothing of the image's directory beneath it (opaque, or a complete copy). */
	hidesLower: boolean;
	children(): Promise<NewNode[]>;
};

/** A change with what the container has at the path (undefined for deletions). */
export type TreeChange = {kind: ChangeKind; path: string; node?: NewNode};

/**
 * The image side: the shared lower dir, and the file capabilities found in it by relative path (when
 * undefined, capabilities are not compared: reading them means walking the whole image).
 */
export type LowerTree = {root: string; capabilities?: Map<string, Buffer>};

/**
 * Docker's naive change detection (moby/go-archive `ChangesDirs`): what the container shows against
 * what the image has, path by path. Added (nothing below), changed (see nodesDiffer), deleted (a
 * whiteout, or absent from a directory that hides the lower one). A directory with any change inside
 * counts as changed itself, listed before its contents (Docker keeps permissions that way). The lower
 * tree is only read where the container's side has something, or hides it, so an overlay upper dir is
 * compared without walking the image. Init files (isExcludedFromDiff) never appear.
 */
export async function compareTrees(top: NewNode[], lower: LowerTree, rootHidesLower: boolean): Promise<TreeChange[]> {
	const changes: TreeChange[] = [];
	await compareDirectory(top, '', lower.root, rootHidesLower, {...lower, pacer: new Pacer()}, changes);
	return changes;
}

/** Compares one directory's entries; `lowerDir` is the image's real directory at `path`, if it has one. */
async function compareDirectory(
	nodes: NewNode[],
	path: string,
	lowerDir: string | undefined,
	hidesLower: boolean,
	lower: LowerTree & {pacer: Pacer},
	changes: TreeChange[],
): Promise<void> {
	const byName = new Map(nodes.map(node => [node.name, node]));
	const lowerEntries = lowerDir ? lowerStatsFor(lowerDir, hidesLower ? undefined : nodes.map(node => node.name)) : new Map<string, BigIntStats>();
	await lower.pacer.step(nodes.length + lowerEntries.size);
	const names = hidesLower ? sortByBytes([...new Set([...byName.keys(), ...lowerEntries.keys()])]) : nodes.map(node => node.name);
	for (const name of names) {
		const childPath = joinPath(path, name);
		if (isExcludedFromDiff(childPath)) continue;
		const node = byName.get(name);
		const below = lowerEntries.get(name);
		if (!node || node.deleted) {
			// A whiteout over nothing, or a path only the container never had: nothing changed there.
			if (below) changes.push({kind: 'D', path: childPath});
			continue;
		}
		const childLowerDir = below?.isDirectory() ? `${lowerDir}/${name}` : undefined;
		if (!below) {
			changes.push({kind: 'A', path: childPath, node});
			if (node.stats.isDirectory()) await compareDirectory(await node.children(), childPath, undefined, true, lower, changes);
			continue;
		}
		const lowerSource = `${lowerDir}/${name}`;
		const capabilities = lower.capabilities ? {below: lower.capabilities.get(childPath), now: node.capability} : {};
		const changed = nodesDiffer(comparedNode(below, lowerSource, capabilities.below), comparedNode(node.stats, node.source, capabilities.now));
		const at = changes.length;
		if (changed) changes.push({kind: 'C', path: childPath, node});
		if (!node.stats.isDirectory()) continue;
		await compareDirectory(await node.children(), childPath, childLowerDir, hidesLower || node.hidesLower, lower, changes);
		// Something inside changed: the directory goes in too, before its contents.
		if (!changed && changes.length > at) changes.splice(at, 0, {kind: 'C', path: childPath, node});
	}
}

/**
 * lstat of the lower directory's entries: all of them (the container hides the directory), or only
 * `names` (what the upper dir has there), so that a big image directory is not listed for one change.
 */
function lowerStatsFor(lowerDir: string, names: string[] | undefined): Map<string, BigIntStats> {
	if (!names) return new Map(readDirectoryStats(lowerDir).map(entry => [entry.name, entry.stats]));
	const result = new Map<string, BigIntStats>();
	for (const name of names) {
		const stats = lstatOrUndefined(`${lowerDir}/${name}`);
		if (stats) result.set(name, stats);
	}
	return result;
}

function comparedNode(stats: BigIntStats, source: string, capability: Buffer | undefined): ComparedNode {
	return {stats, capability, linkTarget: stats.isSymbolicLink() ? readlinkOrUndefined(source) : undefined};
}

function readlinkOrUndefined(path: string): string | undefined {
	try {
		return readlinkSync(path);
	} catch {
		return undefined;
	}
}
