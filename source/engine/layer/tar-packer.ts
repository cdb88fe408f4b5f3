import {Readable} from 'node:stream';
import {StrataError} from '../errors.js';
import {blockSize, paddingFor, type TarHeader} from './tar-header.js';
import {encodeTarHeader, endOfArchive, type LayerTarHeader, parsedTarHeader} from './tar-header-writer.js';

export type {LayerTarHeader} from './tar-header-writer.js';

/**
 * Reads a file's content into `buffer` at `offset`, at most `length` bytes (its size plus one: a file
 * that grew fills them), and returns the bytes read, synchronously: the packer hands it the tar's own
 * buffer, so nothing is copied.
 */
export type LayerTarContentReader = (buffer: Buffer, offset: number, length: number) => number;

/** A regular file's content: bytes at hand, a stream of exactly `size` bytes, or a reader. */
export type LayerTarContent = Uint8Array | AsyncIterable<Uint8Array> | LayerTarContentReader;

export type LayerTarPacker = {
	/** The tar bytes; read (or pipe) it while entries are added. */
	readable: Readable;
	/**
	 * Appends an entry. Resolves once it is taken in (waits while the reader is behind).
	 * A file's content must be exactly `header.size` bytes. Calls must not overlap. After a rejection
	 * part of the entry may be written: destroy the packer rather than go on.
	 */
	add(header: LayerTarHeader, content?: LayerTarContent): Promise<void>;
	/**
	 * Appends an entry whose content is at hand (bytes or a reader) right away, without a promise per
	 * entry: packing thousands of small files is mostly per-entry overhead. Returns false when the reader
	 * is behind: await `ready()` before the next entry. Throws as `add` rejects.
	 */
	write(header: LayerTarHeader, content?: Uint8Array | LayerTarContentReader): boolean;
	/** Resolves when the reader wants more (at once if it is not behind). */
	ready(): Promise<void>;
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
	// The reader has more than its high-water mark: the next add waits until it asks for more.
	let behind = false;
	const readable = new Readable({
		highWaterMark: chunkSize,
		read() {
			// The reader wants more: whatever was pushed before is being taken.
			behind = false;
			const resume = wake;
			wake = undefined;
			resume?.();
		},
		destroy(error, callback) {
			// Also called after a normal end (autoDestroy): only an unfinished tar is an error.
			if (!finished) closed = error ?? new StrataError('the layer tar reader was closed before the tar was complete');
			const resume = wake;
			wake = undefined;
			resume?.();
			if (closed) rejectHeaders(closed);
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

	// Chunks start zeroed and every byte is written at most once, so header fields left empty and the
	// padding after a file's content need no writing: they are zero already.
	let chunk = Buffer.alloc(chunkSize);
	let used = 0;
	let finished = false;

	// Everything below but caughtUp is synchronous: one await per entry, not one per piece of it.
	function push(bytes: Buffer): void {
		if (closed) throw closed;
		if (!readable.push(bytes)) behind = true;
	}

	async function caughtUp(): Promise<void> {
		if (closed) throw closed;
		if (!behind) return;
		await new Promise<void>(resolve => {
			wake = resolve;
		});
		if (closed) throw closed;
	}

	/** Hands the gathered bytes to the reader; the next ones go into a new chunk. */
	function flush(): void {
		if (used === 0) return;
		const full = chunk.subarray(0, used);
		chunk = Buffer.alloc(chunkSize);
		used = 0;
		push(full);
	}

	/** `length` bytes of zeroed room at `used`, flushing first when the chunk has less. */
	function reserve(length: number): void {
		if (chunkSize - used < length) flush();
	}

	function append(bytes: Uint8Array): void {
		if (bytes.length >= passThroughSize) {
			flush();
			push(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
			return;
		}
		reserve(bytes.length);
		chunk.set(bytes, used);
		used += bytes.length;
	}

	function appendZeros(length: number): void {
		reserve(length);
		used += length;
	}

	function writeHeader(header: LayerTarHeader): void {
		const parsed = parsedTarHeader(header);
		headers.push(parsed);
		reserve(blockSize);
		const block = chunk.subarray(used, used + blockSize);
		const encoded = encodeTarHeader(parsed, block);
		if (encoded === block) {
			used += blockSize;
			return;
		}
		// A PAX entry came first: the block was only a draft, and the bytes after `used` must stay zero.
		block.fill(0);
		append(encoded);
	}

	/** A reader's content, read straight into the chunk (or its own buffer when bigger than one). */
	function appendRead(path: string, size: number, read: LayerTarContentReader): void {
		// One byte more than the size, to see a file that grew.
		const room = size + 1;
		if (room > chunkSize) {
			flush();
			const target = Buffer.alloc(room);
			checkLength(path, size, read(target, 0, room));
			push(target.subarray(0, size));
			return;
		}
		reserve(room);
		const got = read(chunk, used, room);
		if (got !== size) {
			chunk.fill(0, used, used + room);
			checkLength(path, size, got);
		}
		used += size;
	}

	function write(header: LayerTarHeader, content?: Uint8Array | LayerTarContentReader): boolean {
		if (closed) throw closed;
		const size = header.type === 'file' ? (header.size ?? 0) : 0;
		if (content === undefined) {
			// A caller bug, not a user error.
			if (size !== 0) throw new Error(`tar: no content given for ${JSON.stringify(header.path)} (${size} bytes)`);
			writeHeader(header);
			return !behind;
		}
		if (content instanceof Uint8Array) {
			checkLength(header.path, size, content.length);
			writeHeader(header);
			append(content);
		} else {
			writeHeader(header);
			appendRead(header.path, size, content);
		}
		appendZeros(paddingFor(size));
		return !behind;
	}

	async function add(header: LayerTarHeader, content?: LayerTarContent): Promise<void> {
		await caughtUp();
		if (content === undefined || content instanceof Uint8Array || typeof content === 'function') {
			write(header, content);
			return;
		}
		const size = header.type === 'file' ? (header.size ?? 0) : 0;
		writeHeader(header);
		let written = 0;
		for await (const part of content) {
			written += part.length;
			if (written > size) checkLength(header.path, size, written);
			append(part);
			await caughtUp();
		}
		checkLength(header.path, size, written);
		appendZeros(paddingFor(size));
	}

	return {
		readable,
		add,
		write,
		ready: caughtUp,
		async finish() {
			await caughtUp();
			appendZeros(endOfArchive.length);
			flush();
			finished = true;
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
