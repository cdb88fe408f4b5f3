import {Writable} from 'node:stream';
import {asLayerError, layerError} from './layer-error.js';
import {toLayerItem} from './layer-entry.js';
import type {TarHeader} from './tar-header.js';
import {TarParser} from './tar-parser.js';
import type {LayerEntry} from './types.js';

export type LayerIndexerResult = {
	entries: LayerEntry[];
	/** Docker's layer size: see layerContentSize. */
	size: number;
};

/**
 * What Docker reports as a layer's size: the overlay2 driver sums `lstat` sizes of everything but
 * directories in the applied layer (moby's `directory.Size`), so a symlink counts the bytes of its target
 * and a hardlink (size 0 in the tar) nothing more.
 */
export function layerContentSize(entries: readonly LayerEntry[]): number {
	let size = 0;
	for (const entry of entries) {
		if (entry.type === 'file') size += entry.size;
		else if (entry.type === 'symlink' && entry.linkname !== undefined) size += Buffer.byteLength(entry.linkname);
	}
	return size;
}

export type LayerIndexer = {
	/** Write the uncompressed layer tar here (respect backpressure), then end it. */
	writable: Writable;
	/** The entries once the tar has ended cleanly; rejects with a StrataError naming the layer otherwise. */
	result: Promise<LayerIndexerResult>;
};

/**
 * Gathers a layer's entries from its tar headers, in tar order: each header is interpreted (and
 * checked) by toLayerItem; duplicate paths keep the last entry, as extracting would. The one place an
 * index is made, whether the headers were parsed from a tar or are the ones a packer just wrote.
 */
export class LayerEntryCollector {
	// An opaque marker shares its path with the directory entry it marks, so it is keyed apart.
	private readonly entries = new Map<string, LayerEntry>();

	constructor(private readonly label: string) {}

	add(header: TarHeader): void {
		const item = toLayerItem(header, this.label);
		if (item.kind !== 'entry') return;
		const key = item.entry.type === 'opaque' ? `\0opaque\0${item.entry.path}` : item.entry.path;
		if (this.entries.has(key)) this.entries.delete(key);
		this.entries.set(key, item.entry);
	}

	result(): LayerIndexerResult {
		const list = [...this.entries.values()];
		return {entries: list, size: layerContentSize(list)};
	}
}

/**
 * Indexes a layer tar while the caller stores it: the caller writes the bytes into `writable` and
 * awaits `result`. Content is skipped without copying. A malformed or unsafe layer (corrupt or
 * truncated tar, a path or link escaping the root) errors the writable and rejects `result`.
 */
export function createLayerIndexer(label: string): LayerIndexer {
	const collector = new LayerEntryCollector(label);
	const parser = new TarParser({entry: header => collector.add(header)});

	let resolve!: (value: LayerIndexerResult) => void;
	let reject!: (reason: unknown) => void;
	const result = new Promise<LayerIndexerResult>((resolvePromise, rejectPromise) => {
		resolve = resolvePromise;
		reject = rejectPromise;
	});
	// The caller may see the failure through its own write first; do not also crash on this promise.
	result.catch(() => {});

	const writable = new Writable({
		highWaterMark: 256 * 1024,
		write(chunk: Buffer, _encoding, callback) {
			try {
				parser.push(chunk);
			} catch (error) {
				callback(asLayerError(label, error) as Error);
				return;
			}
			callback();
		},
		final(callback) {
			try {
				parser.end();
			} catch (error) {
				callback(asLayerError(label, error) as Error);
				return;
			}
			resolve(collector.result());
			callback();
		},
	});
	writable.on('error', reject);
	writable.on('close', () => reject(layerError(label, 'indexing was aborted before the layer ended')));
	return {writable, result};
}
