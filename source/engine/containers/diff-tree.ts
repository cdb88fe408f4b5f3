import {joinPath} from '../layer/layer-path.js';
import type {NewNode, TreeChange} from './diff-compare.js';
import type {DiffEntry} from './diff-entry.js';
import {readDirectoryStats} from './diff-stats.js';
import {capabilityXattr, readXattrsUnder} from './diff-xattrs.js';

/**
 * A complete root file system (the copy driver's private rootfs) as the container's side of
 * compareTrees: every directory hides the image's, so whatever the copy lacks was deleted.
 * `capabilities` are the file capabilities found in it, by relative path.
 */
export async function treeAsNewNodes(dir: string, path: string, capabilities: Map<string, Buffer>): Promise<NewNode[]> {
	return readDirectoryStats(dir).map(({name, stats}) => {
		const childPath = joinPath(path, name);
		const source = `${dir}/${name}`;
		return {
			name,
			path: childPath,
			source,
			stats,
			capability: capabilities.get(childPath),
			deleted: false,
			hidesLower: true,
			children: () => treeAsNewNodes(source, childPath, capabilities),
		};
	});
}

/** The file capabilities under `root`, by relative path (one getfattr for the whole tree). */
export async function capabilitiesUnder(root: string): Promise<Map<string, Buffer>> {
	const capabilities = new Map<string, Buffer>();
	for (const [path, attributes] of await readXattrsUnder(root, [capabilityXattr])) {
		const value = attributes.get(capabilityXattr);
		if (value) capabilities.set(path, value);
	}
	return capabilities;
}

/**
 * The commit layer of a copy-driver container, from its changes (moby/go-archive `ExportChanges`): each
 * added or changed path as it is now (a directory without its contents, which have their own changes),
 * each deleted one as an empty `.wh.NAME` (mode 0, root, stamped `now`).
 */
export function treeLayerEntries(changes: TreeChange[], now: Date): DiffEntry[] {
	const mtime = Math.floor(now.getTime() / 1000);
	return changes.map(change =>
		change.kind === 'D' || !change.node
			? {type: 'whiteout', path: change.path, mode: 0, uid: 0, gid: 0, mtime}
			: {type: 'node', path: change.path, source: change.node.source, stats: change.node.stats, capability: change.node.capability},
	);
}
