import {createReadStream} from 'node:fs';
import {open, stat, unlink} from 'node:fs/promises';
import {join} from 'node:path';
import type {Readable} from 'node:stream';
import {StrataError} from '../errors.js';
import {describeWriteError, tempFileName} from '../store/blob-store.js';
import {decompressed, detectCompression} from '../store/decompress.js';
import {type ArchiveSource, directorySource, tarSource} from './archive-source.js';
import {TarArchiveReader} from './tar-archive-reader.js';

export type OpenArchiveOptions = {
	/** Where a stream is spooled so that it can be read at random: the store's tmp dir (same disk as blobs). */
	tmpDir: string;
	/** Read for `-`; process.stdin when not given. */
	stdin?: Readable;
};

async function readHead(path: string): Promise<Buffer> {
	const handle = await open(path, 'r');
	try {
		const head = Buffer.alloc(8);
		const {bytesRead} = await handle.read(head, 0, head.length, 0);
		return head.subarray(0, bytesRead);
	} finally {
		await handle.close();
	}
}

/** Copies `input`, decompressed, to a temp file; the caller removes it. */
async function spool(input: AsyncIterable<Buffer>, label: string, tmpDir: string): Promise<string> {
	const path = join(tmpDir, tempFileName('load'));
	const handle = await open(path, 'w', 0o600);
	try {
		for await (const chunk of decompressed(input, label)) {
			try {
				await handle.write(chunk);
			} catch (error) {
				throw describeWriteError(error, `spooling ${label} to ${tmpDir}`);
			}
		}
		await handle.close();
		return path;
	} catch (error) {
		await handle.close().catch(() => {});
		await unlink(path).catch(() => {});
		throw error;
	}
}

async function spooledSource(input: AsyncIterable<Buffer>, label: string, tmpDir: string): Promise<ArchiveSource> {
	const path = await spool(input, label, tmpDir);
	const remove = () => unlink(path).catch(() => {});
	try {
		return tarSource(await TarArchiveReader.open(path, label), remove);
	} catch (error) {
		await remove();
		throw error;
	}
}

/**
 * Opens what `load -i` names: a tar (plain or gzip; gzip, pipes and stdin are spooled to a temp
 * file first, since members are read at random), or a directory (an OCI layout or extracted archive).
 */
export async function openArchiveSource(file: string, options: OpenArchiveOptions): Promise<ArchiveSource> {
	if (file === '-') return spooledSource(options.stdin ?? process.stdin, 'stdin', options.tmpDir);
	let info;
	try {
		info = await stat(file);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') throw new StrataError(`${file}: no such file or directory`);
		if (code === 'EACCES') throw new StrataError(`${file}: permission denied`);
		throw error;
	}
	if (info.isDirectory()) return directorySource(file, file);
	// A pipe (`-i <(docker save x)`, /dev/stdin) cannot be read at random, nor peeked at without losing bytes.
	const needsSpool = !info.isFile() || detectCompression(await readHead(file)) !== 'none';
	if (needsSpool) {
		return spooledSource(createReadStream(file, {highWaterMark: 1024 * 1024}), file, options.tmpDir);
	}
	return tarSource(await TarArchiveReader.open(file, file));
}
