import type {BigIntStats} from 'node:fs';
import type {NewNode} from './diff-compare.js';
import type {DiffEntry} from './diff-entry.js';
import {joinPath} from '../layer/layer-path.js';
import {excludedNames} from './diff-exclusions.js';
import {Pacer} from '../pacer.js';
import {isWhiteoutDevice, lstatOrUndefined, readDirectoryStats, wholeSeconds} from './diff-stats.js';
import {capabilityXattr, isOpaque, opaqueXattrs, readXattrsUnder} from './diff-xattrs.js';

/** One entry of an overlay upper dir, read once and used both for `diff` and for the commit layer. */
export type UpperNode = {
	name: string;
	path: string;
	source: string;
	stats: BigIntStats;
	/** A 0/0 character device: overlayfs's mark for a deleted path. */
	whiteout: boolean;
	/** A directory overlayfs made opaque (replaced after a delete): nothing below it shows through. */
	opaque: boolean;
	capability?: Buffer;
	children: UpperNode[];
};

/**
 * Reads a container's overlay upper dir, which is its writable layer and so exactly its diff (Docker's
 * overlay2 does the same): a walk of the upper dir only, never of the image below, plus one getfattr
 * for the opaque marks and file capabilities. Init files (isExcludedFromDiff) are left out.
 */
export async function readOverlayUpper(upper: string): Promise<UpperNode[]> {
	// getfattr runs while the tree is walked; its few findings are filled in afterwards.
	const reading = readXattrsUnder(upper, [...opaqueXattrs, capabilityXattr]);
	reading.catch(() => {});
	const pacer = new Pacer();
	async function walk(dir: string, path: string): Promise<UpperNode[]> {
		const excluded = excludedNames(path);
		if (excluded === 'all') return [];
		const nodes: UpperNode[] = [];
		const entries = readDirectoryStats(dir);
		await pacer.step(entries.length);
		for (const {name, stats} of entries) {
			if (excluded?.has(name)) continue;
			const childPath = joinPath(path, name);
			const source = `${dir}/${name}`;
			const node: UpperNode = {name, path: childPath, source, stats, whiteout: isWhiteoutDevice(stats), opaque: false, children: []};
			if (stats.isDirectory()) node.children = await walk(source, childPath);
			nodes.push(node);
		}
		return nodes;
	}
	const top = await walk(upper, '');
	const attributesByPath = await reading;
	if (attributesByPath.size > 0) {
		// Rare (opaque directories, file capabilities): only then is every node looked up by path.
		const byPath = new Map<string, UpperNode>();
		const index = (nodes: UpperNode[]) => {
			for (const node of nodes) {
				byPath.set(node.path, node);
				index(node.children);
			}
		};
		index(top);
		for (const [path, attributes] of attributesByPath) {
			const node = byPath.get(path);
			if (!node) continue;
			node.opaque = node.stats.isDirectory() && isOpaque(attributes);
			node.capability = attributes.get(capabilityXattr);
		}
	}
	return top;
}

/**
 * The commit layer of an overlay container: every upper entry in walk order, whiteouts converted the
 * way Docker's overlay2 converts them (moby/go-archive `overlayWhiteoutConverter`): a 0/0 device becomes
 * an empty `.wh.NAME` file (mode 0600, the device's owner and mtime); an opaque directory is written,
 * then `.wh..wh..opq` in it (the directory's permissions and owner, mtime 0), when the image has that
 * directory (otherwise there is nothing to hide).
 */
export function overlayLayerEntries(nodes: UpperNode[], lower: string): DiffEntry[] {
	const entries: DiffEntry[] = [];
	function add(list: UpperNode[]): void {
		for (const node of list) {
			const {stats} = node;
			if (node.whiteout) {
				entries.push({type: 'whiteout', path: node.path, mode: 0o600, uid: Number(stats.uid), gid: Number(stats.gid), mtime: wholeSeconds(stats.mtimeNs)});
				continue;
			}
			entries.push({type: 'node', path: node.path, source: node.source, stats, capability: node.capability});
			if (!stats.isDirectory()) continue;
			if (node.opaque && isDirectoryBelow(lower, node.path)) {
				entries.push({type: 'opaque', path: node.path, mode: Number(stats.mode & 0o777n), uid: Number(stats.uid), gid: Number(stats.gid), mtime: 0});
			}
			add(node.children);
		}
	}
	add(nodes);
	return entries;
}

/**
 * Whether the image has a real directory at `path`, looked up one component at a time with lstat so that
 * a symlink in the image (`lib -> usr/lib`, or an absolute one) is never followed on the host.
 */
function isDirectoryBelow(lower: string, path: string): boolean {
	let current = lower;
	for (const part of path.split('/')) {
		current = `${current}/${part}`;
		if (!lstatOrUndefined(current)?.isDirectory()) return false;
	}
	return true;
}

/** The upper dir as the container's side of compareTrees: a whiteout deletes, an opaque directory hides. */
export function upperAsNewNodes(nodes: UpperNode[]): NewNode[] {
	return nodes.map(node => ({
		name: node.name,
		path: node.path,
		source: node.source,
		stats: node.stats,
		capability: node.capability,
		deleted: node.whiteout,
		hidesLower: node.opaque,
		children: async () => upperAsNewNodes(node.children),
	}));
}
