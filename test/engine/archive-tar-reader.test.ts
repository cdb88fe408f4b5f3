// TarArchiveReader: the header pass and member streams, against archives written by GNU tar (gnu and
// posix formats, long names, links) and by hand (truncation, garbage).
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {TarArchiveReader} from '../../source/engine/archive/tar-archive-reader.js';
import {encodeHeader, encodePaxRecords, paddingFor, parsePaxRecords} from '../../source/engine/archive/tar-header.js';
import {StrataError} from '../../source/engine/errors.js';
import {tempDir} from '../support/tmp.js';

async function readAll(reader: TarArchiveReader, name: string): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of reader.openMember(name)) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

const longDir = `${'d'.repeat(80)}/${'e'.repeat(80)}`;
const longName = `${longDir}/${'f'.repeat(120)}.txt`;

/** A tree with a long path, a file relative symlink, a hardlink, an empty file and a 1 MiB file. */
function makeTree(): string {
	const root = tempDir('strata-tar-tree');
	mkdirSync(join(root, longDir), {recursive: true});
	writeFileSync(join(root, longName), 'deep\n');
	mkdirSync(join(root, 'a'));
	writeFileSync(join(root, 'a', 'layer.tar'), 'layer content\n');
	mkdirSync(join(root, 'b'));
	symlinkSync('../a/layer.tar', join(root, 'b', 'layer.tar'));
	writeFileSync(join(root, 'empty'), '');
	writeFileSync(join(root, 'big'), Buffer.alloc(1024 * 1024, 7));
	execFileSync('ln', [join(root, 'big'), join(root, 'big-link')]);
	return root;
}

const topLevel = ['a', 'b', 'big', 'big-link', 'empty', longDir.split('/')[0]!];
const variants = [
	{format: 'gnu', members: topLevel, what: 'GNU tar --format=gnu (long names as L entries)'},
	{format: 'posix', members: topLevel, what: 'GNU tar --format=posix (long names as PAX records)'},
	{format: 'posix', members: ['.'], what: 'GNU tar of `.` (names start with ./)'},
];

for (const {format, members, what} of variants) {
	describe(`TarArchiveReader on ${what}`, () => {
		const root = makeTree();
		const archive = join(tempDir('strata-tar'), 'a.tar');
		execFileSync('tar', [`--format=${format}`, '-C', root, '-cf', archive, ...members]);

		test('finds members by clean name and streams their content', async () => {
			const reader = await TarArchiveReader.open(archive);
			assert.equal(reader.complete, true);
			assert.equal((await readAll(reader, 'a/layer.tar')).toString(), 'layer content\n');
			assert.equal((await readAll(reader, `./${longName}`)).toString(), 'deep\n');
			assert.equal((await readAll(reader, 'empty')).length, 0);
			assert.ok((await readAll(reader, 'big')).equals(Buffer.alloc(1024 * 1024, 7)));
		});

		test('follows symlinks and hardlinks to the member they name', async () => {
			const reader = await TarArchiveReader.open(archive);
			assert.equal((await readAll(reader, 'b/layer.tar')).toString(), 'layer content\n');
			assert.equal((await readAll(reader, 'big-link')).length, 1024 * 1024);
		});

		test('a directory or an absent name is not a member', async () => {
			const reader = await TarArchiveReader.open(archive);
			assert.equal(reader.has('a'), false);
			assert.equal(reader.has('nope'), false);
			assert.throws(() => reader.openMember('nope'), /a\.tar: nope is missing from the archive/);
		});
	});
}

describe('TarArchiveReader on damaged input', () => {
	const dir = tempDir('strata-tar-bad');
	const entry = (name: string, content: Buffer) => [
		encodeHeader({name, mode: 0o644, size: content.length, mtime: 0, typeflag: '0', linkname: ''}),
		content,
		Buffer.alloc(paddingFor(content.length)),
	];

	test('a file that is not a tar is refused in one line', async () => {
		const path = join(dir, 'notes.txt');
		writeFileSync(path, 'hello world\n'.repeat(100));
		await assert.rejects(TarArchiveReader.open(path), (error: Error) => error instanceof StrataError && error.message === `${path}: not a tar archive`);
	});

	test('a member cut short is a truncated archive', async () => {
		const path = join(dir, 'cut.tar');
		writeFileSync(path, Buffer.concat([...entry('small', Buffer.from('x')), ...entry('layer.tar', Buffer.alloc(10_000, 1))]));
		truncateSync(path, 512 * 2 + 512 + 4096);
		await assert.rejects(TarArchiveReader.open(path, 'cut.tar'), {
			message: 'cut.tar: truncated archive: layer.tar needs 10000 bytes but the file ends 4096 bytes into it',
		});
	});

	test('a tar cut at a member boundary opens but says it is incomplete', async () => {
		const path = join(dir, 'boundary.tar');
		writeFileSync(path, Buffer.concat(entry('one', Buffer.from('1'))));
		const reader = await TarArchiveReader.open(path);
		assert.equal(reader.complete, false);
		assert.equal(reader.has('one'), true);
	});

	test('a corrupt header after the first is named by its offset', async () => {
		const path = join(dir, 'corrupt.tar');
		const second = entry('two', Buffer.from('2'));
		second[0]![0] ^= 0xff;
		writeFileSync(path, Buffer.concat([...entry('one', Buffer.from('1')), ...second]));
		await assert.rejects(TarArchiveReader.open(path, 'corrupt.tar'), {message: 'corrupt.tar: corrupt tar archive: invalid header at byte 1024'});
	});

	test('a PAX size and path override the ustar fields', async () => {
		const path = join(dir, 'pax.tar');
		const content = Buffer.from('pax sized');
		const records = encodePaxRecords({path: 'renamed/by/pax', size: String(content.length)});
		writeFileSync(
			path,
			Buffer.concat([
				encodeHeader({name: 'PaxHeader', mode: 0o644, size: records.length, mtime: 0, typeflag: 'x', linkname: ''}),
				records,
				Buffer.alloc(paddingFor(records.length)),
				encodeHeader({name: 'short', mode: 0o644, size: 0, mtime: 0, typeflag: '0', linkname: ''}),
				content,
				Buffer.alloc(paddingFor(content.length)),
				Buffer.alloc(1024),
			]),
		);
		const reader = await TarArchiveReader.open(path);
		assert.deepEqual(reader.names(), ['renamed/by/pax']);
		assert.equal((await readAll(reader, 'renamed/by/pax')).toString(), 'pax sized');
	});
});

describe('PAX records', () => {
	test('lengths count their own digits, across a digit boundary', () => {
		for (const length of [1, 85, 86, 87, 95, 96, 97, 990, 995, 1000]) {
			const value = 'v'.repeat(length);
			const encoded = encodePaxRecords({k: value});
			assert.equal(Number(encoded.toString().split(' ')[0]), encoded.length);
			assert.equal(parsePaxRecords(encoded).get('k'), value);
		}
	});

	test('GNU tar reads a header strata encodes', () => {
		const dir = tempDir('strata-tar-enc');
		const content = Buffer.from('hello');
		const path = join(dir, 'x.tar');
		writeFileSync(path, Buffer.concat([encodeHeader({name: 'blobs/sha256/abc', mode: 0o644, size: 5, mtime: 0, typeflag: '0', linkname: ''}), content, Buffer.alloc(paddingFor(5)), Buffer.alloc(1024)]));
		assert.equal(execFileSync('tar', ['-xOf', path, 'blobs/sha256/abc']).toString(), 'hello');
		assert.equal(readFileSync(path).length, 512 * 4);
	});
});
