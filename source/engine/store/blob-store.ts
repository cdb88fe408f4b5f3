import {createHash, randomBytes, type Hash} from 'node:crypto';
import {createReadStream, type ReadStream} from 'node:fs';
import {open, readFile, rename, stat, unlink, type FileHandle} from 'node:fs/promises';
import {join} from 'node:path';
import {digestHex, type Digest, sha256Digest} from '../digest.js';
import {StrataError} from '../errors.js';
import {syncDirectory, writeThenRename} from './atomic-file.js';
import type {StorePaths} from './paths.js';

/** Temp files carry the writer's pid so that a later start can tell abandoned ones from live ones. */
export function tempFileName(kind: string): string {
	return `${kind}-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/** The error for content that does not hash to the digest it was expected to have, if it does not. */
export function digestMismatch(expected: Digest | undefined, actual: Digest): StrataError | undefined {
	return expected && expected !== actual ? new StrataError(`digest mismatch: expected ${expected}, got ${actual}`) : undefined;
}

/** Turns a file system failure while writing into a one-line error that names where and why. */
export function describeWriteError(error: unknown, where: string): Error {
	const code = (error as NodeJS.ErrnoException)?.code;
	if (code === 'ENOSPC') return new StrataError(`${where}: no space left on device; nothing was stored`);
	if (code === 'EDQUOT') return new StrataError(`${where}: disk quota exceeded; nothing was stored`);
	if (code === 'EROFS') return new StrataError(`${where}: read-only file system`);
	if (code === 'EACCES' || code === 'EPERM') return new StrataError(`${where}: permission denied`);
	return error instanceof Error ? error : new Error(String(error));
}

// Chunks smaller than this are gathered and written together (one writev), so that a source of small
// chunks (a pipe's 64 KiB) does not cost a thread-pool round trip each.
const writeBatchSize = 1024 * 1024;
// A big blob is flushed to disk in the background every this many bytes while it streams in, so that
// `commit`'s fsync finds little left to write instead of the whole blob.
const backgroundSyncBytes = 32 * 1024 * 1024;

/**
 * Streams one blob into the store: bytes go to a temp file while being hashed; `commit` fsyncs,
 * checks the digest and renames the file into blobs/sha256/. Until then nothing is visible.
 *
 * `write` hashes the chunk and hands it to the file system without waiting for it: one write is in
 * flight while the caller produces (reads, decompresses, indexes) the next chunk. So the chunk must
 * not be changed after `write` returns (stream chunks never are). A failed write surfaces from the
 * next `write` or from `commit`. Every `backgroundSyncBytes` a datasync starts too, off the critical path.
 */
export class BlobWriter {
	private readonly hash: Hash = createHash('sha256');
	private written = 0;
	private done = false;
	private batch: Uint8Array[] = [];
	private batchSize = 0;
	private inFlight: Promise<void> | undefined;
	private syncing: Promise<void> | undefined;
	private unsynced = 0;
	private finalDigest: Digest | undefined;

	private constructor(
		private readonly paths: StorePaths,
		private readonly tempPath: string,
		private readonly handle: FileHandle,
	) {}

	static async create(paths: StorePaths): Promise<BlobWriter> {
		const tempPath = join(paths.tmp, tempFileName('blob'));
		const handle = await open(tempPath, 'w', 0o644);
		return new BlobWriter(paths, tempPath, handle);
	}

	get size() {
		return this.written;
	}

	/** The blob's digest: the hash of everything written. Once it is asked for, nothing more may be written. */
	digest(): Digest {
		this.finalDigest ??= `sha256:${this.hash.digest('hex')}`;
		return this.finalDigest;
	}

	async write(chunk: Uint8Array): Promise<void> {
		if (chunk.length === 0) return;
		this.hash.update(chunk);
		this.written += chunk.length;
		this.batch.push(chunk);
		this.batchSize += chunk.length;
		if (this.batchSize >= writeBatchSize) await this.flush();
	}

	/** Waits for the write in flight, then starts writing the gathered chunks. */
	private async flush(): Promise<void> {
		await this.settle();
		if (this.batchSize === 0) return;
		const buffers = this.batch;
		this.batch = [];
		this.batchSize = 0;
		const writing = this.writeAll(buffers);
		// Awaited by the next flush or by settle(); this only keeps it from being an unhandled rejection meanwhile.
		writing.catch(() => {});
		this.inFlight = writing;
		this.unsynced += buffers.reduce((sum, buffer) => sum + buffer.length, 0);
		if (this.unsynced >= backgroundSyncBytes && !this.syncing) {
			this.unsynced = 0;
			// Only an early start on commit's fsync, which reports any failure: this one's result does not matter.
			this.syncing = this.handle.datasync().then(
				() => {
					this.syncing = undefined;
				},
				() => {
					this.syncing = undefined;
				},
			);
		}
	}

	/** Waits for the write in flight; throws what it failed with. */
	private async settle(): Promise<void> {
		const writing = this.inFlight;
		if (!writing) return;
		this.inFlight = undefined;
		try {
			await writing;
		} catch (error) {
			await this.abort();
			throw describeWriteError(error, `store ${this.paths.root}`);
		}
	}

	private async writeAll(buffers: Uint8Array[]): Promise<void> {
		if (buffers.length > 1) {
			const total = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
			const {bytesWritten} = await this.handle.writev(buffers);
			if (bytesWritten === total) return;
			// A short writev (rare on a regular file): write the rest piece by piece.
			buffers = [Buffer.concat(buffers, total).subarray(bytesWritten)];
		}
		const buffer = buffers[0]!;
		let offset = 0;
		while (offset < buffer.length) {
			const {bytesWritten} = await this.handle.write(buffer, offset, buffer.length - offset);
			offset += bytesWritten;
		}
	}

	/**
	 * Makes the blob durable and visible. `expected` is checked first: a mismatch discards the bytes.
	 * A blob that already exists is kept as is (content addressing makes the copies identical).
	 */
	async commit(expected?: Digest): Promise<{digest: Digest; size: number}> {
		const digest = this.digest();
		const mismatch = digestMismatch(expected, digest);
		if (mismatch) {
			await this.abort();
			throw mismatch;
		}
		await this.flush();
		await this.settle();
		try {
			await this.syncing;
			await this.handle.sync();
			await this.handle.close();
			this.done = true;
			const target = this.paths.blob(digestHex(digest));
			await rename(this.tempPath, target);
			await syncDirectory(this.paths.blobs);
		} catch (error) {
			await this.abort();
			throw describeWriteError(error, `store ${this.paths.root}`);
		}
		return {digest, size: this.written};
	}

	async abort(): Promise<void> {
		this.batch = [];
		this.batchSize = 0;
		// Let a write in flight finish (or fail) before the file goes.
		const writing = this.inFlight;
		this.inFlight = undefined;
		await writing?.catch(() => {});
		await this.syncing;
		if (!this.done) {
			this.done = true;
			await this.handle.close().catch(() => {});
		}
		await unlink(this.tempPath).catch(() => {});
	}
}

/** Content-addressed blobs under blobs/sha256/, in the OCI image layout. */
export class BlobStore {
	constructor(private readonly paths: StorePaths) {}

	path(digest: Digest): string {
		return this.paths.blob(digestHex(digest));
	}

	async has(digest: Digest): Promise<boolean> {
		try {
			await stat(this.path(digest));
			return true;
		} catch {
			return false;
		}
	}

	async size(digest: Digest): Promise<number> {
		return (await stat(this.path(digest))).size;
	}

	async read(digest: Digest): Promise<Buffer> {
		try {
			return await readFile(this.path(digest));
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				throw new StrataError(`blob ${digest} is missing from the store ${this.paths.root}`);
			}
			throw error;
		}
	}

	async readJson<T>(digest: Digest): Promise<T> {
		return JSON.parse((await this.read(digest)).toString('utf8')) as T;
	}

	openRead(digest: Digest): ReadStream {
		return createReadStream(this.path(digest), {highWaterMark: 1024 * 1024});
	}

	createWriter(): Promise<BlobWriter> {
		return BlobWriter.create(this.paths);
	}

	/** Stores small content (configs, manifests) in one go: hashed, then written as one durable file. */
	async put(data: Uint8Array, expected?: Digest): Promise<{digest: Digest; size: number}> {
		const digest = sha256Digest(data);
		const mismatch = digestMismatch(expected, digest);
		if (mismatch) throw mismatch;
		try {
			await writeThenRename(join(this.paths.tmp, tempFileName('blob')), this.path(digest), data);
		} catch (error) {
			throw describeWriteError(error, `store ${this.paths.root}`);
		}
		return {digest, size: data.length};
	}

	async delete(digest: Digest): Promise<void> {
		await unlink(this.path(digest)).catch(error => {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		});
	}
}
