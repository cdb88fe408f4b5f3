import {createHash} from 'node:crypto';
import {once} from 'node:events';
import {readFile, unlink} from 'node:fs/promises';
import {digestHex, type Digest} from '../digest.js';
import {StrataError} from '../errors.js';
import {createLayerIndexer, LayerEntryCollector, type LayerIndexerResult} from '../layer/layer-indexer.js';
import type {TarHeader} from '../layer/tar-header.js';
import {packedTarHeaders} from '../layer/tar-packer.js';
import type {LayerIndex} from '../layer/types.js';
import {allSettledOrThrow} from '../settled.js';
import {writeFileAtomic} from './atomic-file.js';
import {type BlobStore, digestMismatch} from './blob-store.js';
import {decompressed} from './decompress.js';
import type {StorePaths} from './paths.js';

export type IngestProgress = (bytes: number) => void;

/**
 * Layers: uncompressed tars stored as blobs (their digest is the DiffID) plus, per layer, the entry
 * index written at ingest. A layer shared by many images is stored once.
 */
export class LayerStore {
	private readonly cache = new Map<Digest, LayerIndex>();

	constructor(
		private readonly paths: StorePaths,
		private readonly blobs: BlobStore,
	) {}

	async has(diffID: Digest): Promise<boolean> {
		return (await this.blobs.has(diffID)) && (await this.readIndex(diffID)) !== undefined;
	}

	async readIndex(diffID: Digest): Promise<LayerIndex | undefined> {
		const cached = this.cache.get(diffID);
		if (cached) return cached;
		try {
			const index = JSON.parse(await readFile(this.paths.layerIndex(digestHex(diffID)), 'utf8')) as LayerIndex;
			this.cache.set(diffID, index);
			return index;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
			throw error;
		}
	}

	async index(diffID: Digest): Promise<LayerIndex> {
		const index = await this.readIndex(diffID);
		if (!index) throw new StrataError(`layer ${diffID} is missing from the store ${this.paths.root}`);
		return index;
	}

	/**
	 * Streams a layer (plain or gzip tar) into the store: decompress, hash, store and index in one
	 * pass. With `expectedDiffID`, a mismatch is an error and nothing is kept. A tar strata's packer is
	 * writing is indexed from the headers the packer wrote (the same LayerEntryCollector), not parsed back.
	 */
	async ingest(
		source: AsyncIterable<Buffer>,
		options: {label: string; expectedDiffID?: Digest; onProgress?: IngestProgress},
	): Promise<LayerIndex> {
		const writer = await this.blobs.createWriter();
		const packed = packedTarHeaders(source);
		const indexer = packed ? undefined : createLayerIndexer(options.label);
		// The indexer may reject before the stream ends; keep that from becoming an unhandled rejection.
		indexer?.result.catch(() => {});
		try {
			for await (const chunk of decompressed(source, options.label)) {
				await writer.write(chunk);
				if (indexer && !indexer.writable.write(chunk)) await Promise.race([once(indexer.writable, 'drain'), indexer.result]);
				options.onProgress?.(writer.size);
			}
			indexer?.writable.end();
			// A parsed tar must prove sound before it is stored; a packed one is (its headers are at hand).
			const parsed = indexer ? await indexer.result : undefined;
			const diffID = writer.digest();
			const mismatch = digestMismatch(options.expectedDiffID, diffID);
			if (mismatch) throw new StrataError(`${options.label}: ${mismatch.message} (layer content does not match its diff ID)`);
			// The blob is made durable while its index is built and written (a crash between the two leaves an
			// index without a blob, which counts as no layer and is swept).
			const committing = writer.commit();
			committing.catch(() => {});
			let listed: LayerIndexerResult;
			try {
				listed = parsed ?? collectEntries(await packed!, options.label);
			} catch (error) {
				// The clean-up below must not pull the file from under the commit.
				await committing.catch(() => {});
				throw error;
			}
			const index: LayerIndex = {diffID, tarSize: writer.size, size: listed.size, entries: listed.entries};
			await allSettledOrThrow([committing, writeFileAtomic(this.paths.layerIndex(digestHex(diffID)), JSON.stringify(index))]);
			this.cache.set(diffID, index);
			return index;
		} catch (error) {
			await writer.abort();
			indexer?.writable.destroy();
			throw error;
		}
	}

	/**
	 * Indexes a layer another tool stored as a blob (gzip or plain, under its own digest) without copying
	 * it: decompress, hash and list it. The index is kept for next time when the store can be written to
	 * (a reader does not need the lock: the file is replaced atomically and its content is determined by
	 * the blob). The content must hash to `diffID`.
	 */
	async indexStoredBlob(blobDigest: Digest, diffID: Digest): Promise<LayerIndex> {
		const label = `layer ${blobDigest}`;
		const indexer = createLayerIndexer(label);
		indexer.result.catch(() => {});
		const hash = createHash('sha256');
		let tarSize = 0;
		try {
			for await (const chunk of decompressed(this.blobs.openRead(blobDigest), label)) {
				hash.update(chunk);
				tarSize += chunk.length;
				if (!indexer.writable.write(chunk)) await Promise.race([once(indexer.writable, 'drain'), indexer.result]);
			}
			indexer.writable.end();
			const {entries, size} = await indexer.result;
			const actual: Digest = `sha256:${hash.digest('hex')}`;
			if (actual !== diffID) throw new StrataError(`${label}: its content is ${actual}, not its diff ID ${diffID}`);
			const index: LayerIndex = {diffID, tarSize, size, entries};
			await writeFileAtomic(this.paths.layerIndex(digestHex(diffID)), JSON.stringify(index)).catch(() => {});
			this.cache.set(diffID, index);
			return index;
		} catch (error) {
			indexer.writable.destroy();
			throw error;
		}
	}

	async delete(diffID: Digest): Promise<void> {
		this.cache.delete(diffID);
		await unlink(this.paths.layerIndex(digestHex(diffID))).catch(() => {});
		await this.blobs.delete(diffID);
	}
}

function collectEntries(headers: readonly TarHeader[], label: string): LayerIndexerResult {
	const collector = new LayerEntryCollector(label);
	for (const header of headers) collector.add(header);
	return collector.result();
}
