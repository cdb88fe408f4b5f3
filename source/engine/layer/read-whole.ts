import {closeSync, openSync, readSync} from 'node:fs';
import {StrataError} from '../errors.js';

/**
 * Files up to this size are best read whole, synchronously, and packed as one chunk: a thread-pool
 * round trip per small file costs more than the read (see containers/diff-stats.ts). Larger ones are
 * streamed.
 */
export const wholeFileLimit = 1024 * 1024;

/**
 * A small file's content: `size` bytes as lstat saw them, in one read (readFileSync would fstat and
 * read again). A read of a regular file is short only at its end, so asking for one byte more tells a
 * file that grew since (refused here) from one that did not; one that shrank comes back short and the
 * packer refuses it. `name` names the file in the error.
 */
export function readWhole(path: string, size: number, name: string): Buffer {
	const buffer = Buffer.allocUnsafe(size + 1);
	const fd = openSync(path, 'r');
	try {
		const read = readSync(fd, buffer, 0, size + 1, 0);
		if (read > size) throw new StrataError(`${JSON.stringify(name)} changed while it was being packed (it grew past ${size} bytes)`);
		return buffer.subarray(0, read);
	} finally {
		closeSync(fd);
	}
}

/**
 * The same read, straight into the packer's buffer (see LayerTarContentReader): no buffer per file and
 * no copy. The packer passes `size + 1` bytes of room and refuses a file that grew or shrank.
 */
export function wholeFileReader(path: string): (buffer: Buffer, offset: number, length: number) => number {
	return (buffer, offset, length) => {
		const fd = openSync(path, 'r');
		try {
			return readSync(fd, buffer, offset, length, 0);
		} finally {
			closeSync(fd);
		}
	};
}
