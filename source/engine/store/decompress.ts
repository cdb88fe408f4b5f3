import {Readable} from 'node:stream';
import {createGunzip} from 'node:zlib';
import {StrataError} from '../errors.js';

export type Compression = 'none' | 'gzip' | 'zstd' | 'bzip2' | 'xz';

/** Compression by magic bytes, as Docker detects it (`archive.DetectCompression`). */
export function detectCompression(head: Uint8Array): Compression {
	const starts = (...bytes: number[]) => bytes.every((byte, i) => head[i] === byte);
	if (starts(0x1f, 0x8b, 0x08)) return 'gzip';
	if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'zstd';
	if (starts(0x42, 0x5a, 0x68)) return 'bzip2';
	if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'xz';
	return 'none';
}

async function* prepend(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
	if (head.length > 0) yield head;
	for (;;) {
		const next = await rest.next();
		if (next.done) return;
		yield next.value;
	}
}

/**
 * The uncompressed bytes of `source`, whatever compression its magic bytes announce. `label` names
 * the input in errors (`busybox.tar.gz: corrupt gzip stream: unexpected end of file`).
 */
export async function* decompressed(source: AsyncIterable<Buffer>, label: string): AsyncGenerator<Buffer> {
	const iterator = source[Symbol.asyncIterator]();
	let head = Buffer.alloc(0);
	while (head.length < 6) {
		const next = await iterator.next();
		if (next.done) break;
		head = Buffer.concat([head, next.value]);
	}
	const compression = detectCompression(head);
	if (compression === 'none') {
		yield* prepend(head, iterator);
		return;
	}
	if (compression !== 'gzip') {
		throw new StrataError(`${label}: ${compression} compression is not supported; use an uncompressed or gzip tar`);
	}
	const gunzip = createGunzip({chunkSize: 256 * 1024});
	const input = Readable.from(prepend(head, iterator), {objectMode: false});
	input.on('error', error => gunzip.destroy(error));
	input.pipe(gunzip);
	try {
		for await (const chunk of gunzip) yield chunk as Buffer;
	} catch (error) {
		if (error instanceof StrataError) throw error;
		const code = (error as NodeJS.ErrnoException).code ?? '';
		if (code.startsWith('Z_') || /unexpected end|incorrect header|invalid/i.test((error as Error).message)) {
			throw new StrataError(`${label}: corrupt gzip stream: ${(error as Error).message}`);
		}
		throw error;
	} finally {
		input.destroy();
	}
}
