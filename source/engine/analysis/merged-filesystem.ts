import type {LayerEntry, LayerEntryType} from '../layer/types.js';

export type ChangeKind = 'added' | 'modified' | 'removed';

/** What a path looks like, without its children. */
export type PathMetadata = {
	type: LayerEntryType;
	size: number;
	mode: number;
	uid: number;
	gid: number;
	linkname?: string;
};

/** A node of the squashed filesystem. `children` is set exactly when `type` is `'dir'`. */
export type FilesystemNode = PathMetadata & {
	name: string;
	path: string;
	/** Undefined for the root only. */
	parent?: FilesystemNode;
	children?: Map<string, FilesystemNode>;
	// Per-layer marks, as the number of the `apply` call that set them: cheaper than Sets of nodes or paths.
	/** The layer that created the node. */
	createdBy: number;
	/** The last layer whose tar holds the path itself. */
	listedBy: number;
	/** The last layer whose tar holds something under the path. */
	parentOfEntryIn: number;
};

/** A path of a layer's own tar tree with nothing under it in that tar, and its size there. */
export type LayerLeaf = {path: string; bytes: number};

/**
 * `metadata` never changes after the record is made: it is the layer's own entry, a node that removal
 * detached from the filesystem, or a copy.
 */
export type ChangeRecord = {change: ChangeKind; metadata: PathMetadata};

/** How one layer changed the filesystem beneath it. */
export type LayerApplication = {
	/** Every path the layer touched, keyed by path; removals include each path of a removed subtree. */
	records: Map<string, ChangeRecord>;
	/**
	 * Per whiteout path, the bytes dive charges it: the summed file sizes of the lower subtree when the
	 * removed path was a directory, 0 when it was anything else. Absent when nothing was there to remove.
	 */
	whiteoutBytes: Map<string, number>;
	/**
	 * The layer tar's own tree (what dive builds per layer), reduced to its leaves other than whiteouts:
	 * the paths of its entries, and directories implied by opaque markers, under which the tar holds
	 * nothing, not even a `.wh.` marker. `.wh..wh..opq` itself is not a node, as in dive.
	 */
	leaves: LayerLeaf[];
};

/** Docker creates missing parent directories 0755 root:root (`pkg/archive` `ImpliedDirectoryMode`). */
const impliedDirectory: PathMetadata = {type: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0};

export function parentPath(path: string): string {
	const slash = path.lastIndexOf('/');
	return slash < 0 ? '' : path.slice(0, slash);
}

export function baseName(path: string): string {
	return path.slice(path.lastIndexOf('/') + 1);
}

export function metadataOf(node: PathMetadata): PathMetadata {
	const metadata: PathMetadata = {type: node.type, size: node.size, mode: node.mode, uid: node.uid, gid: node.gid};
	if (node.linkname !== undefined) metadata.linkname = node.linkname;
	return metadata;
}

export function impliedDirectoryMetadata(): PathMetadata {
	return {...impliedDirectory};
}

function impliedDirectoryNode(path: string, parent: FilesystemNode | undefined, layer: number): FilesystemNode {
	return {...impliedDirectory, name: baseName(path), path, parent, children: new Map(), createdBy: layer, listedBy: 0, parentOfEntryIn: 0};
}

/** Overwrites a node's metadata with another's (a layer entry, a snapshot); children are left alone. */
export function assignMetadata(node: PathMetadata, metadata: PathMetadata): void {
	node.type = metadata.type;
	node.size = metadata.size;
	node.mode = metadata.mode;
	node.uid = metadata.uid;
	node.gid = metadata.gid;
	if (metadata.linkname === undefined) delete node.linkname;
	else node.linkname = metadata.linkname;
}

/** Summed sizes of a node and everything under it, as dive's whiteout sizer does (directories are 0 in a tar). */
function subtreeBytes(node: FilesystemNode): number {
	let bytes = node.size;
	if (node.children) for (const child of node.children.values()) bytes += subtreeBytes(child);
	return bytes;
}

/**
 * The filesystem a container would see after extracting layers in order, with overlay semantics: a
 * whiteout or opaque marker hides only what lower layers put there, never what its own layer adds.
 * Every node is also indexed by path, so a lookup is one Map get rather than a walk from the root.
 */
export class MergedFilesystem {
	readonly root: FilesystemNode = impliedDirectoryNode('', undefined, 0);
	private applied = 0;
	private readonly byPath = new Map<string, FilesystemNode>([['', this.root]]);

	find(path: string): FilesystemNode | undefined {
		return this.byPath.get(path);
	}

	/** Stacks one layer on top, returning what it changed relative to the filesystem beneath it. */
	apply(entries: readonly LayerEntry[]): LayerApplication {
		const layer = ++this.applied;
		// Markers apply to the lower layers only, so they go first, before any of this layer's own paths.
		const whiteouts: string[] = [];
		const opaques: string[] = [];
		for (const entry of entries) {
			if (entry.type === 'whiteout') whiteouts.push(entry.path);
			else if (entry.type === 'opaque') opaques.push(entry.path);
		}

		// Sized before any removal, so a whiteout under another whiteout still finds its lower node (dive sizes
		// each whiteout against a freshly stacked lower tree). Choice: dive's stacked tree ignores opaque
		// markers, so it may still hold files an opaque directory hid; strata sizes against the real lower tree.
		const whiteoutBytes = new Map<string, number>();
		for (const path of whiteouts) {
			if (path === '') continue;
			const lower = this.byPath.get(path);
			// dive sums the subtree only when the removed path was a directory; a removed file is charged 0.
			// Choice: dive's directories implied by deeper paths are not IsDir, so removing one is charged 0;
			// strata charges any directory, implied or not (real layers carry directory headers anyway).
			if (lower) whiteoutBytes.set(path, lower.type === 'dir' ? subtreeBytes(lower) : 0);
		}

		const records = new Map<string, ChangeRecord>();
		// This layer's tar tree, drawn on the merged nodes: `listed` holds its paths once each; every ancestor
		// of one is marked as a parent, stopping at the first already marked (its own ancestors were, then).
		const listed: FilesystemNode[] = [];
		let listedThenRemoved = false;
		const markParents = (node: FilesystemNode | undefined): void => {
			for (let ancestor = node; ancestor && ancestor.parentOfEntryIn !== layer; ancestor = ancestor.parent) {
				ancestor.parentOfEntryIn = layer;
			}
		};
		const list = (node: FilesystemNode): void => {
			if (node.listedBy !== layer) {
				node.listedBy = layer;
				listed.push(node);
			}
			markParents(node.parent);
		};
		// "Added" vs "modified" is decided against the lower filesystem: a path was there when it still is and
		// this layer did not create it, or when this layer hid it.
		const hiddenHere = new Set<string>();
		const wasInLower = (path: string, node: FilesystemNode | undefined): boolean => {
			if (node !== undefined && node.createdBy !== layer) return true;
			return hiddenHere.size > 0 && hiddenHere.has(path);
		};
		const remove = (node: FilesystemNode): void => {
			this.byPath.delete(node.path);
			if (node.listedBy === layer) listedThenRemoved = true;
			if (node.createdBy === layer) {
				records.delete(node.path);
			} else {
				records.set(node.path, {change: 'removed', metadata: node});
				hiddenHere.add(node.path);
			}
			if (node.children) for (const child of node.children.values()) remove(child);
		};
		const hideChildren = (node: FilesystemNode): void => {
			if (!node.children) return;
			for (const child of node.children.values()) remove(child);
			node.children.clear();
		};
		const attach = (node: FilesystemNode): void => {
			node.parent!.children!.set(node.name, node);
			this.byPath.set(node.path, node);
		};
		/** The directory at `path`, creating implied directories (and turning non-directories into them) on the way. */
		const directoryAt = (path: string): FilesystemNode => {
			let node = this.byPath.get(path);
			if (!node) {
				node = impliedDirectoryNode(path, directoryAt(parentPath(path)), layer);
				attach(node);
				// A path this layer hid and then re-created only as a parent is neither removed nor changed.
				records.delete(path);
			} else if (!node.children) {
				// A file in the way of a path: extraction fails in Docker; carry on with a directory in its place.
				Object.assign(node, impliedDirectory);
				delete node.linkname;
				node.children = new Map();
				records.set(path, {change: 'modified', metadata: metadataOf(node)});
			}
			return node;
		};

		for (const path of whiteouts) {
			const node = this.byPath.get(path);
			if (!node || node === this.root) continue;
			remove(node);
			node.parent!.children!.delete(node.name);
		}
		for (const path of opaques) {
			const node = this.byPath.get(path);
			if (node) hideChildren(node);
		}

		// In tar order: a path repeated in the layer ends with its last header, as extraction leaves it, and its
		// record still says whether the path was there below.
		for (const entry of entries) {
			const {path} = entry;
			if (path === '' || entry.type === 'whiteout' || entry.type === 'opaque') continue;
			let node = this.byPath.get(path);
			const inLower = wasInLower(path, node);
			if (node) {
				// Extraction replaces a directory by a non-directory with RemoveAll, so its contents go too.
				if (entry.type !== 'dir') {
					hideChildren(node);
					delete node.children;
				} else if (!node.children) {
					node.children = new Map();
				}
				assignMetadata(node, entry);
			} else {
				node = {
					name: baseName(path),
					path,
					parent: directoryAt(parentPath(path)),
					type: entry.type,
					size: entry.size,
					mode: entry.mode,
					uid: entry.uid,
					gid: entry.gid,
					createdBy: layer,
					listedBy: 0,
					parentOfEntryIn: 0,
				};
				if (entry.linkname !== undefined) node.linkname = entry.linkname;
				if (entry.type === 'dir') node.children = new Map();
				attach(node);
			}
			list(node);
			// Entries are immutable input, so the entry itself is the snapshot.
			records.set(path, {change: inLower ? 'modified' : 'added', metadata: entry});
		}

		// The opaque directory itself changed (its listing did), even when the layer has no header for it; and
		// it is a node of the layer's tar tree either way. The root is never a change of its own.
		for (const path of opaques) {
			if (path === '') continue;
			const record = records.get(path);
			// A header for the directory already made its record.
			if (!record || record.change === 'removed') {
				const inLower = wasInLower(path, this.byPath.get(path));
				records.set(path, {change: inLower ? 'modified' : 'added', metadata: metadataOf(directoryAt(path))});
			}
			const node = this.byPath.get(path);
			// Gone only when a later entry of the same layer turned a parent into a file.
			if (node) list(node);
		}
		// A `.wh.NAME` marker is a child of NAME's parent in the tar tree, even when nothing was there to remove.
		for (const path of whiteouts) {
			for (let ancestor = parentPath(path); ; ancestor = parentPath(ancestor)) {
				const node = this.byPath.get(ancestor);
				if (node) {
					markParents(node);
					break;
				}
			}
		}

		const leaves: LayerLeaf[] = [];
		for (const node of listed) {
			if (node.parentOfEntryIn === layer) continue;
			// A path listed, dropped by a later entry (a parent turned into a file) and made again is one node of
			// the tar tree, not two. Dropped and not made again, it still is one, as in dive's tree.
			if (listedThenRemoved) {
				const current = this.byPath.get(node.path);
				if (current !== undefined && current !== node) continue;
			}
			leaves.push({path: node.path, bytes: node.size});
		}
		return {records, whiteoutBytes, leaves};
	}
}
