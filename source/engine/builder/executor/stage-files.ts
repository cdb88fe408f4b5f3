// The files of an image as COPY sees them: `--from` sources (a stage's or image's root file system, hashed
// with real owners) and the current image's tree (which destination directories exist, /etc/passwd).
import type {Digest} from '../../digest.js';
import {unpackImage} from '../../containers/unpacked-image.js';
import {mountPointPaths} from '../../containers/mount-points.js';
import {StrataError} from '../../errors.js';
import type {ImageRecord} from '../../store/image-catalog.js';
import type {Store} from '../../store/store.js';
import {createBuildContext, type BuildContext} from '../context/build-context.js';
import {listContext} from '../context/list-context.js';
import {ImageTree} from './image-tree.js';
import {loadStageContext, saveStageContexts} from '../cache/stage-context-cache.js';
import {layerCapabilities} from './stage-capabilities.js';

export class StageFiles {
	private readonly roots = new Map<Digest, Promise<string>>();
	private readonly trees = new Map<Digest, Promise<ImageTree>>();
	private readonly contexts = new Map<Digest, Promise<BuildContext>>();

	constructor(private readonly store: Store) {}

	/** The image's files from its layer indexes (which directories exist, /etc/passwd): nothing unpacked. */
	tree(id: Digest): Promise<ImageTree> {
		return this.once(this.trees, id, record => ImageTree.load(this.store, record.diffIDs));
	}

	/** The image's unpacked root (shared with its containers). */
	root(id: Digest): Promise<string> {
		return this.once(this.roots, id, record => unpackImage(this.store, record));
	}

	/** `make`'s result for the image `id`, made once per build. */
	private once<T>(cache: Map<Digest, Promise<T>>, id: Digest, make: (record: ImageRecord) => Promise<T>): Promise<T> {
		let made = cache.get(id);
		if (!made) {
			made = (async () => {
				const record = (await this.store.catalog()).records.get(id);
				if (!record) throw new StrataError(`No such image: ${id}`);
				return make(record);
			})();
			cache.set(id, made);
		}
		return made;
	}

	/**
	 * The image's files as a COPY --from context: the shared unpacked root (made once per image, so a
	 * rebuild extracts nothing), less the container mount points unpacking added where the image has
	 * nothing (they are no part of the image). Extraction cannot set file capabilities, so the entries get
	 * theirs from the layers (COPY --from hashes them).
	 */
	context(id: Digest): Promise<BuildContext> {
		return this.once(this.contexts, id, async record => {
			const root = await this.root(id);
			// A rebuild finds the image's listing and sums as the last build left them (stage-context-cache.ts).
			const cached = await loadStageContext(this.store.paths, id, root);
			if (cached) return cached;
			const added = await this.addedMountPoints(record.diffIDs);
			const entries = (await listContext(root, {detectHardlinks: false})).filter(entry => !added.has(entry.path));
			const capabilities = await layerCapabilities(this.store, record.diffIDs, `image ${id}`);
			for (const entry of entries) {
				const capability = capabilities.get(entry.path);
				if (capability) entry.xattrs = {'security.capability': capability.toString('latin1')};
			}
			return createBuildContext(root, entries, 'stage');
		});
	}

	/** The mount points the image's layers do not leave in place (absent, or removed by a later whiteout). */
	private async addedMountPoints(diffIDs: readonly Digest[]): Promise<Set<string>> {
		const present = new Set<string>();
		for (const diffID of diffIDs) {
			const {entries} = await this.store.layers.index(diffID);
			for (const entry of entries) {
				// A layer may carry `etc/passwd` with no entry for `etc` itself: the directory is the image's all the same.
				for (const path of mountPointPaths) if (entry.path.startsWith(`${path}/`) && entry.type !== 'whiteout') present.add(path);
				if (!mountPointPaths.includes(entry.path)) continue;
				if (entry.type === 'whiteout') present.delete(entry.path);
				else if (entry.type !== 'opaque') present.add(entry.path);
			}
		}
		return new Set(mountPointPaths.filter(path => !present.has(path)));
	}

	/**
	 * Nothing to delete: COPY --from reads the shared unpacked roots, which outlive the build. The sums it
	 * computed are kept for the next build.
	 */
	cleanUp(): Promise<void> {
		return saveStageContexts(this.store, this.contexts);
	}
}
