// The 512-byte tar header (POSIX ustar, plus the GNU and PAX extensions readers meet in the wild),
// decoded and encoded by hand: archives are read by seeking from header to header, and written as a
// stream whose layer members are piped from the blob store, so no tar library sits in between.

export const blockSize = 512;

/** Largest size the 11 octal digits of a ustar header can hold; bigger members need a PAX `size`. */
export const maxOctalSize = 8 ** 11 - 1;

export type TarHeader = {
	name: string;
	mode: number;
	size: number;
	mtime: number;
	/** '0' file, '1' hardlink, '2' symlink, '5' directory, 'x' PAX, 'g' PAX global, 'L'/'K' GNU long name/link. */
	typeflag: string;
	linkname: string;
};

function readString(block: Uint8Array, start: number, length: number): string {
	const field = block.subarray(start, start + length);
	const end = field.indexOf(0);
	return Buffer.from(end === -1 ? field : field.subarray(0, end)).toString('utf8');
}

/** Octal digits padded with spaces or NULs, or GNU base-256 (high bit of the first byte set) for big values. */
function readNumber(block: Uint8Array, start: number, length: number): number {
	const field = block.subarray(start, start + length);
	if ((field[0]! & 0x80) !== 0) {
		let value = field[0]! & 0x7f;
		for (let i = 1; i < field.length; i++) value = value * 256 + field[i]!;
		return value;
	}
	const digits = Buffer.from(field).toString('latin1').replace(/[\0 ]+$/, '').trim();
	if (digits === '') return 0;
	if (!/^[0-7]+$/.test(digits)) return Number.NaN;
	return Number.parseInt(digits, 8);
}

/** Sum of the header bytes with the checksum field counted as spaces; old tars summed signed bytes. */
function checksums(block: Uint8Array): {unsigned: number; signed: number} {
	let unsigned = 0;
	let signed = 0;
	for (let i = 0; i < blockSize; i++) {
		const byte = i >= 148 && i < 156 ? 0x20 : block[i]!;
		unsigned += byte;
		signed += byte > 127 ? byte - 256 : byte;
	}
	return {unsigned, signed};
}

export function isZeroBlock(block: Uint8Array): boolean {
	return block.every(byte => byte === 0);
}

/** The header in `block`, or undefined when its checksum is wrong (not a tar, or corrupt). */
export function decodeHeader(block: Uint8Array): TarHeader | undefined {
	const stored = readNumber(block, 148, 8);
	const {unsigned, signed} = checksums(block);
	if (stored !== unsigned && stored !== signed) return undefined;
	const size = readNumber(block, 124, 12);
	if (Number.isNaN(size)) return undefined;
	let name = readString(block, 0, 100);
	// Only POSIX ustar has a name prefix; GNU tar keeps access and change times in the same bytes.
	const magic = Buffer.from(block.subarray(257, 263)).toString('latin1');
	if (magic === 'ustar\0') {
		const prefix = readString(block, 345, 155);
		if (prefix !== '') name = `${prefix}/${name}`;
	}
	return {
		name,
		mode: readNumber(block, 100, 8),
		size,
		mtime: readNumber(block, 136, 12),
		typeflag: block[156] === 0 ? '0' : String.fromCharCode(block[156]!),
		linkname: readString(block, 157, 100),
	};
}

/** PAX extended header records: `<length> <key>=<value>\n`, length counting the whole record. */
export function parsePaxRecords(data: Buffer): Map<string, string> {
	const records = new Map<string, string>();
	let offset = 0;
	while (offset < data.length) {
		const space = data.indexOf(0x20, offset);
		if (space === -1) break;
		const length = Number.parseInt(data.toString('latin1', offset, space), 10);
		if (!Number.isInteger(length) || length <= 0 || offset + length > data.length) break;
		const record = data.toString('utf8', space + 1, offset + length - 1);
		const equals = record.indexOf('=');
		if (equals > 0) records.set(record.slice(0, equals), record.slice(equals + 1));
		offset += length;
	}
	return records;
}

export function encodePaxRecords(records: Record<string, string>): Buffer {
	const parts: Buffer[] = [];
	for (const [key, value] of Object.entries(records)) {
		const body = ` ${key}=${value}\n`;
		const bodyLength = Buffer.byteLength(body);
		// The length prefix counts its own digits, which can push it to one more digit.
		let length = bodyLength;
		while (bodyLength + String(length).length !== length) length = bodyLength + String(length).length;
		parts.push(Buffer.from(`${length}${body}`));
	}
	return Buffer.concat(parts);
}

function writeString(block: Buffer, start: number, length: number, value: string): void {
	const bytes = Buffer.from(value, 'utf8');
	if (bytes.length > length) throw new Error(`tar header field too long: ${value}`);
	bytes.copy(block, start);
}

function writeOctal(block: Buffer, start: number, length: number, value: number): void {
	writeString(block, start, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

/**
 * A ustar header. Names must fit the 100-byte name field (strata's are `blobs/sha256/<hex>` at most);
 * a size beyond the octal field is written as 0 there and carried by a preceding PAX header.
 */
export function encodeHeader(header: TarHeader): Buffer {
	const block = Buffer.alloc(blockSize);
	writeString(block, 0, 100, header.name);
	writeOctal(block, 100, 8, header.mode);
	writeOctal(block, 108, 8, 0);
	writeOctal(block, 116, 8, 0);
	writeOctal(block, 124, 12, header.size > maxOctalSize ? 0 : header.size);
	writeOctal(block, 136, 12, header.mtime);
	block.write(header.typeflag, 156, 'latin1');
	writeString(block, 157, 100, header.linkname);
	block.write('ustar\0', 257, 'latin1');
	block.write('00', 263, 'latin1');
	const {unsigned} = checksums(block);
	writeString(block, 148, 8, `${unsigned.toString(8).padStart(6, '0')}\0 `);
	return block;
}

/** Zero bytes that bring a member of `size` bytes to a block boundary. */
export function paddingFor(size: number): number {
	return (blockSize - (size % blockSize)) % blockSize;
}
