import {Readable} from 'node:stream';
import {StrataError} from '../errors.js';
import {blockSize, paddingFor, type TarHeader} from './tar-header.js';
import {encodeTarHeader, endOfArchive, type LayerTarHeader, parsedTarHeader} from './tar-header-writer.js';

export type {LayerTarHeader} from './tar-header-writer.js';

/** A regular file's content: bytes at hand, or a stream of exactly `size` bytes. */
export type LayerTarContent = Uint8Array | AsyncIterable<Uint8Array>;

export type LayerTarPacker = {
	/** The tar bytes; read (or pipe) it while entries are added. */
	readable: Readable;
	/**
	 * Appends an entry. Resolves once it is taken in (waits while the reader is behind).
	 * A file's content must be exactly `header.size` bytes. Calls must not overlap. After a rejection
	 * part of the entry may be written: destroy the packer rather than go on.
	 */
	add(header: LayerTarHeader, content?: LayerTarContent): Promise<void>;
	/** Writes the end-of-archive marker and ends `readable`. */
	finish(): Promise<void>;
	/** Ends `readable` with an error (the reader sees it). */
	destroy(error: Error): void;
};

/** Output chunk size: small entries are gathered into chunks of this size, so per-chunk costs (hash, write) stay small. */
const chunkSize = 256 * 1024;
/** Content at least this big goes out as it comes rather than being copied into a chunk. */
const passThroughSize = 64 * 1024;

/** The headers each packer wrote, by its readable (see packedTarHeaders). */
const packedHeaders = new WeakMap<object, Promise<readonly TarHeader[]>>();

/**
 * The headers of a tar `source` that a packer is writing, as a parser would read them back, or
 * undefined for any other source; resolves once the packer has finished. Storing the layer indexes them
 * (LayerEntryCollector, as it does parsed headers) instead of parsing back a tar strata has just written.
 */
export function packedTarHeaders(source: unknown): Promise<readonly TarHeader[]> | undefined {
	return typeof source === 'object' && source !== null ? packedHeaders.get(source) : undefined;
}

/**
 * Writes a Docker-style layer tar entry by entry, for callers that produce entries themselves
 * (directory packing, container commit, builder COPY). Headers are encoded as Go's archive/tar
 * writes Docker's (see encodeTarHeader); whiteouts are empty files named by whiteoutMarkerPath.
 * Headers, small contents and padding are copied into chunks of about 256 KiB, so a tar of many small
 * files is a few big buffers; the headers are kept for the index (packedTarHeaders).
 */
export function createLayerTarPacker(): LayerTarPacker {
	let wake: (() => void) | undefined;
	let closed: Error | undefined;
	const readable = new Readable({
		highWaterMark: chunkSize,
		read() {
			const resume = wake;
			wake = undefined;
			resume?.();
		},
		destroy(error, callback) {
			closed = error ?? new StrataError('the layer tar reader was closed before the tar was complete');
			const resume = wake;
			wake = undefined;
			resume?.();
			rejectHeaders(closed);
			callback(error);
		},
	});
	const headers: TarHeader[] = [];
	let resolveHeaders!: (headers: readonly TarHeader[]) => void;
	let rejectHeaders!: (error: Error) => void;
	const written = new Promise<readonly TarHeader[]>((resolve, reject) => {
		resolveHeaders = resolve;
		rejectHeaders = reject;
	});
	// Nobody may ask for them (a tar piped elsewhere); a failure is the readable's anyway.
	written.catch(() => {});
	packedHeaders.set(readable, written);

	let chunk = Buffer.allocUnsafe(chunkSize);
	let used = 0;

	async function push(bytes: Buffer): Promise<void> {
		if (closed) throw closed;
		if (readable.push(bytes)) return;
		await new Promise<void>(resolve => {
			wake = resolve;
		});
		if (closed) throw closed;
	}

	/** Hands the gathered bytes to the reader; the next ones go into a new chunk. */
	async function flush(): Promise<void> {
		if (used === 0) return;
		const full = chunk.subarray(0, used);
		chunk = Buffer.allocUnsafe(chunkSize);
		used = 0;
		await push(full);
	}

	/** `length` bytes of room in the chunk, flushing first when it has less. */
	async function reserve(length: number): Promise<void> {
		if (chunkSize - used < length) await flush();
	}

	async function append(bytes: Uint8Array): Promise<void> {
		if (bytes.length >= passThroughSize) {
			await flush();
			await push(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
			return;
		}
		await reserve(bytes.length);
		chunk.set(bytes, used);
		used += bytes.length;
	}

	async function appendZeros(length: number): Promise<void> {
		await reserve(length);
		chunk.fill(0, used, used + length);
		used += length;
	}

	async function writeHeader(header: LayerTarHeader): Promise<void> {
		const parsed = parsedTarHeader(header);
		headers.push(parsed);
		await reserve(blockSize);
		const block = chunk.subarray(used, used + blockSize).fill(0);
		const encoded = encodeTarHeader(parsed, block);
		if (encoded === block) used += blockSize;
		else await append(encoded);
	}

	async function add(header: LayerTarHeader, content?: LayerTarContent): Promise<void> {
		if (closed) throw closed;
		const size = header.type === 'file' ? (header.size ?? 0) : 0;
		if (content === undefined) {
			// A caller bug, not a user error.
			if (size !== 0) throw new Error(`tar: no content given for ${JSON.stringify(header.path)} (${size} bytes)`);
			await writeHeader(header);
			return;
		}
		if (content instanceof Uint8Array) {
			checkLength(header.path, size, content.length);
			await writeHeader(header);
			await append(content);
		} else {
			await writeHeader(header);
			let written = 0;
			for await (const part of content) {
				written += part.length;
				if (written > size) checkLength(header.path, size, written);
				await append(part);
			}
			checkLength(header.path, size, written);
		}
		await appendZeros(paddingFor(size));
	}

	return {
		readable,
		add,
		async finish() {
			await appendZeros(endOfArchive.length);
			await flush();
			if (closed) throw closed;
			resolveHeaders(headers);
			readable.push(null);
		},
		destroy(error) {
			readable.destroy(error);
		},
	};
}

/** A file that changed size while being packed would corrupt the tar; refuse instead. */
function checkLength(path: string, expected: number, actual: number): void {
	if (actual !== expected) {
		throw new StrataError(
			`${JSON.stringify(path)} changed while it was being packed (expected ${expected} bytes, got ${actual})`,
		);
	}
}
