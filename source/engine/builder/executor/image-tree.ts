// An image's files as COPY and WORKDIR look at them before anything runs: which destination directories
// exist (and their owners and modes), and the text of /etc/passwd and /etc/group for `--chown` names.
// Read from the layers' stored indexes (and, for a file's text, from the one layer tar that holds it),
// never from an unpacked root: unpacking a 5,000-file image just to lstat `/app` cost more than the
// whole step. Like the unpacked root it replaces, it also holds the container mount points (the daemon's
// init layer has them too, so Docker's diff never reports them created).
import {createReadStream} from 'node:fs';
import type {Digest} from '../../digest.js';
import {MergedFilesystem, type PathMetadata} from '../../analysis/merged-filesystem.js';
import {mountPoints} from '../../containers/mount-points.js';
import {cleanLayerPath} from '../../layer/layer-path.js';
import {goClean} from '../context/go-path.js';
import {followSymlinksInScope, ScopeError, type ScopedEntries} from '../context/scoped-path.js';
import {readTarEvents} from '../../layer/tar-parser.js';
import type {LayerEntry} from '../../layer/types.js';
import type {Store} from '../../store/store.js';

export class ImageTree {
	private constructor(
		private readonly store: Store,
		private readonly layers: ReadonlyArray<{diffID: Digest; entries: readonly LayerEntry[]}>,
		private readonly merged: MergedFilesystem,
	) {}

	/** The merged tree as the scoped walk reads it. */
	private readonly entries: ScopedEntries = {get: path => this.merged.find(path)};

	/** The tree of an image with these layers, bottom first (none: `FROM scratch`). */
	static async load(store: Store, diffIDs: readonly Digest[]): Promise<ImageTree> {
		const merged = new MergedFilesystem();
		const layers = [];
		for (const diffID of diffIDs) {
			const {entries} = await store.layers.index(diffID);
			merged.apply(entries);
			layers.push({diffID, entries});
		}
		const tree = new ImageTree(store, layers, merged);
		tree.addMountPoints();
		return tree;
	}

	/**
	 * What lstat would say of `path` (absolute or relative) in the image's root: symlinks in its parents are
	 * followed without leaving the root, the last component is not. Undefined when nothing is there.
	 */
	lstat(path: string): PathMetadata | undefined {
		const resolved = this.resolve(path, false);
		return resolved === undefined ? undefined : this.merged.find(resolved);
	}

	/** The text of the regular file `path` leads to (symlinks followed in the root), or undefined. */
	async readText(path: string): Promise<string | undefined> {
		let resolved = this.resolve(path, true);
		const node = resolved === undefined ? undefined : this.merged.find(resolved);
		if (resolved === undefined || !node || (node.type !== 'file' && node.type !== 'hardlink')) return undefined;
		// The top-most layer listing the path wrote what the image holds there (a higher whiteout would have
		// removed the node); a hardlink's content is that of its target in the same layer.
		for (let index = this.layers.length - 1; index >= 0; index--) {
			const layer = this.layers[index]!;
			const entry = layer.entries.find(candidate => candidate.path === resolved);
			if (!entry) continue;
			if (entry.type === 'hardlink' && entry.linkname !== undefined) resolved = cleanLayerPath(entry.linkname) ?? resolved;
			return this.readFromLayer(layer.diffID, resolved);
		}
		return undefined;
	}

	private async readFromLayer(diffID: Digest, path: string): Promise<string | undefined> {
		const chunks: Buffer[] = [];
		let reading = false;
		for await (const event of readTarEvents(createReadStream(this.store.blobs.path(diffID)))) {
			if (event.kind === 'entry') reading = cleanLayerPath(event.header.name) === path && event.header.typeflag !== '1';
			else if (event.kind === 'data' && reading) chunks.push(Buffer.from(event.chunk));
			else if (event.kind === 'entryEnd' && reading) return Buffer.concat(chunks).toString('utf8');
		}
		return undefined;
	}

	/**
	 * The path (clean, relative) that `path` names once symlinks are followed inside the root, as Docker's
	 * FollowSymlinkInScope does (scoped-path.ts): an absolute target starts again at the root, `..` stops
	 * there. The last component is followed only with `followLast` (lstat does not). Undefined when a parent
	 * is a file or there are too many links.
	 */
	private resolve(path: string, followLast: boolean): string | undefined {
		const clean = goClean(`/${path}`).slice(1);
		const slash = clean.lastIndexOf('/');
		try {
			if (followLast) return followSymlinksInScope(this.entries, clean);
			const parent = slash === -1 ? '' : followSymlinksInScope(this.entries, clean.slice(0, slash));
			const name = clean.slice(slash + 1);
			return parent === '' ? name : `${parent}/${name}`;
		} catch (error) {
			if (error instanceof ScopeError) return undefined;
			throw error;
		}
	}

	/** Mount points the image lacks, as unpacking adds them (root-owned, 0755 directories, 0644 files). */
	private addMountPoints(): void {
		const entries: LayerEntry[] = [];
		for (const {path, kind} of mountPoints) {
			const slash = path.lastIndexOf('/');
			const parent = slash < 0 ? undefined : this.merged.find(path.slice(0, slash));
			if (slash >= 0 && parent?.type !== 'dir' && !entries.some(entry => entry.path === path.slice(0, slash))) continue;
			if (this.merged.find(path)) continue;
			entries.push({path, type: kind, size: 0, mode: kind === 'dir' ? 0o755 : 0o644, uid: 0, gid: 0, mtime: 0});
		}
		if (entries.length > 0) this.merged.apply(entries);
	}
}
