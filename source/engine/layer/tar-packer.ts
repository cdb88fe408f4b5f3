import {Readable} from 'node:stream';
import {StrataError} from '../errors.js';
import {paddingFor} from './tar-header.js';
import {encodeTarHeader, endOfArchive, type LayerTarHeader} from './tar-header-writer.js';

export type {LayerTarHeader} from './tar-header-writer.js';

/** A regular file's content: bytes at hand, or a stream of exactly `size` bytes. */
export type LayerTarContent = Uint8Array | AsyncIterable<Uint8Array>;

export type LayerTarPacker = {
	/** The tar bytes; read (or pipe) it while entries are added. */
	readable: Readable;
	/**
	 * Appends an entry. Resolves once it is handed to `readable` (waits while the reader is behind).
	 * A file's content must be exactly `header.size` bytes. Calls must not overlap. After a rejection
	 * part of the entry may be written: destroy the packer rather than go on.
	 */
	add(header: LayerTarHeader, content?: LayerTarContent): Promise<void>;
	/** Writes the end-of-archive marker and ends `readable`. */
	finish(): Promise<void>;
	/** Ends `readable` with an error (the reader sees it). */
	destroy(error: Error): void;
};

/**
 * Writes a Docker-style layer tar entry by entry, for callers that produce entries themselves
 * (directory packing, container commit, builder COPY). Headers are encoded as Go's archive/tar
 * writes Docker's (see encodeTarHeader); whiteouts are empty files named by whiteoutMarkerPath.
 */
export function createLayerTarPacker(): LayerTarPacker {
	let wake: (() => void) | undefined;
	let closed: Error | undefined;
	const readable = new Readable({
		highWaterMark: 256 * 1024,
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
			callback(error);
		},
	});

	async function push(bytes: Buffer): Promise<void> {
		if (closed) throw closed;
		if (readable.push(bytes)) return;
		await new Promise<void>(resolve => {
			wake = resolve;
		});
		if (closed) throw closed;
	}

	async function add(header: LayerTarHeader, content?: LayerTarContent): Promise<void> {
		const size = header.type === 'file' ? (header.size ?? 0) : 0;
		const encoded = encodeTarHeader(header);
		if (content === undefined) {
			// A caller bug, not a user error.
			if (size !== 0) throw new Error(`tar: no content given for ${JSON.stringify(header.path)} (${size} bytes)`);
			await push(encoded);
			return;
		}
		if (content instanceof Uint8Array) {
			checkLength(header.path, size, content.length);
			// Small files go out as one chunk: header, content and padding together.
			await push(Buffer.concat([encoded, content, Buffer.alloc(paddingFor(size))]));
			return;
		}
		await push(encoded);
		let written = 0;
		for await (const chunk of content) {
			written += chunk.length;
			if (written > size) checkLength(header.path, size, written);
			await push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
		}
		checkLength(header.path, size, written);
		const padding = paddingFor(size);
		if (padding > 0) await push(Buffer.alloc(padding));
	}

	return {
		readable,
		add,
		async finish() {
			await push(endOfArchive);
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
