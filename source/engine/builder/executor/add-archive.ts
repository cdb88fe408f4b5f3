// ADD's local archives: a tar, plain or gzipped, is unpacked into the destination instead of copied
// (Docker's rule; bzip2 and xz archives are copied as files here). Entries keep their owners and modes
// unless --chown/--chmod say otherwise; names climbing out of the destination are refused.
import {createReadStream} from 'node:fs';
import {posix} from 'node:path';
import {pipeline} from 'node:stream/promises';
import {createGunzip} from 'node:zlib';
import tarStream from 'tar-stream';
import {StrataError} from '../../errors.js';
import type {LayerTarHeader, LayerTarPacker} from '../../layer/tar-packer.js';
import type {Owner} from './copy-owner.js';

export type ArchiveKind = 'tar' | 'gzip';

/** Whether the file is a tar (POSIX or GNU `ustar` magic), or a gzip holding one. */
export async function archiveKind(path: string): Promise<ArchiveKind | undefined> {
	const head = await readHead(createReadStream(path, {end: 1023}));
	if (isTar(head)) return 'tar';
	if (head[0] === 0x1f && head[1] === 0x8b) {
		const unzipped = createGunzip();
		createReadStream(path).on('error', () => {}).pipe(unzipped);
		return isTar(await readHead(unzipped)) ? 'gzip' : undefined;
	}
	return undefined;
}

async function readHead(stream: NodeJS.ReadableStream & {destroy(): void}): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let length = 0;
	try {
		for await (const chunk of stream) {
			chunks.push(chunk as Buffer);
			length += (chunk as Buffer).length;
			if (length >= 512) break;
		}
	} catch {
		// Not an archive (a broken gzip): the bytes read so far decide.
	}
	stream.destroy();
	return Buffer.concat(chunks);
}

function isTar(head: Buffer): boolean {
	return head.length >= 263 && head.subarray(257, 262).toString('latin1') === 'ustar';
}

const types: Record<string, LayerTarHeader['type']> = {
	file: 'file',
	directory: 'dir',
	symlink: 'symlink',
	link: 'hardlink',
	'character-device': 'char',
	'block-device': 'block',
	fifo: 'fifo',
};

/** Writes the archive's entries under `destination` (absolute, no trailing `/`). */
export async function addArchiveEntries(packer: LayerTarPacker, path: string, kind: ArchiveKind, destination: string, options: {owner?: Owner; mode?: number}): Promise<void> {
	const extract = tarStream.extract();
	const under = (name: string) => {
		const clean = posix.normalize(`/${name}`).replace(/\/+$/, '');
		return posix.join(destination, clean).slice(1);
	};
	const done = (async () => {
		for await (const entry of extract) {
			const header = entry.header;
			const type = types[header.type ?? 'file'];
			if (type === undefined || posix.normalize(`/${header.name}`) === '/') {
				entry.resume();
				continue;
			}
			const target = under(header.name);
			await packer.add(
				{
					path: type === 'dir' ? `${target}/` : target,
					type,
					mode: options.mode ?? header.mode ?? 0o644,
					uid: options.owner?.uid ?? header.uid ?? 0,
					gid: options.owner?.gid ?? header.gid ?? 0,
					mtime: Math.floor((header.mtime?.getTime() ?? 0) / 1000),
					size: type === 'file' ? (header.size ?? 0) : 0,
					linkname: type === 'hardlink' ? under(header.linkname ?? '') : (header.linkname ?? ''),
					devmajor: header.devmajor ?? 0,
					devminor: header.devminor ?? 0,
				},
				type === 'file' ? (entry as unknown as AsyncIterable<Uint8Array>) : undefined,
			);
			if (type !== 'file') entry.resume();
		}
	})();
	const source = createReadStream(path);
	try {
		await Promise.all([kind === 'gzip' ? pipeline(source, createGunzip(), extract) : pipeline(source, extract), done]);
	} catch (error) {
		throw new StrataError(`ADD failed: cannot unpack ${posix.basename(path)}: ${(error as Error).message}`);
	}
}
