// sha256 of a prefix and a file's content, for many files at once (COPY's tarsums of a whole context).
// A context is mostly small files, and reading each through a stream costs several thread-pool round
// trips and a 64 KiB buffer: 5,000 files took seconds on a loaded machine. Small files are read here with
// plain synchronous reads into one reused buffer, in batches that give the event loop a turn between them
// (a TUI building in-process stays responsive); big files still stream.
import {createHash, type Hash} from 'node:crypto';
import {closeSync, createReadStream, openSync, readSync} from 'node:fs';
import {join} from 'node:path';

export interface FileToHash {
	/** Relative to the root given to hashFiles. */
	path: string;
	/** Hashed before the content (tarsum's header; a string is hashed as UTF-8). */
	prefix: string | Buffer;
	/** The listed size: 0 hashes the prefix alone, more than SYNC_LIMIT streams. */
	size: number;
}

/** Files up to this size are read synchronously. */
const SYNC_LIMIT = 1024 * 1024;
/** A batch ends after this many files or bytes, then the event loop gets a turn. */
const BATCH_FILES = 256;
const BATCH_BYTES = 8 * 1024 * 1024;

let shared: Buffer | undefined;

/** Calls found(path, hex sum) for each file, in order. */
export async function hashFiles(root: string, files: Iterable<FileToHash>, found: (path: string, sum: string) => void): Promise<void> {
	let batchFiles = 0;
	let batchBytes = 0;
	for (const file of files) {
		const hash = createHash('sha256').update(file.prefix);
		if (file.size > SYNC_LIMIT) {
			for await (const chunk of createReadStream(join(root, file.path))) hash.update(chunk as Buffer);
		} else if (file.size > 0) {
			batchBytes += readInto(hash, join(root, file.path));
		}
		found(file.path, hash.digest('hex'));
		if (++batchFiles >= BATCH_FILES || batchBytes >= BATCH_BYTES) {
			batchFiles = 0;
			batchBytes = 0;
			await new Promise(resolve => setImmediate(resolve));
		}
	}
}

/** Hashes the whole file (to its end, whatever the listing said) and returns the bytes read. */
function readInto(hash: Hash, path: string): number {
	shared ??= Buffer.allocUnsafe(256 * 1024);
	const fd = openSync(path, 'r');
	let total = 0;
	try {
		for (;;) {
			const read = readSync(fd, shared, 0, shared.length, null);
			if (read === 0) return total;
			hash.update(shared.subarray(0, read));
			total += read;
		}
	} finally {
		closeSync(fd);
	}
}
