/**
 * Decoding of tar header blocks (ustar, PAX, GNU, v7) the way Go's archive/tar reads them, since Docker
 * layers are written and read by Go. Only the fields a layer needs are decoded.
 */

export const blockSize = 512;

/** PAX and GNU meta entries hold at most this much (Go's `maxSpecialFileSize`): guards memory. */
export const maxMetaSize = 1024 * 1024;

/** Typeflags, as single characters. A NUL typeflag is read as `0` (or `5` with a trailing slash). */
export const typeflags = {
	file: '0',
	contiguousFile: '7',
	hardlink: '1',
	symlink: '2',
	char: '3',
	block: '4',
	dir: '5',
	fifo: '6',
	paxHeader: 'x',
	paxGlobal: 'g',
	gnuLongName: 'L',
	gnuLongLink: 'K',
} as const;

/** Typeflags whose header `size` does not count content (Go's `isHeaderOnlyType`). */
const headerOnlyTypes = new Set(['1', '2', '3', '4', '5', '6']);

/** One tar header with PAX records and GNU long names applied. */
export type TarHeader = {
	/** The name as stored: not cleaned, may start with `/` or `./`, directories may end in `/`. */
	name: string;
	typeflag: string;
	mode: number;
	uid: number;
	gid: number;
	/** Bytes of content that follow the header (0 for header-only types whatever `size` says). */
	size: number;
	/** Seconds since the epoch. */
	mtime: number;
	linkname: string;
	devmajor: number;
	devminor: number;
	/** The entry's PAX records, when it had any (keys like `SCHILY.xattr.security.capability`). */
	pax?: Map<string, Buffer>;
};

/** A malformed header field or record; the parser adds where it was. */
export class TarFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'TarFormatError';
	}
}

export type BlockKind = 'header' | 'zero';

/**
 * Checks a 512-byte block at `offset`: an all-zero block (end-of-archive marker) or a header with a
 * valid checksum. Like Go, both the unsigned and the (historic) signed sum are accepted.
 */
export function checkBlock(block: Uint8Array, offset: number): BlockKind | 'corrupt' {
	let sum = byteSum(block, offset);
	if (sum === 0) return 'zero';
	let stored = 0;
	let digits = 0;
	for (let index = offset + 148; index < offset + 156; index++) {
		const byte = block[index]!;
		sum -= byte;
		if (byte >= 0x30 && byte <= 0x37) {
			stored = stored * 8 + byte - 0x30;
			digits++;
		} else if (byte !== 0x20 && byte !== 0) {
			return 'corrupt';
		}
	}
	if (digits === 0) return 'corrupt';
	// The checksum is computed with its own field read as eight spaces.
	sum += 8 * 0x20;
	if (stored === sum) return 'header';
	return stored === signedChecksum(block, offset) ? 'header' : 'corrupt';
}

function byteSum(block: Uint8Array, offset: number): number {
	let sum = 0;
	for (let index = offset; index < offset + blockSize; index++) sum += block[index]!;
	return sum;
}

/** The checksum as some historic tars computed it, with bytes read as signed. */
function signedChecksum(block: Uint8Array, offset: number): number {
	let sum = 8 * 0x20;
	for (let index = offset; index < offset + blockSize; index++) {
		if (index >= offset + 148 && index < offset + 156) continue;
		const byte = block[index]!;
		sum += byte > 127 ? byte - 256 : byte;
	}
	return sum;
}

/** Decodes the header block at `offset` (already checked). PAX and GNU names are applied by the parser. */
export function decodeHeaderBlock(block: Buffer, offset: number): TarHeader {
	let typeflag = block[offset + 156] === 0 ? typeflags.file : String.fromCharCode(block[offset + 156]!);
	let name = readString(block, offset, 100);
	// ustar (`ustar\0` magic) splits long names into prefix + name; GNU (`ustar  \0`) uses that area for
	// other fields, and star archives (trailer `tar\0`) have a shorter prefix.
	if (
		block[offset + 257] === 0x75 &&
		block.toString('latin1', offset + 257, offset + 263) === 'ustar\0'
	) {
		const isStar = block.toString('latin1', offset + 508, offset + 512) === 'tar\0';
		const prefix = readString(block, offset + 345, isStar ? 131 : 155);
		if (prefix !== '') name = `${prefix}/${name}`;
	}
	// Legacy archives mark directories with a trailing slash on a NUL or `0` typeflag.
	if (block[offset + 156] === 0 && name.endsWith('/')) typeflag = typeflags.dir;
	return {
		name,
		typeflag,
		mode: readNumber(block, offset + 100, 8, 'mode'),
		uid: readNumber(block, offset + 108, 8, 'uid'),
		gid: readNumber(block, offset + 116, 8, 'gid'),
		size: readNumber(block, offset + 124, 12, 'size'),
		mtime: readNumber(block, offset + 136, 12, 'mtime'),
		linkname: readString(block, offset + 157, 100),
		devmajor: readNumber(block, offset + 329, 8, 'devmajor'),
		devminor: readNumber(block, offset + 337, 8, 'devminor'),
	};
}

/** Bytes of content stored after this header, before padding. */
export function contentSize(header: TarHeader): number {
	return headerOnlyTypes.has(header.typeflag) ? 0 : header.size;
}

/** Zero bytes that pad `size` bytes of content to a whole block. */
export function paddingFor(size: number): number {
	const rest = size % blockSize;
	return rest === 0 ? 0 : blockSize - rest;
}

function readString(block: Buffer, start: number, length: number): string {
	let end = start;
	const limit = start + length;
	while (end < limit && block[end] !== 0) end++;
	return block.toString('utf8', start, end);
}

/** Octal (space/NUL padded) or GNU base-256 (high bit set), as Go's `parseNumeric` reads them. */
function readNumber(block: Buffer, start: number, length: number, field: string): number {
	const end = start + length;
	if ((block[start]! & 0x80) !== 0) {
		const negative = (block[start]! & 0x40) !== 0;
		const invert = negative ? 0xff : 0;
		let value = 0;
		for (let index = start; index < end; index++) {
			let byte = block[index]! ^ invert;
			if (index === start) byte &= 0x7f;
			value = value * 256 + byte;
			if (value > Number.MAX_SAFE_INTEGER) throw new TarFormatError(`${field} field is out of range`);
		}
		return negative ? -value - 1 : value;
	}
	let index = start;
	while (index < end && (block[index] === 0x20 || block[index] === 0)) index++;
	let value = 0;
	let sawTerminator = false;
	for (; index < end; index++) {
		const byte = block[index]!;
		if (byte === 0x20 || byte === 0) {
			sawTerminator = true;
		} else if (byte >= 0x30 && byte <= 0x37 && !sawTerminator) {
			value = value * 8 + byte - 0x30;
		} else {
			throw new TarFormatError(`invalid ${field} field`);
		}
	}
	return value;
}

/**
 * Parses PAX records (`<length> <key>=<value>\n`). Values stay bytes: xattr values are binary.
 * A malformed record is a corrupt header, as in Go.
 */
export function parsePaxRecords(data: Buffer): Map<string, Buffer> {
	const records = new Map<string, Buffer>();
	let offset = 0;
	while (offset < data.length) {
		// GNU tar pads some PAX data with NULs after the last record.
		if (data[offset] === 0) break;
		let length = 0;
		let cursor = offset;
		while (cursor < data.length && data[cursor]! >= 0x30 && data[cursor]! <= 0x39) {
			length = length * 10 + data[cursor]! - 0x30;
			cursor++;
		}
		if (cursor === offset || data[cursor] !== 0x20 || length < 5 || offset + length > data.length) {
			throw new TarFormatError('malformed PAX record');
		}
		const recordEnd = offset + length;
		if (data[recordEnd - 1] !== 0x0a) throw new TarFormatError('malformed PAX record');
		const equals = data.indexOf(0x3d, cursor + 1);
		if (equals === -1 || equals >= recordEnd - 1 || equals === cursor + 1) {
			throw new TarFormatError('malformed PAX record');
		}
		const key = data.toString('utf8', cursor + 1, equals);
		records.set(key, data.subarray(equals + 1, recordEnd - 1));
		offset = recordEnd;
	}
	return records;
}

/** Applies the PAX records that override ustar fields (Go's `mergePAX`). */
export function applyPaxRecords(header: TarHeader, records: Map<string, Buffer>): void {
	for (const [key, value] of records) {
		switch (key) {
			case 'path':
				header.name = value.toString('utf8');
				break;
			case 'linkpath':
				header.linkname = value.toString('utf8');
				break;
			case 'size':
				header.size = paxInteger(value, key);
				break;
			case 'uid':
				header.uid = paxInteger(value, key);
				break;
			case 'gid':
				header.gid = paxInteger(value, key);
				break;
			case 'mtime':
				header.mtime = paxSeconds(value);
				break;
		}
	}
	header.pax = records;
}

function paxInteger(value: Buffer, key: string): number {
	const text = value.toString('latin1');
	if (!/^\d+$/.test(text) || Number(text) > Number.MAX_SAFE_INTEGER) {
		throw new TarFormatError(`invalid PAX ${key} ${JSON.stringify(text)}`);
	}
	return Number(text);
}

/** PAX times are decimal seconds with an optional fraction; layers keep whole seconds (truncated). */
function paxSeconds(value: Buffer): number {
	const text = value.toString('latin1');
	const match = /^(-?)(\d+)(?:\.\d*)?$/.exec(text);
	if (!match) throw new TarFormatError(`invalid PAX mtime ${JSON.stringify(text)}`);
	const seconds = Number(match[2]);
	return match[1] === '-' ? -seconds : seconds;
}

/** A GNU long name/link entry holds the name followed by NULs. */
export function decodeGnuLongName(data: Buffer): string {
	let end = data.indexOf(0);
	if (end === -1) end = data.length;
	return data.toString('utf8', 0, end);
}
