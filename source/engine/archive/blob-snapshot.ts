import {open, type FileHandle} from 'node:fs/promises';
import type {Digest} from '../digest.js';
import {StrataError} from '../errors.js';
import type {ImageConfig, Manifest} from '../image/types.js';
import type {Store} from '../store/store.js';
import {type SelectedImage, selectImages} from './save-selection.js';

/** One image as it will be saved: its stored manifest and config bytes, exactly. */
export type SnapshotImage = SelectedImage & {
	manifestBytes: Buffer;
	manifest: Manifest;
	configBytes: Buffer;
	config: ImageConfig;
};

/** The images to save with every blob they need already open. Close it when done. */
export type BlobSnapshot = {
	images: SnapshotImage[];
	handles: Map<Digest, FileHandle>;
	close(): Promise<void>;
};

// A writer can delete a blob between reading the catalog and opening it; then the catalog is read again.
const attempts = 3;

async function openAll(store: Store, digests: Digest[], handles: Map<Digest, FileHandle>): Promise<void> {
	for (const digest of digests) {
		if (!handles.has(digest)) handles.set(digest, await open(store.blobs.path(digest), 'r'));
	}
}

async function tryTake(store: Store, refs: string[], handles: Map<Digest, FileHandle>): Promise<SnapshotImage[]> {
	const images: SnapshotImage[] = [];
	for (const selected of selectImages(await store.catalog(), refs)) {
		const {record} = selected;
		await openAll(store, [record.manifest.digest, record.id], handles);
		const manifestBytes = await handles.get(record.manifest.digest)!.readFile();
		const configBytes = await handles.get(record.id)!.readFile();
		const manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
		await openAll(store, manifest.layers.map(layer => layer.digest), handles);
		images.push({...selected, manifestBytes, manifest, configBytes, config: JSON.parse(configBytes.toString('utf8')) as ImageConfig});
	}
	return images;
}

/**
 * Opens every blob the selected images need before a byte is written. Open files stay readable even
 * if a concurrent `rmi` removes them, so the archive is a consistent snapshot without holding the
 * store's lock for the whole (long) save.
 */
export async function takeBlobSnapshot(store: Store, refs: string[]): Promise<BlobSnapshot> {
	for (let attempt = 1; ; attempt++) {
		const handles = new Map<Digest, FileHandle>();
		const close = async () => {
			for (const handle of handles.values()) await handle.close().catch(() => {});
		};
		try {
			const images = await tryTake(store, refs, handles);
			return {images, handles, close};
		} catch (error) {
			await close();
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
			if (attempt === attempts) {
				throw new StrataError(`store ${store.root}: blob ${(error as NodeJS.ErrnoException).path} is missing`);
			}
		}
	}
}
