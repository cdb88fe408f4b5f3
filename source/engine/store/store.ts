import {existsSync, mkdirSync, writeFileSync} from 'node:fs';
import {readdir, unlink} from 'node:fs/promises';
import {join} from 'node:path';
import type {Digest} from '../digest.js';
import {sha256Digest} from '../digest.js';
import {StrataError} from '../errors.js';
import {allSettledOrThrow} from '../settled.js';
import {type Descriptor, type ImageConfig, type Manifest, mediaTypes, refNameAnnotation} from '../image/types.js';
import type {LayerIndex} from '../layer/types.js';
import {BlobStore, describeWriteError} from './blob-store.js';
import {ImageCatalog, type ImageRecord, readImagesFile, readIndexFile, saveCatalog, tagKey} from './image-catalog.js';
import {LayerStore} from './layer-store.js';
import {isAlive, StoreLock} from './lock.js';
import {StorePaths} from './paths.js';

/** What a manifest needs of a layer (a LayerIndex has it), and its size for the image's unless given. */
export type StoredLayer = Pick<LayerIndex, 'diffID' | 'tarSize'> & {size?: number};

function pidOfTempFile(name: string): number | undefined {
	const match = /^[a-z]+-(\d+)-/.exec(name) ?? /\.(\d+)\.[a-f\d]+\.tmp$/.exec(name);
	return match ? Number(match[1]) : undefined;
}

/** The end of each store root's queue of this process's writers. */
const writeQueues = new Map<string, Promise<void>>();

/**
 * Runs `write` after every write this process started before on the same root. Concurrent tasks of one
 * process (a build's stages) would otherwise all poll the file lock, which names this very process as
 * its owner, and the longest wait (a big layer ingested by another task) could outlast its timeout.
 */
async function queuedWrite<T>(root: string, write: () => Promise<T>): Promise<T> {
	const before = writeQueues.get(root) ?? Promise.resolve();
	let done!: () => void;
	const released = new Promise<void>(resolve => (done = resolve));
	const mine = before.then(() => released);
	writeQueues.set(root, mine);
	await before;
	try {
		return await write();
	} finally {
		done();
		if (writeQueues.get(root) === mine) writeQueues.delete(root);
	}
}

/**
 * The local image store: an OCI image layout (oci-layout, index.json, blobs/sha256) with strata's
 * records beside it in strata/. Reads take no lock; every write runs inside `write`, under the lock.
 */
export class Store {
	readonly paths: StorePaths;
	readonly blobs: BlobStore;
	readonly layers: LayerStore;

	private constructor(root: string) {
		this.paths = new StorePaths(root);
		this.blobs = new BlobStore(this.paths);
		this.layers = new LayerStore(this.paths, this.blobs);
	}

	get root() {
		return this.paths.root;
	}

	/**
	 * Opens (creating if needed) the store at `root`. Synchronous calls: a handful of mkdirs that find
	 * their directory, where a thread-pool round trip each was ~2 ms of every command's start.
	 */
	static async open(root: string): Promise<Store> {
		const store = new Store(root);
		try {
			for (const dir of [store.paths.root, store.paths.blobs, store.paths.tmp, store.paths.layers]) mkdirSync(dir, {recursive: true});
			if (!existsSync(store.paths.ociLayout)) writeFileSync(store.paths.ociLayout, '{"imageLayoutVersion":"1.0.0"}');
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'EACCES' || code === 'EROFS' || code === 'ENOTDIR') {
				throw new StrataError(`store ${store.root}: cannot open (${code})`);
			}
			throw error;
		}
		return store;
	}

	/** A consistent snapshot of images and tags. Manifests put into index.json by other tools are adopted. */
	async catalog(): Promise<ImageCatalog> {
		const index = await readIndexFile(this.paths);
		const known = await readImagesFile(this.paths);
		const byManifest = new Map<string, ImageRecord>();
		for (const record of known.values()) byManifest.set(record.manifest.digest, record);
		const records = new Map<Digest, ImageRecord>();
		const tags = new Map<string, Digest>();
		const refNames = new Map<string, string>();
		const foreign: Descriptor[] = [];
		for (const descriptor of index.manifests) {
			const record = byManifest.get(descriptor.digest) ?? (await this.adoptForeignManifest(descriptor));
			if (!record) {
				foreign.push(descriptor);
				continue;
			}
			records.set(record.id, record);
			const name = descriptor.annotations?.[refNameAnnotation];
			if (!name) continue;
			const key = tagKey(name);
			tags.set(key, record.id);
			if (key !== name) refNames.set(key, name);
		}
		return new ImageCatalog(records, tags, refNames, foreign);
	}

	/** Builds a record for a manifest strata did not write (e.g. `skopeo copy ... oci:ROOT:ref`). */
	private async adoptForeignManifest(descriptor: Descriptor): Promise<ImageRecord | undefined> {
		if (descriptor.mediaType !== mediaTypes.ociManifest && descriptor.mediaType !== mediaTypes.dockerManifest) return undefined;
		try {
			const manifest = await this.blobs.readJson<Manifest>(descriptor.digest);
			const config = await this.blobs.readJson<ImageConfig>(manifest.config.digest);
			const layerDigests = manifest.layers.map(layer => layer.digest);
			let size = 0;
			for (const [i, diffID] of config.rootfs.diff_ids.entries()) {
				// A layer strata has not seen yet (umoci's gzip layers) is indexed once, for its size and entries.
				const index = (await this.layers.readIndex(diffID)) ?? (layerDigests[i] ? await this.layers.indexStoredBlob(layerDigests[i]!, diffID).catch(() => undefined) : undefined);
				size += index?.size ?? 0;
			}
			return {
				id: manifest.config.digest,
				layerDigests,
				manifest: {mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size},
				diffIDs: config.rootfs.diff_ids,
				size,
				created: config.created,
				addedAt: config.created ?? new Date(0).toISOString(),
			};
		} catch {
			return undefined;
		}
	}

	async config(record: ImageRecord): Promise<ImageConfig> {
		return this.blobs.readJson<ImageConfig>(record.id);
	}

	async manifest(record: ImageRecord): Promise<Manifest> {
		return this.blobs.readJson<Manifest>(record.manifest.digest);
	}

	/**
	 * Runs `work` as the only writer of this store. It gets a private copy of the catalog; when `work`
	 * succeeds the copy is published atomically, when it throws nothing of it is.
	 */
	async write<T>(command: string, work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
		return queuedWrite(this.root, () => this.lockedWrite(command, work));
	}

	private async lockedWrite<T>(command: string, work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
		const lock = await StoreLock.acquire(this.paths.lock, {command}).catch(error => {
			throw describeWriteError(error, `store ${this.root}`);
		});
		try {
			const [before] = await Promise.all([this.catalog(), this.sweepTemporaryFiles()]);
			const tx = new StoreTransaction(this, before.clone());
			let result: T;
			try {
				result = await work(tx);
				// Publishing fails before index.json is replaced, or not at all (see saveCatalog).
				if (tx.changed) await saveCatalog(this.paths, before, tx.catalog);
			} catch (error) {
				// Blobs the failed work already ingested are unreferenced: drop them, the store is as before.
				await this.collectGarbage(before).catch(() => {});
				// A full disk while writing the catalog is the user's to fix, like one while writing a blob.
				throw describeWriteError(error, `store ${this.root}`);
			}
			if (tx.changed) await this.collectGarbage(tx.catalog);
			return result;
		} finally {
			await lock.release();
		}
	}

	/** Removes temp files of writers that died (their pid is in the name); live ones, ours included, are kept. */
	private async sweepTemporaryFiles(): Promise<void> {
		const sweep = async (dir: string) => {
			const names = await readdir(dir).catch(() => [] as string[]);
			for (const name of names) {
				if (dir !== this.paths.tmp && !name.endsWith('.tmp')) continue;
				const pid = pidOfTempFile(name);
				if (pid === undefined || (pid !== process.pid && !isAlive(pid))) await unlink(join(dir, name)).catch(() => {});
			}
		};
		await Promise.all([this.paths.tmp, this.paths.meta, this.paths.layers, this.paths.root].map(sweep));
	}

	/** Deletes blobs and layer indexes that no image references any more. */
	private async collectGarbage(catalog: ImageCatalog): Promise<void> {
		const live = new Set<string>();
		for (const record of catalog.records.values()) {
			live.add(record.id);
			live.add(record.manifest.digest);
			for (const digest of record.layerDigests ?? record.diffIDs) live.add(digest);
			for (const diffID of record.diffIDs) live.add(diffID);
		}
		for (const descriptor of catalog.foreign) await this.markReachable(descriptor, live);
		for (const name of await readdir(this.paths.blobs)) {
			const digest = `sha256:${name}` as Digest;
			if (!live.has(digest)) await this.layers.delete(digest);
		}
		// Indexes of foreign compressed layers are named by a diff ID that has no blob of its own.
		for (const name of await readdir(this.paths.layers)) {
			const match = /^([a-f\d]{64})\.json$/.exec(name);
			if (match && !live.has(`sha256:${match[1]}`)) await unlink(join(this.paths.layers, name)).catch(() => {});
		}
	}

	/** Adds `descriptor`'s blob and every blob it names (an index's manifests, a manifest's config and layers) to `live`. */
	private async markReachable(descriptor: Descriptor, live: Set<string>): Promise<void> {
		if (live.has(descriptor.digest)) return;
		live.add(descriptor.digest);
		if (descriptor.mediaType !== mediaTypes.ociIndex && descriptor.mediaType !== mediaTypes.dockerManifestList && descriptor.mediaType !== mediaTypes.ociManifest && descriptor.mediaType !== mediaTypes.dockerManifest) return;
		// A blob that is missing or no JSON names nothing more: keep what there is.
		const content = await this.blobs.readJson<{manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[]}>(descriptor.digest as Digest).catch(() => undefined);
		if (!content) return;
		for (const child of [...(content.manifests ?? []), ...(content.config ? [content.config] : []), ...(content.layers ?? [])]) await this.markReachable(child, live);
	}
}

/** The write side of the store, handed to `Store.write`. */
export class StoreTransaction {
	changed = false;

	constructor(
		readonly store: Store,
		readonly catalog: ImageCatalog,
	) {}

	/**
	 * Stores an image whose layers are already ingested: writes its config and an OCI manifest, then
	 * records it. Returns the record (existing one when the same config is already stored).
	 * `size` is the image's size when the caller knows it without every layer's index (a commit: its
	 * base's size plus the new layer's); otherwise the layers' sizes are summed.
	 */
	async addImage(config: ImageConfig, layers: readonly StoredLayer[], options: {parent?: Digest; configBytes?: Buffer; size?: number} = {}): Promise<ImageRecord> {
		const configBytes = options.configBytes ?? Buffer.from(JSON.stringify(config));
		const configDescriptor = {digest: sha256Digest(configBytes), size: configBytes.length};
		const existing = this.catalog.records.get(configDescriptor.digest);
		if (existing) {
			await this.store.blobs.put(configBytes, configDescriptor.digest);
			return existing;
		}
		const manifest: Manifest = {
			schemaVersion: 2,
			mediaType: mediaTypes.ociManifest,
			config: {mediaType: mediaTypes.ociConfig, digest: configDescriptor.digest, size: configDescriptor.size},
			layers: layers.map(layer => ({mediaType: mediaTypes.ociLayer, digest: layer.diffID, size: layer.tarSize})),
		};
		const manifestBytes = Buffer.from(JSON.stringify(manifest));
		// Both made durable at once (each waits on the disk otherwise), and both settled before a failure
		// is reported: the clean-up after it must not miss a blob still being renamed into place.
		const [, manifestDescriptor] = await allSettledOrThrow([this.store.blobs.put(configBytes, configDescriptor.digest), this.store.blobs.put(manifestBytes, sha256Digest(manifestBytes))]);
		const record: ImageRecord = {
			id: configDescriptor.digest,
			manifest: {mediaType: mediaTypes.ociManifest, digest: manifestDescriptor.digest, size: manifestDescriptor.size},
			diffIDs: config.rootfs.diff_ids,
			size: options.size ?? layers.reduce((sum, layer) => sum + (layer.size ?? 0), 0),
			created: config.created,
			parent: options.parent,
			addedAt: new Date().toISOString(),
		};
		this.catalog.records.set(record.id, record);
		this.changed = true;
		return record;
	}

	/** Points `fullName` at `id`, moving the tag if it pointed elsewhere (Docker's `tag`). Returns the previous target. */
	setTag(fullName: string, id: Digest): Digest | undefined {
		const previous = this.catalog.tags.get(fullName);
		this.catalog.tags.set(fullName, id);
		this.changed = true;
		return previous;
	}

	removeTag(fullName: string): boolean {
		const removed = this.catalog.tags.delete(fullName);
		if (removed) this.changed = true;
		return removed;
	}

	/** Forgets an image; its blobs go when no other image uses them. Children lose their parent link. */
	removeImage(id: Digest): void {
		this.catalog.records.delete(id);
		for (const [name, target] of this.catalog.tags) if (target === id) this.catalog.tags.delete(name);
		this.changed = true;
	}
}
