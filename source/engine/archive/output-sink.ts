import {randomBytes} from 'node:crypto';
import {once} from 'node:events';
import {open, rename, unlink, type FileHandle} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';
import type {Writable} from 'node:stream';
import {StrataError} from '../errors.js';
import {describeWriteError} from '../store/blob-store.js';

/** Where `save` writes: bytes in order, then `commit` to publish or `abort` to leave nothing behind. */
export interface ByteSink {
	write(chunk: Buffer): Promise<void>;
	commit(): Promise<void>;
	abort(): Promise<void>;
}

function describeOutputError(error: unknown, path: string): Error {
	const code = (error as NodeJS.ErrnoException)?.code;
	if (code === 'ENOENT') return new StrataError(`${path}: directory ${dirname(path)} does not exist`);
	if (code === 'EISDIR') return new StrataError(`${path}: is a directory`);
	if (code === 'ENOTDIR') return new StrataError(`${path}: ${dirname(path)} is not a directory`);
	return describeWriteError(error, path);
}

/**
 * Writes a temp file beside `path` and renames it over `path` once complete and synced, so the output
 * path holds the whole archive or whatever it held before, never half of one.
 */
export async function fileSink(path: string): Promise<ByteSink> {
	const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
	let handle: FileHandle;
	try {
		handle = await open(temp, 'wx', 0o666);
	} catch (error) {
		throw describeOutputError(error, path);
	}
	let closed = false;
	const close = async () => {
		if (closed) return;
		closed = true;
		await handle.close();
	};
	return {
		async write(chunk) {
			try {
				let offset = 0;
				while (offset < chunk.length) offset += (await handle.write(chunk, offset, chunk.length - offset)).bytesWritten;
			} catch (error) {
				throw describeOutputError(error, path);
			}
		},
		async commit() {
			try {
				await handle.sync();
				await close();
				await rename(temp, path);
			} catch (error) {
				await close().catch(() => {});
				await unlink(temp).catch(() => {});
				throw describeOutputError(error, path);
			}
		},
		async abort() {
			await close().catch(() => {});
			await unlink(temp).catch(() => {});
		},
	};
}

/** Writes to a stream (stdout) with backpressure; the stream is left open for its owner. */
export function streamSink(stream: Writable): ByteSink {
	let failure: Error | undefined;
	const onError = (error: Error) => {
		failure ??= error;
	};
	stream.on('error', onError);
	const check = () => {
		if (failure) throw (failure as NodeJS.ErrnoException).code === 'EPIPE' ? new StrataError('output closed before the archive was written') : failure;
	};
	return {
		async write(chunk) {
			check();
			if (!stream.write(chunk)) await once(stream, 'drain');
			check();
		},
		async commit() {
			// The callback of an empty write runs once everything before it has been handed to the OS.
			await new Promise<void>((resolve, reject) => stream.write(Buffer.alloc(0), error => (error ? reject(error) : resolve())));
			check();
			stream.off('error', onError);
		},
		async abort() {
			stream.off('error', onError);
		},
	};
}
