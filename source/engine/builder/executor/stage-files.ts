// The files of an image as COPY sees them: `--from` sources (a stage's or image's root file system, hashed
// with real owners) and the current image's tree (which destination directories exist, /etc/passwd).
import {createReadStream} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Digest} from '../../digest.js';
import {unpackImage} from '../../containers/unpacked-image.js';
import {extractLayer} from '../../layer/safe-extract.js';
import {StrataError} from '../../errors.js';
import type {Store} from '../../store/store.js';
import {createBuildContext, type BuildContext} from '../context/build-context.js';
import {listContext} from '../context/list-context.js';
import {layerCapabilities} from './stage-capabilities.js';

export class StageFiles {
	private readonly roots = new Map<Digest, Promise<string>>();
	private readonly contexts = new Map<Digest, Promise<BuildContext>>();
	private readonly extracted: string[] = [];

	constructor(private readonly store: Store) {}

	/** The image's unpacked root (shared with its containers). */
	root(id: Digest): Promise<string> {
		let root = this.roots.get(id);
		if (!root) {
			root = (async () => {
				const record = (await this.store.catalog()).records.get(id);
				if (!record) throw new StrataError(`No such image: ${id}`);
				return unpackImage(this.store, record);
			})();
			this.roots.set(id, root);
		}
		return root;
	}

	/**
	 * The image's files as a COPY --from context: its layers alone, extracted aside (the shared unpacked
	 * root also has the containers' mount points, which are no part of the image). Extraction cannot set
	 * file capabilities, so the entries get theirs from the layers (COPY --from hashes them).
	 */
	context(id: Digest): Promise<BuildContext> {
		let context = this.contexts.get(id);
		if (!context) {
			context = (async () => {
				const record = (await this.store.catalog()).records.get(id);
				if (!record) throw new StrataError(`No such image: ${id}`);
				const root = await mkdtemp(join(tmpdir(), 'strata-build-stage-'));
				this.extracted.push(root);
				for (const [index, diffID] of record.diffIDs.entries()) {
					await extractLayer(createReadStream(this.store.blobs.path(diffID)), root, `layer ${index + 1} (${diffID}) of ${id}`);
				}
				const entries = await listContext(root, {detectHardlinks: false});
				const capabilities = await layerCapabilities(this.store, record.diffIDs, `image ${id}`);
				for (const entry of entries) {
					const capability = capabilities.get(entry.path);
					if (capability) entry.xattrs = {'security.capability': capability.toString('latin1')};
				}
				return createBuildContext(root, entries, 'stage');
			})();
			this.contexts.set(id, context);
		}
		return context;
	}

	/** Deletes the stage files extracted for COPY --from. */
	async cleanUp(): Promise<void> {
		await Promise.all(this.extracted.splice(0).map(root => rm(root, {recursive: true, force: true}).catch(() => {})));
	}
}
