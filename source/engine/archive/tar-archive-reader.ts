import {createReadStream} from 'node:fs';
import {open, type FileHandle} from 'node:fs/promises';
import {posix} from 'node:path';
import {Readable} from 'node:stream';
import {StrataError} from '../errors.js';
import {blockSize, decodeHeader, isZeroBlock, parsePaxRecords} from './tar-header.js';

export type TarMemberType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

/** Where one member's content lies in the archive file. */
export type TarMember = {
	name: string;
	type: TarMemberType;
	/** Byte offset of the content in the archive file. */
	offset: number;
	size: number;
	linkname: string;
};

const headerOnlyTypes = new Set(['1', '2', '3', '4', '5', '6']);

// Extension headers (PAX records, GNU long names) are small; a huge one means a corrupt archive.
const maxExtensionSize = 1024 * 1024;

/** A member name as a clean relative path: `./a//b/` and `/a/b` are both `a/b`. */
export function normalizeMemberName(name: string): string {
	const clean = posix.normalize(name.replace(/^\/+/, '')).replace(/\/+$/, '');
	return clean === '.' ? '' : clean;
}

function memberType(typeflag: string): TarMemberType {
	if (typeflag === '0' || typeflag === '7') return 'file';
	if (typeflag === '5') return 'dir';
	if (typeflag === '2') return 'symlink';
	if (typeflag === '1') return 'hardlink';
	return 'other';
}

/**
 * Random access to the members of a tar file without extracting it: one pass over the headers
 * (seeking past contents) maps each name to the byte range of its content; `openMember` then streams
 * that range. Docker's own archives link shared layers (`layer.tar -> ../<id>/layer.tar`), so links
 * between members are followed.
 */
export class TarArchiveReader {
	private constructor(
		readonly path: string,
		readonly label: string,
		private readonly members: Map<string, TarMember>,
		/** False when the file ended without the two zero blocks that close a tar: likely cut short. */
		readonly complete: boolean,
	) {}

	static async open(path: string, label = path): Promise<TarArchiveReader> {
		const handle = await open(path, 'r');
		try {
			const {members, complete} = await readHeaders(handle, label);
			return new TarArchiveReader(path, label, members, complete);
		} finally {
			await handle.close();
		}
	}

	names(): string[] {
		return [...this.members.keys()];
	}

	/** The member `name` after following links, or undefined when there is no such regular file. */
	member(name: string): TarMember | undefined {
		let current = this.members.get(normalizeMemberName(name));
		for (let hops = 0; current && hops < 16; hops++) {
			if (current.type === 'file') return current;
			if (current.type === 'symlink') {
				const target = current.linkname.startsWith('/')
					? current.linkname
					: posix.join(posix.dirname(current.name), current.linkname);
				current = this.members.get(normalizeMemberName(target));
			} else if (current.type === 'hardlink') {
				current = this.members.get(normalizeMemberName(current.linkname));
			} else {
				return undefined;
			}
		}
		return undefined;
	}

	has(name: string): boolean {
		return this.member(name) !== undefined;
	}

	/** A stream of the member's content, read straight from the archive file. */
	openMember(name: string): Readable {
		const member = this.member(name);
		if (!member) throw new StrataError(`${this.label}: ${name} is missing from the archive`);
		if (member.size === 0) return Readable.from([]);
		return createReadStream(this.path, {
			start: member.offset,
			end: member.offset + member.size - 1,
			highWaterMark: 1024 * 1024,
		});
	}
}

async function readExact(handle: FileHandle, length: number, position: number): Promise<Buffer> {
	const buffer = Buffer.alloc(length);
	let filled = 0;
	while (filled < length) {
		const {bytesRead} = await handle.read(buffer, filled, length - filled, position + filled);
		if (bytesRead === 0) break;
		filled += bytesRead;
	}
	return buffer.subarray(0, filled);
}

async function readHeaders(handle: FileHandle, label: string): Promise<{members: Map<string, TarMember>; complete: boolean}> {
	const fileSize = (await handle.stat()).size;
	const members = new Map<string, TarMember>();
	let pax = new Map<string, string>();
	let longName: string | undefined;
	let longLink: string | undefined;
	let offset = 0;
	for (;;) {
		const block = await readExact(handle, blockSize, offset);
		// A tar that stops at a member boundary without its end marker is read as far as it goes.
		if (block.length === 0) return {members, complete: false};
		if (block.length < blockSize) {
			throw new StrataError(`${label}: truncated archive: it ends inside a tar header at byte ${offset}`);
		}
		if (isZeroBlock(block)) return {members, complete: true};
		const header = decodeHeader(block);
		if (!header) {
			throw new StrataError(
				offset === 0 ? `${label}: not a tar archive` : `${label}: corrupt tar archive: invalid header at byte ${offset}`,
			);
		}
		const paxSize = pax.get('size');
		// As in Go's archive/tar, links, directories and devices have no content whatever `size` says.
		const size = headerOnlyTypes.has(header.typeflag) ? 0 : paxSize === undefined ? header.size : Number(paxSize);
		if (!Number.isSafeInteger(size) || size < 0) {
			throw new StrataError(`${label}: corrupt tar archive: invalid size in the header at byte ${offset}`);
		}
		const dataOffset = offset + blockSize;
		const name = pax.get('path') ?? longName ?? header.name;
		if (dataOffset + size > fileSize) {
			throw new StrataError(
				`${label}: truncated archive: ${normalizeMemberName(name) || name} needs ${size} bytes but the file ends ${fileSize - dataOffset} bytes into it`,
			);
		}
		offset = dataOffset + Math.ceil(size / blockSize) * blockSize;
		const isExtension = header.typeflag === 'x' || header.typeflag === 'L' || header.typeflag === 'K';
		if (isExtension && size > maxExtensionSize) {
			throw new StrataError(`${label}: corrupt tar archive: ${size}-byte extension header at byte ${dataOffset - blockSize}`);
		}
		if (header.typeflag === 'x') {
			pax = parsePaxRecords(await readExact(handle, size, dataOffset));
			continue;
		}
		if (header.typeflag === 'L' || header.typeflag === 'K') {
			const text = (await readExact(handle, size, dataOffset)).toString('utf8').replace(/\0+$/, '');
			if (header.typeflag === 'L') longName = text;
			else longLink = text;
			continue;
		}
		if (header.typeflag === 'g') continue;
		const normalized = normalizeMemberName(name);
		if (normalized !== '') {
			members.set(normalized, {
				name: normalized,
				type: memberType(header.typeflag),
				offset: dataOffset,
				size,
				linkname: pax.get('linkpath') ?? longLink ?? header.linkname,
			});
		}
		pax = new Map();
		longName = undefined;
		longLink = undefined;
	}
}
