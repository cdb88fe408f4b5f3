import {
	assignMetadata,
	baseName,
	impliedDirectoryMetadata,
	parentPath,
	type ChangeKind,
	type FilesystemNode,
	type MergedFilesystem,
	type PathMetadata,
} from './merged-filesystem.js';
import type {LayerEntryType} from '../layer/types.js';

/** One path of a rendered layer tree. */
export type TreeNode = {
	name: string;
	/** Clean relative path, as in a layer entry; the root is `''`. */
	path: string;
	type: LayerEntryType;
	/**
	 * A file's own size; a directory's summed descendants, leaving out removed ones unless the directory
	 * itself is removed (dive's `FileNode.GetSize`), so a live directory shows the bytes it still holds.
	 */
	size: number;
	change?: ChangeKind;
	mode: number;
	uid: number;
	gid: number;
	linkname?: string;
	/** Directories only, sorted by name (code-unit order, so the same on every locale). */
	children?: TreeNode[];
};

export type ChangeCounts = {added: number; modified: number; removed: number};

function byName(left: TreeNode, right: TreeNode): number {
	return left.name < right.name ? -1 : left.name > right.name ? 1 : 0;
}

function newNode(name: string, path: string, metadata: PathMetadata): TreeNode {
	const node: TreeNode = {name, path, type: metadata.type, size: metadata.size, mode: metadata.mode, uid: metadata.uid, gid: metadata.gid};
	if (metadata.linkname !== undefined) node.linkname = metadata.linkname;
	if (metadata.type === 'dir') node.children = [];
	return node;
}

function assign(node: TreeNode, metadata: PathMetadata): void {
	assignMetadata(node, metadata);
	if (metadata.type === 'dir') node.children ??= [];
}

/**
 * Builds a TreeNode tree with paths arriving in any order; `finish` then sorts and sizes it once. The nodes
 * are the output nodes themselves (no intermediate draft), which keeps a 7,000-path tree cheap.
 */
export class TreeBuilder {
	readonly root: TreeNode;
	private readonly byPath: Map<string, TreeNode>;

	constructor(rootMetadata: PathMetadata = impliedDirectoryMetadata()) {
		this.root = newNode('', '', rootMetadata);
		this.byPath = new Map([['', this.root]]);
	}

	/** A whole filesystem, unmarked. */
	static of(filesystem: FilesystemNode): TreeBuilder {
		const builder = new TreeBuilder(filesystem);
		const copyChildren = (from: FilesystemNode, to: TreeNode): void => {
			if (!from.children) return;
			for (const [name, child] of from.children) {
				const copy = newNode(name, child.path, child);
				to.children!.push(copy);
				builder.byPath.set(copy.path, copy);
				copyChildren(child, copy);
			}
		};
		copyChildren(filesystem, builder.root);
		return builder;
	}

	find(path: string): TreeNode | undefined {
		return this.byPath.get(path);
	}

	/**
	 * Sets the node at `path` to `metadata` and `change`, creating it and any missing parents; a created
	 * parent takes its metadata from `filesystem` when the path exists there, else an implied directory's.
	 * Does nothing when a non-directory stands in the way: nothing can be drawn under it.
	 */
	mark(path: string, metadata: PathMetadata, change: ChangeKind, filesystem: MergedFilesystem): void {
		let node = this.byPath.get(path);
		if (node) {
			assign(node, metadata);
		} else {
			const parent = this.parentDirectory(path, filesystem);
			if (!parent) return;
			node = newNode(baseName(path), path, metadata);
			parent.children!.push(node);
			this.byPath.set(path, node);
		}
		node.change = change;
	}

	private parentDirectory(path: string, filesystem: MergedFilesystem): TreeNode | undefined {
		const parentPathname = parentPath(path);
		let parent = this.byPath.get(parentPathname);
		if (!parent) {
			const grandparent = this.parentDirectory(parentPathname, filesystem);
			if (!grandparent) return undefined;
			parent = newNode(baseName(parentPathname), parentPathname, filesystem.find(parentPathname) ?? impliedDirectoryMetadata());
			grandparent.children!.push(parent);
			this.byPath.set(parentPathname, parent);
		}
		return parent.type === 'dir' ? parent : undefined;
	}

	/** Sorts children and sizes directories, counting the marked nodes; the builder is spent afterwards. */
	finish(): {tree: TreeNode; counts: ChangeCounts} {
		const counts: ChangeCounts = {added: 0, modified: 0, removed: 0};
		const visit = (node: TreeNode): void => {
			if (node.change) counts[node.change]++;
			const {children} = node;
			if (!children) return;
			if (node.type !== 'dir') {
				// Marked over with a non-directory: what was drawn under it can no longer be.
				delete node.children;
				return;
			}
			children.sort(byName);
			let size = 0;
			for (const child of children) {
				visit(child);
				if (child.change !== 'removed' || node.change === 'removed') size += child.size;
			}
			node.size = size;
		};
		visit(this.root);
		return {tree: this.root, counts};
	}
}
