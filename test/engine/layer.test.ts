import assert from 'node:assert/strict';
import {createServer} from 'node:net';
import {
	chmod,
	link,
	lstat,
	mkdir,
	mkdtemp,
	readdir,
	readFile,
	readlink,
	rm,
	stat,
	symlink,
	utimes,
	writeFile,
} from 'node:fs/promises';
import {execFileSync} from 'node:child_process';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {after, before, describe, test} from 'node:test';
import tarStream from 'tar-stream';
import {StrataError} from '../../source/engine/errors.js';
import {createLayerIndexer} from '../../source/engine/layer/layer-indexer.js';
import {opaqueMarkerPath, whiteoutMarkerPath} from '../../source/engine/layer/layer-path.js';
import {extractLayer} from '../../source/engine/layer/safe-extract.js';
import {encodeTarHeader, encodeTarHeaderGenerally, parsedTarHeader, type LayerTarHeader} from '../../source/engine/layer/tar-header-writer.js';
import {createLayerTarPacker, directoryToLayerTar} from '../../source/engine/layer/tar-writer.js';
import type {LayerEntry} from '../../source/engine/layer/types.js';

type PackEntry = {header: Partial<tarStream.Header> & {name: string}; content?: string | Buffer};

/** Builds a tar with tar-stream (an independent implementation) so the parser is not checked against itself. */
async function packTar(entries: PackEntry[]): Promise<Buffer> {
	const pack = tarStream.pack();
	const chunks: Buffer[] = [];
	const done = (async () => {
		for await (const chunk of pack) chunks.push(Buffer.from(chunk as Uint8Array));
	})();
	for (const {header, content} of entries) {
		await new Promise<void>((resolve, reject) => {
			const withDefaults = {mtime: new Date(1_700_000_000_000), ...header};
			pack.entry(withDefaults, content ?? '', error => (error ? reject(error) : resolve()));
		});
	}
	pack.finalize();
	await done;
	return Buffer.concat(chunks);
}

/** Feeds `data` to an indexer in `chunkSize` pieces, honouring backpressure like the layer store does. */
async function indexTar(data: Buffer, chunkSize = 64 * 1024, label = 'layer.tar') {
	const indexer = createLayerIndexer(label);
	for (let offset = 0; offset < data.length; offset += chunkSize) {
		if (!indexer.writable.write(data.subarray(offset, offset + chunkSize))) {
			await Promise.race([new Promise(resolve => indexer.writable.once('drain', resolve)), indexer.result]);
		}
	}
	indexer.writable.end();
	return indexer.result;
}

async function extractTar(data: Buffer, dir: string, label = 'layer.tar'): Promise<void> {
	await extractLayer(Readable.from([data]), dir, label);
}

async function readStream(stream: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

/** A raw 512-byte header, for formats tar-stream does not write (GNU long names, corrupt fields). */
function rawHeader(
	name: string,
	typeflag: string,
	size: number,
	options: {linkname?: string; magic?: string} = {},
): Buffer {
	const block = Buffer.alloc(512);
	block.write(name, 0, 100, 'utf8');
	block.write('0000644\0', 100, 'latin1');
	block.write('0000000\0', 108, 'latin1');
	block.write('0000000\0', 116, 'latin1');
	block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
	block.write('14533516400\0', 136, 'latin1');
	block.write(typeflag, 156, 'latin1');
	if (options.linkname) block.write(options.linkname, 157, 100, 'utf8');
	block.write(options.magic ?? 'ustar  \0', 257, 'latin1');
	block.fill(0x20, 148, 156);
	let sum = 0;
	for (const byte of block) sum += byte;
	block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
	return block;
}

function padded(content: string): Buffer {
	const bytes = Buffer.from(content);
	return Buffer.concat([bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512)]);
}

const mtime = 1_700_000_000;
const entry = (fields: Partial<LayerEntry> & Pick<LayerEntry, 'path' | 'type'>): LayerEntry => ({
	size: 0,
	mode: 0o644,
	uid: 0,
	gid: 0,
	mtime,
	...fields,
});

let scratch: string;
before(async () => {
	scratch = await mkdtemp(join(tmpdir(), 'strata-layer-test-'));
});
after(async () => {
	await rm(scratch, {recursive: true, force: true});
});
let counter = 0;
async function freshDir(name: string): Promise<string> {
	const dir = join(scratch, `${name}-${counter++}`);
	await mkdir(dir, {recursive: true});
	return dir;
}

const longName = `usr/share/${'a'.repeat(120)}/file.txt`;
const capability = Buffer.from([1, 0, 0, 2, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

describe('layer indexer', () => {
	test('records files, directories, links, devices, whiteouts and opaque markers', async () => {
		const tar = await packTar([
			{header: {name: './', type: 'directory', mode: 0o755}},
			{header: {name: './usr/', type: 'directory', mode: 0o755}},
			{header: {name: './usr/bin/', type: 'directory', mode: 0o755, uid: 0, gid: 0}},
			{header: {name: './usr/bin/tool', mode: 0o4755, uid: 1000, gid: 1001}, content: 'binary'},
			{header: {name: 'usr/bin/tool-hard', type: 'link', linkname: 'usr/bin/tool', mode: 0o4755, uid: 1000, gid: 1001}},
			{header: {name: 'usr/bin/sh', type: 'symlink', linkname: '/bin/busybox', mode: 0o777}},
			{header: {name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666}},
			{header: {name: 'dev/loop0', type: 'block-device', devmajor: 7, devminor: 0, mode: 0o660}},
			{header: {name: 'run/fifo', type: 'fifo', mode: 0o600}},
			{header: {name: 'etc/.wh.motd'}},
			{header: {name: 'var/cache/', type: 'directory', mode: 0o755}},
			{header: {name: 'var/cache/.wh..wh..opq'}},
			{header: {name: '/abs/olute'}, content: 'x'},
			{header: {name: 'a/./b//c'}, content: 'yz'},
			{header: {name: longName}, content: 'long'},
			{
				header: {
					name: 'usr/bin/ping',
					mode: 0o755,
					pax: {'SCHILY.xattr.security.capability': capability.toString('latin1')},
				},
				content: 'ping',
			},
		]);
		const {entries, size} = await indexTar(tar);
		assert.deepEqual(entries, [
			entry({path: 'usr', type: 'dir', mode: 0o755}),
			entry({path: 'usr/bin', type: 'dir', mode: 0o755}),
			entry({path: 'usr/bin/tool', type: 'file', size: 6, mode: 0o4755, uid: 1000, gid: 1001}),
			entry({path: 'usr/bin/tool-hard', type: 'hardlink', mode: 0o4755, uid: 1000, gid: 1001, linkname: 'usr/bin/tool'}),
			entry({path: 'usr/bin/sh', type: 'symlink', mode: 0o777, linkname: '/bin/busybox'}),
			entry({path: 'dev/null', type: 'char', mode: 0o666}),
			entry({path: 'dev/loop0', type: 'block', mode: 0o660}),
			entry({path: 'run/fifo', type: 'fifo', mode: 0o600}),
			entry({path: 'etc/motd', type: 'whiteout'}),
			entry({path: 'var/cache', type: 'dir', mode: 0o755}),
			entry({path: 'var/cache', type: 'opaque'}),
			entry({path: 'abs/olute', type: 'file', size: 1}),
			entry({path: 'a/b/c', type: 'file', size: 2}),
			entry({path: longName, type: 'file', size: 4}),
			entry({path: 'usr/bin/ping', type: 'file', size: 4, mode: 0o755, capability: true}),
		]);
		// Docker's size: file bytes, plus each symlink's target length.
		assert.equal(size, 6 + 1 + 2 + 4 + 4 + Buffer.byteLength('/bin/busybox'));
	});

	test('gives the same result whatever the chunk boundaries', async () => {
		const tar = await packTar([
			{header: {name: 'a', mode: 0o600}, content: 'x'.repeat(1000)},
			{header: {name: longName}, content: 'long'},
			{header: {name: 'b/'.repeat(60) + 'c', type: 'symlink', linkname: 'l'.repeat(150)}},
			{header: {name: 'e'}, content: ''},
		]);
		const whole = await indexTar(tar, tar.length);
		for (const chunkSize of [1, 7, 511, 512, 513, 4096]) {
			assert.deepEqual(await indexTar(tar, chunkSize), whole, `chunk size ${chunkSize}`);
		}
		assert.equal(whole.entries[2]!.linkname, 'l'.repeat(150));
	});

	test('reads GNU long names and long link targets', async () => {
		const name = `gnu/${'n'.repeat(150)}`;
		const target = `gnu/${'t'.repeat(150)}`;
		const tar = Buffer.concat([
			rawHeader('././@LongLink', 'L', Buffer.byteLength(name) + 1),
			padded(`${name}\0`),
			rawHeader('placeholder', '0', 3),
			padded('abc'),
			rawHeader('././@LongLink', 'K', Buffer.byteLength(target) + 1),
			padded(`${target}\0`),
			rawHeader('link', '1', 0, {linkname: 'placeholder'}),
			Buffer.alloc(1024),
		]);
		const {entries} = await indexTar(tar, 100);
		assert.deepEqual(
			entries.map(({path, type, size, linkname}) => ({path, type, size, linkname})),
			[
				{path: name, type: 'file', size: 3, linkname: undefined},
				{path: 'link', type: 'hardlink', size: 0, linkname: target},
			],
		);
	});

	test('keeps the last of duplicate paths', async () => {
		const tar = await packTar([
			{header: {name: 'etc/conf'}, content: 'old'},
			{header: {name: 'etc/other'}, content: 'x'},
			{header: {name: 'etc/conf', mode: 0o600}, content: 'newer'},
		]);
		const {entries, size} = await indexTar(tar);
		assert.deepEqual(
			entries.map(({path, size, mode}) => ({path, size, mode})),
			[
				{path: 'etc/other', size: 1, mode: 0o644},
				{path: 'etc/conf', size: 5, mode: 0o600},
			],
		);
		assert.equal(size, 6);
	});

	test('accepts the empty layer: no bytes, or the end-of-archive marker alone', async () => {
		assert.deepEqual(await indexTar(Buffer.alloc(0)), {entries: [], size: 0});
		assert.deepEqual(await indexTar(Buffer.alloc(1024)), {entries: [], size: 0});
		// Go's reader (so Docker) accepts a single zero block and trailing record padding too.
		assert.deepEqual(await indexTar(Buffer.alloc(512)), {entries: [], size: 0});
		assert.deepEqual(await indexTar(Buffer.alloc(10240)), {entries: [], size: 0});
	});

	test('skips the root entry, global PAX headers and AUFS bookkeeping', async () => {
		const tar = Buffer.concat([
			rawHeader('pax_global_header', 'g', 15, {magic: 'ustar\u000000'}),
			padded('15 comment=abc\n'),
			await packTar([
				{header: {name: './', type: 'directory'}},
				{header: {name: '.wh..wh.plnk/', type: 'directory'}},
				{header: {name: '.wh..wh.aufs'}},
				{header: {name: 'kept'}, content: 'k'},
			]),
		]);
		const {entries} = await indexTar(tar);
		assert.deepEqual(entries.map(({path}) => path), ['kept']);
	});

	for (const [name, pattern] of [
		['../x', /^layer\.tar: path escapes the layer root: "\.\.\/x"$/],
		['a/../../x', /^layer\.tar: path escapes the layer root: "a\/\.\.\/\.\.\/x"$/],
		['..', /^layer\.tar: path escapes the layer root: "\.\."$/],
	] as const) {
		test(`rejects an entry escaping the root: ${name}`, async () => {
			const tar = await packTar([{header: {name: 'ok'}, content: 'x'}, {header: {name}, content: 'evil'}]);
			await assert.rejects(indexTar(tar), (error: Error) => error instanceof StrataError && pattern.test(error.message));
		});
	}

	test('rejects entry types Docker cannot apply', async () => {
		const tar = Buffer.concat([rawHeader('volume-label', 'V', 0), Buffer.alloc(1024)]);
		await assert.rejects(indexTar(tar), {message: 'layer.tar: unsupported tar entry type "V": "volume-label"'});
	});

	test('strips a leading slash the way Docker does, even with dot-dots', async () => {
		const {entries} = await indexTar(await packTar([{header: {name: '/../etc/passwd'}, content: 'x'}]));
		assert.equal(entries[0]!.path, 'etc/passwd');
	});

	test('rejects hardlinks and relative symlinks that point outside the root', async () => {
		const hardlink = await packTar([{header: {name: 'a/pw', type: 'link', linkname: '../../etc/passwd'}}]);
		await assert.rejects(indexTar(hardlink), {
			name: 'StrataError',
			message: 'layer.tar: hardlink "a/pw" points outside the layer root: "../../etc/passwd"',
		});
		const symlinkTar = await packTar([{header: {name: 'a/pw', type: 'symlink', linkname: '../../etc/passwd'}}]);
		await assert.rejects(indexTar(symlinkTar), {
			name: 'StrataError',
			message: 'layer.tar: symlink "a/pw" points outside the layer root: "../../etc/passwd"',
		});
		// Absolute targets resolve inside the container's root, so they are fine.
		const absolute = await packTar([{header: {name: 'a/pw', type: 'symlink', linkname: '/etc/passwd'}}]);
		assert.equal((await indexTar(absolute)).entries[0]!.linkname, '/etc/passwd');
	});

	test('rejects a tar cut in the middle of an entry', async () => {
		const tar = await packTar([
			{header: {name: 'usr/bin/a'}, content: 'a'.repeat(2000)},
			{header: {name: 'usr/bin/x'}, content: 'x'.repeat(5000)},
		]);
		const cut = tar.subarray(0, Math.floor(tar.length / 2));
		await assert.rejects(indexTar(cut, 1000), {
			name: 'StrataError',
			message: 'layer.tar: truncated tar: unexpected end of data in entry "usr/bin/x"',
		});
		// Cut inside a header block.
		await assert.rejects(indexTar(tar.subarray(0, 512 + 2048 + 100)), {
			message: 'layer.tar: truncated tar: unexpected end of data in a header after entry "usr/bin/a"',
		});
	});

	test('rejects a tar that stops between entries without its end-of-archive marker', async () => {
		const tar = await packTar([{header: {name: 'usr/bin/a'}, content: 'abc'}]);
		await assert.rejects(indexTar(tar.subarray(0, 1024)), {
			message: 'layer.tar: truncated tar: missing end-of-archive marker after entry "usr/bin/a"',
		});
	});

	test('rejects a corrupt header', async () => {
		const tar = await packTar([
			{header: {name: 'first'}, content: 'one'},
			{header: {name: 'second'}, content: 'two'},
		]);
		const corrupt = Buffer.from(tar);
		corrupt[1024 + 3] ^= 0xff;
		corrupt[1024 + 60] ^= 0x55;
		await assert.rejects(indexTar(corrupt), {
			name: 'StrataError',
			message: 'layer.tar: corrupt tar header at byte 1024 after entry "first": checksum mismatch',
		});
		// Not a tar at all (a gzip stream, say).
		await assert.rejects(indexTar(Buffer.from('\x1f\x8b\x08\x00'.padEnd(600, 'z'), 'latin1')), {
			message: 'layer.tar: corrupt tar header at byte 0: checksum mismatch',
		});
	});

	test('rejects a header with a malformed numeric field, even with a matching checksum', async () => {
		const header = rawHeader('bad', '0', 0);
		header.write('12x4567\0', 100, 'latin1'); // the mode field
		header.fill(0x20, 148, 156);
		let sum = 0;
		for (const byte of header) sum += byte;
		header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
		await assert.rejects(indexTar(Buffer.concat([header, Buffer.alloc(1024)])), {
			message: 'layer.tar: corrupt tar header at byte 0: invalid mode field',
		});
	});

	test('errors the writable so a pipeline stops early', async () => {
		const tar = await packTar([{header: {name: '../escape'}, content: 'x'}]);
		const indexer = createLayerIndexer('sha256:abc');
		await assert.rejects(pipeline(Readable.from([tar]), indexer.writable), /^StrataError: sha256:abc: path escapes/);
		await assert.rejects(indexer.result, /sha256:abc: path escapes the layer root/);
	});

	test('rejects when the writer is destroyed before the end', async () => {
		const indexer = createLayerIndexer('layer.tar');
		indexer.writable.write(Buffer.alloc(100));
		indexer.writable.destroy();
		await assert.rejects(indexer.result, /layer\.tar: indexing was aborted/);
	});
});

describe('layer extraction', () => {
	test('a new file gets exactly its mode and owner: past the umask, in a setgid directory, over an existing file', async () => {
		const dir = await freshDir('modes');
		await extractTar(
			await packTar([
				{header: {name: 'shared/', type: 'directory', mode: 0o2775, gid: 50}},
				{header: {name: 'shared/old', mode: 0o644}, content: 'old'},
			]),
			dir,
		);
		await extractTar(
			await packTar([
				{header: {name: 'shared/root-owned', mode: 0o644, uid: 0, gid: 0}, content: 'x'},
				{header: {name: 'shared/old', mode: 0o600}, content: 'new'},
				{header: {name: 'open', mode: 0o666}, content: 'x'},
				{header: {name: 'writeonly', mode: 0o200}, content: 'x'},
				{header: {name: 'all', mode: 0o777}, content: 'x'},
			]),
			dir,
		);
		assert.equal((await stat(join(dir, 'open'))).mode & 0o7777, 0o666);
		assert.equal((await stat(join(dir, 'all'))).mode & 0o7777, 0o777);
		assert.equal((await stat(join(dir, 'writeonly'))).mode & 0o7777, 0o200);
		assert.equal(await readFile(join(dir, 'writeonly'), 'utf8'), 'x');
		assert.equal((await stat(join(dir, 'shared/old'))).mode & 0o7777, 0o600);
		assert.equal(await readFile(join(dir, 'shared/old'), 'utf8'), 'new');
		if (process.getuid?.() === 0) {
			assert.equal((await stat(join(dir, 'shared'))).gid, 50);
			// Not the setgid directory's group: the entry says 0.
			assert.equal((await stat(join(dir, 'shared/root-owned'))).gid, 0);
		}
	});

	test('applies files, links, modes, mtimes and ownership', async () => {
		const dir = await freshDir('apply');
		const tar = await packTar([
			{header: {name: 'etc/', type: 'directory', mode: 0o750, mtime: new Date(1_600_000_000_000)}},
			{header: {name: 'etc/conf', mode: 0o640, uid: 1234, gid: 4321, mtime: new Date(1_500_000_000_000)}, content: 'conf'},
			// Docker writes a hardlink with its inode's attributes, and applies them to the inode again.
			{
				header: {
					name: 'etc/hard',
					type: 'link',
					linkname: 'etc/conf',
					...{mode: 0o640, uid: 1234, gid: 4321, mtime: new Date(1_500_000_000_000)},
				},
			},
			{header: {name: 'etc/link', type: 'symlink', linkname: 'conf'}},
			{header: {name: 'bin/suid', mode: 0o4755, uid: 5, gid: 5}, content: '#!'},
			{header: {name: 'run/fifo', type: 'fifo', mode: 0o600}},
			{header: {name: 'ro/', type: 'directory', mode: 0o555}},
			{header: {name: 'ro/inside'}, content: 'in a read-only dir'},
		]);
		await extractTar(tar, dir);
		assert.equal(await readFile(join(dir, 'etc/conf'), 'utf8'), 'conf');
		const conf = await stat(join(dir, 'etc/conf'));
		assert.equal(conf.mode & 0o7777, 0o640);
		assert.equal(conf.mtimeMs, 1_500_000_000_000);
		assert.equal((await stat(join(dir, 'etc/hard'))).ino, conf.ino);
		assert.equal(await readlink(join(dir, 'etc/link')), 'conf');
		// Directory mtimes are set after their contents were written.
		assert.equal((await stat(join(dir, 'etc'))).mtimeMs, 1_600_000_000_000);
		assert.equal((await stat(join(dir, 'etc'))).mode & 0o7777, 0o750);
		assert.equal((await stat(join(dir, 'ro'))).mode & 0o7777, 0o555);
		assert.equal((await stat(join(dir, 'bin/suid'))).mode & 0o7777, 0o4755);
		// Implied parents get Docker's 0755.
		assert.equal((await stat(join(dir, 'bin'))).mode & 0o7777, 0o755);
		assert.ok((await lstat(join(dir, 'run/fifo'))).isFIFO());
		if (process.getuid?.() === 0) {
			assert.equal(conf.uid, 1234);
			assert.equal(conf.gid, 4321);
		}
	});

	test('whiteouts delete, opaque markers hide lower contents, directories merge', async () => {
		const dir = await freshDir('whiteout');
		await extractTar(
			await packTar([
				{header: {name: 'keep/', type: 'directory', mode: 0o755}},
				{header: {name: 'keep/lower'}, content: 'lower'},
				{header: {name: 'gone/', type: 'directory'}},
				{header: {name: 'gone/deep'}, content: 'x'},
				{header: {name: 'file-gone'}, content: 'x'},
				{header: {name: 'opaque/', type: 'directory'}},
				{header: {name: 'opaque/lower-file'}, content: 'x'},
				{header: {name: 'opaque/lower-dir/', type: 'directory'}},
				{header: {name: 'opaque/lower-dir/child'}, content: 'x'},
				{header: {name: 'was-dir/', type: 'directory'}},
				{header: {name: 'was-dir/child'}, content: 'x'},
				{header: {name: 'was-file'}, content: 'x'},
			]),
			dir,
		);
		await extractTar(
			await packTar([
				{header: {name: 'keep/', type: 'directory', mode: 0o700}},
				{header: {name: 'keep/upper'}, content: 'upper'},
				{header: {name: whiteoutMarkerPath('gone')}},
				{header: {name: whiteoutMarkerPath('file-gone')}},
				{header: {name: whiteoutMarkerPath('never-existed')}},
				{header: {name: 'opaque/', type: 'directory'}},
				{header: {name: 'opaque/lower-dir/', type: 'directory'}},
				{header: {name: 'opaque/new'}, content: 'new'},
				{header: {name: opaqueMarkerPath('opaque')}},
				{header: {name: 'was-dir'}, content: 'now a file'},
				{header: {name: 'was-file/', type: 'directory'}},
			]),
			dir,
		);
		assert.deepEqual((await readdir(dir)).sort(), ['keep', 'opaque', 'was-dir', 'was-file']);
		assert.deepEqual((await readdir(join(dir, 'keep'))).sort(), ['lower', 'upper']);
		assert.equal((await stat(join(dir, 'keep'))).mode & 0o7777, 0o700);
		// Entries of this layer written before the marker stay; lower contents go, also inside re-created dirs.
		assert.deepEqual((await readdir(join(dir, 'opaque'))).sort(), ['lower-dir', 'new']);
		assert.deepEqual(await readdir(join(dir, 'opaque/lower-dir')), []);
		assert.equal(await readFile(join(dir, 'was-dir'), 'utf8'), 'now a file');
		assert.ok((await lstat(join(dir, 'was-file'))).isDirectory());

		// A marker after this layer's own files, in directories it did not list, keeps those files.
		await extractTar(
			await packTar([
				{header: {name: 'opaque/lower-dir/upper'}, content: 'u'},
				{header: {name: 'opaque/fresh/deeper/file'}, content: 'f'},
				{header: {name: opaqueMarkerPath('opaque')}},
			]),
			dir,
		);
		assert.deepEqual((await readdir(join(dir, 'opaque'))).sort(), ['fresh', 'lower-dir']);
		assert.deepEqual(await readdir(join(dir, 'opaque/lower-dir')), ['upper']);
		assert.equal(await readFile(join(dir, 'opaque/fresh/deeper/file'), 'utf8'), 'f');
	});

	test('creates device nodes when running as root', {skip: process.getuid?.() !== 0 && 'needs root'}, async () => {
		const dir = await freshDir('devices');
		await extractTar(
			await packTar([
				{header: {name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666}},
				{header: {name: 'dev/loop7', type: 'block-device', devmajor: 7, devminor: 7, mode: 0o660}},
			]),
			dir,
		);
		const nullDevice = await lstat(join(dir, 'dev/null'));
		assert.ok(nullDevice.isCharacterDevice());
		assert.equal(nullDevice.rdev, (1 << 8) | 3);
		assert.equal(nullDevice.mode & 0o7777, 0o666);
		assert.ok((await lstat(join(dir, 'dev/loop7'))).isBlockDevice());
	});

	test('replaces a symlink instead of writing through it', async () => {
		const dir = await freshDir('replace-link');
		const outside = await freshDir('replace-link-outside');
		await writeFile(join(outside, 'victim'), 'safe');
		await symlink(join(outside, 'victim'), join(dir, 'file'));
		await extractTar(await packTar([{header: {name: 'file'}, content: 'mine'}]), dir);
		assert.equal(await readFile(join(outside, 'victim'), 'utf8'), 'safe');
		assert.equal(await readFile(join(dir, 'file'), 'utf8'), 'mine');
	});

	for (const [what, header, message] of [
		['a dot-dot path', {name: '../escaped'}, 'path escapes the layer root: "../escaped"'],
		['a nested dot-dot path', {name: 'a/../../escaped'}, 'path escapes the layer root: "a/../../escaped"'],
		[
			'a hardlink out of the root',
			{name: 'pw', type: 'link', linkname: '../../etc/passwd'},
			'hardlink "pw" points outside the layer root: "../../etc/passwd"',
		],
		[
			'a relative symlink out of the root',
			{name: 'up', type: 'symlink', linkname: '../escaped'},
			'symlink "up" points outside the layer root: "../escaped"',
		],
	] as const) {
		test(`refuses ${what} and writes nothing outside`, async () => {
			const parent = await freshDir('escape');
			const target = join(parent, 'root');
			const tar = await packTar([{header: {name: 'before'}, content: 'x'}, {header: {...header}}]);
			await assert.rejects(extractTar(tar, target), {message: `layer.tar: ${message}`});
			assert.deepEqual(await readdir(parent), ['root']);
		});
	}

	test('resolves an absolute hardlink target inside the root, never on the host', async () => {
		const dir = await freshDir('abs-hardlink');
		await assert.rejects(
			extractTar(await packTar([{header: {name: 'pw', type: 'link', linkname: '/etc/passwd'}}]), dir),
			{message: 'layer.tar: hardlink "pw" points to a missing file: "etc/passwd"'},
		);
		await extractTar(
			await packTar([
				{header: {name: 'etc/passwd'}, content: 'root:x:0:0'},
				{header: {name: 'pw', type: 'link', linkname: '/etc/passwd'}},
			]),
			dir,
		);
		assert.equal((await stat(join(dir, 'pw'))).ino, (await stat(join(dir, 'etc/passwd'))).ino);
	});

	test('refuses to write through a symlinked parent that leads out of the root', async () => {
		const dir = await freshDir('symlink-parent');
		const outside = await freshDir('symlink-parent-outside');
		const tar = await packTar([
			{header: {name: 'link', type: 'symlink', linkname: outside}},
			{header: {name: 'link/file'}, content: 'pwned'},
		]);
		await assert.rejects(extractTar(tar, dir), {
			name: 'StrataError',
			message:
				`layer.tar: cannot extract "link/file": it would be written through symlink "link" -> ` +
				`${JSON.stringify(outside)}, which does not lead to a directory inside the layer root`,
		});
		assert.deepEqual(await readdir(outside), []);
	});

	test('refuses a symlinked parent from a lower layer that points out, also through a chain', async () => {
		const dir = await freshDir('symlink-chain');
		const outside = await freshDir('symlink-chain-outside');
		await symlink(outside, join(dir, 'hop2'));
		await symlink('hop2', join(dir, 'hop1'));
		await symlink('../../..' + outside, join(dir, 'dotdot'));
		for (const name of ['hop1/file', 'hop1/sub/file', 'dotdot/file']) {
			const tar = await packTar([{header: {name}, content: 'pwned'}]);
			await assert.rejects(extractTar(tar, dir), /would be written through symlink/);
		}
		assert.deepEqual(await readdir(outside), []);
		// A directory entry replaces the symlink itself.
		const replacing = await packTar([
			{header: {name: 'hop1/', type: 'directory'}},
			{header: {name: 'hop1/file'}, content: 'mine'},
		]);
		await extractTar(replacing, dir);
		assert.ok((await lstat(join(dir, 'hop1'))).isDirectory());
		assert.deepEqual(await readdir(outside), []);
	});

	test('follows a symlinked parent that stays inside the root, as the container would', async () => {
		const dir = await freshDir('symlink-inside');
		await extractTar(
			await packTar([
				{header: {name: 'usr/lib/', type: 'directory'}},
				{header: {name: 'lib', type: 'symlink', linkname: 'usr/lib'}},
				{header: {name: 'abs', type: 'symlink', linkname: '/usr'}},
				{header: {name: 'lib/one'}, content: '1'},
				{header: {name: 'abs/lib/two'}, content: '2'},
			]),
			dir,
		);
		assert.deepEqual((await readdir(join(dir, 'usr/lib'))).sort(), ['one', 'two']);
	});

	test('whiteouts never delete through a symlink out of the root', async () => {
		const dir = await freshDir('whiteout-link');
		const outside = await freshDir('whiteout-link-outside');
		await writeFile(join(outside, 'precious'), 'keep');
		await symlink(outside, join(dir, 'link'));
		await extractTar(await packTar([{header: {name: 'link/.wh.precious'}}, {header: {name: 'link/.wh..wh..opq'}}]), dir);
		assert.equal(await readFile(join(outside, 'precious'), 'utf8'), 'keep');
	});

	test('rejects truncated and corrupt tars', async () => {
		const tar = await packTar([{header: {name: 'big'}, content: 'b'.repeat(4096)}]);
		await assert.rejects(extractTar(tar.subarray(0, 2000), await freshDir('truncated')), {
			message: 'layer.tar: truncated tar: unexpected end of data in entry "big"',
		});
		const corrupt = Buffer.from(tar);
		corrupt[10] ^= 0xff;
		await assert.rejects(extractTar(corrupt, await freshDir('corrupt')), {
			message: 'layer.tar: corrupt tar header at byte 0: checksum mismatch',
		});
	});

	test('applies the empty layer as no change', async () => {
		const dir = await freshDir('empty');
		await writeFile(join(dir, 'existing'), 'x');
		await extractTar(Buffer.alloc(1024), dir);
		await extractLayer(Readable.from([]), dir, 'empty');
		assert.deepEqual(await readdir(dir), ['existing']);
	});
});

describe('layer tar writer', () => {
	async function buildTree(): Promise<string> {
		const dir = await freshDir('tree');
		await mkdir(join(dir, 'a/b/c'), {recursive: true});
		await writeFile(join(dir, 'a/file.txt'), 'hello\n');
		await writeFile(join(dir, 'a/b/odd.bin'), Buffer.alloc(513, 7));
		await writeFile(join(dir, 'empty'), '');
		await writeFile(join(dir, 'big.bin'), Buffer.alloc(3 * 1024 * 1024 + 5, 1));
		await link(join(dir, 'a/file.txt'), join(dir, 'a/b/hard.txt'));
		await symlink('../file.txt', join(dir, 'a/b/sym'));
		await symlink('/etc/passwd', join(dir, 'abs-link'));
		const deep = join(dir, 'long', 'x'.repeat(120));
		await mkdir(deep, {recursive: true});
		await writeFile(join(deep, 'y'.repeat(90)), 'long');
		await writeFile(join(dir, 'naïve-ü.txt'), 'ü');
		await writeFile(join(dir, 'setuid'), 's');
		await chmod(join(dir, 'setuid'), 0o4755);
		await writeFile(join(dir, 'private'), 'p');
		await chmod(join(dir, 'private'), 0o600);
		await mkdir(join(dir, 'sticky'));
		await chmod(join(dir, 'sticky'), 0o1777);
		execFileSync('mkfifo', [join(dir, 'fifo')]);
		await utimes(join(dir, 'a/file.txt'), 1_580_608_922.75, 1_580_608_922.75);
		await utimes(join(dir, 'a/b'), 1_500_000_000, 1_500_000_000);
		const server = createServer();
		await new Promise<void>(resolve => server.listen(join(dir, 'socket'), resolve));
		server.close();
		return dir;
	}

	async function listHeaders(tar: Buffer): Promise<tarStream.Header[]> {
		const extract = tarStream.extract();
		const headers: tarStream.Header[] = [];
		const done = (async () => {
			for await (const entryStream of extract) {
				headers.push(entryStream.header);
				entryStream.resume();
			}
		})();
		extract.end(tar);
		await done;
		return headers;
	}

	test('packs a sorted, Docker-style tar', async () => {
		const dir = await buildTree();
		const tar = await readStream(directoryToLayerTar(dir));
		const headers = await listHeaders(tar);
		assert.deepEqual(
			headers.map(header => header.name),
			[
				'a/',
				'a/b/',
				'a/b/c/',
				'a/b/hard.txt',
				'a/b/odd.bin',
				'a/b/sym',
				'a/file.txt',
				'abs-link',
				'big.bin',
				'empty',
				'fifo',
				'long/',
				`long/${'x'.repeat(120)}/`,
				`long/${'x'.repeat(120)}/${'y'.repeat(90)}`,
				'naïve-ü.txt',
				'private',
				'setuid',
				'sticky/',
			],
		);
		const byName = new Map(headers.map(header => [header.name, header]));
		// The first path of the inode in walk order carries the content; the second links to it.
		assert.equal(byName.get('a/b/hard.txt')!.type, 'file');
		const {type, linkname, size} = byName.get('a/file.txt')!;
		assert.deepEqual({type, linkname, size}, {type: 'link', linkname: 'a/b/hard.txt', size: 0});
		assert.equal(byName.get('a/b/sym')!.linkname, '../file.txt');
		assert.equal(byName.get('fifo')!.type, 'fifo');
		assert.equal(byName.get('setuid')!.mode, 0o4755);
		assert.equal(byName.get('sticky/')!.mode, 0o1777);
		assert.equal(byName.get('a/file.txt')!.mtime!.getTime(), 1_580_608_922_000);
		for (const header of headers) {
			assert.equal(header.uname, '');
			assert.equal(header.gname, '');
		}
		assert.deepEqual(tar.subarray(-1024), Buffer.alloc(1024));
		// Deterministic: packing again gives the same bytes.
		assert.ok(tar.equals(await readStream(directoryToLayerTar(dir))));
	});

	test('round-trips through extraction with modes, links and contents', async () => {
		const source = await buildTree();
		const target = await freshDir('round-trip');
		await extractLayer(directoryToLayerTar(source), target, 'round-trip');

		async function describeTree(root: string, relative = ''): Promise<unknown[]> {
			const rows: unknown[] = [];
			for (const name of (await readdir(join(root, relative))).sort()) {
				const path = relative === '' ? name : `${relative}/${name}`;
				const stats = await lstat(join(root, path));
				if (stats.isSocket()) continue;
				const row = {
					path,
					mode: stats.mode,
					uid: stats.uid,
					gid: stats.gid,
					mtime: Math.floor(stats.mtimeMs / 1000),
					size: stats.isFile() ? stats.size : 0,
					nlink: stats.isDirectory() ? 0 : stats.nlink,
					content: stats.isFile() ? (await readFile(join(root, path))).toString('base64').slice(0, 64) : undefined,
					link: stats.isSymbolicLink() ? await readlink(join(root, path)) : undefined,
				};
				rows.push(row);
				if (stats.isDirectory()) rows.push(...(await describeTree(root, path)));
			}
			return rows;
		}
		assert.deepEqual(await describeTree(target), await describeTree(source));
		assert.equal((await stat(join(target, 'a/file.txt'))).ino, (await stat(join(target, 'a/b/hard.txt'))).ino);

		const {entries, size} = await indexTar(await readStream(directoryToLayerTar(source)));
		assert.equal(entries.length, 18);
		assert.equal(size, 6 + 513 + 3 * 1024 * 1024 + 5 + 4 + Buffer.byteLength('ü') + 1 + 1 + Buffer.byteLength('../file.txt') + Buffer.byteLength('/etc/passwd'));
	});

	test('packs an empty directory as the empty layer', async () => {
		const tar = await readStream(directoryToLayerTar(await freshDir('empty-tree')));
		assert.deepEqual(tar, Buffer.alloc(1024));
	});

	test('fails the stream for a missing directory', async () => {
		await assert.rejects(readStream(directoryToLayerTar(join(scratch, 'does-not-exist'))), /ENOENT/);
	});

	test('a plain ustar header (nearly every entry) has the general encoding\'s bytes, at every field\'s limits', () => {
		const names = ['a', 'usr/', 'etc/passwd', 'x'.repeat(100), `${'d'.repeat(99)}/`, 'with space/and~tilde!', 'tab\there', '\u007f-del', `${'n'.repeat(60)}/${'m'.repeat(39)}`];
		const headers: LayerTarHeader[] = [];
		for (const path of names) {
			headers.push({path, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 1_700_000_000, size: 10});
			headers.push({path, type: 'dir', mode: 0o7777, uid: 0o7777777, gid: 65_534, mtime: 0});
			headers.push({path, type: 'symlink', mode: 0o777, uid: 1000, gid: 1000, mtime: 0o77777777777, linkname: names[(path.length + 3) % names.length]});
			headers.push({path, type: 'hardlink', mode: 0o4755, uid: 1, gid: 2, mtime: 1, linkname: 'l'.repeat(100)});
			headers.push({path, type: 'char', mode: 0o600, uid: 0, gid: 0, mtime: 5, devmajor: 0o7777777, devminor: 255});
			headers.push({path, type: 'file', mode: 0o1, uid: 3, gid: 4, mtime: 1_580_608_922.75, size: 0o77777777777});
		}
		for (const header of headers) {
			const parsed = parsedTarHeader(header);
			assert.deepEqual(encodeTarHeader(header), encodeTarHeaderGenerally(parsed), JSON.stringify(header));
		}
		// Just past a limit, the general encoding (a PAX record or a split name) is the one written.
		for (const header of [
			{path: 'x'.repeat(101), type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size: 1},
			{path: 'naïve', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size: 1},
			{path: 'big', type: 'file', mode: 0o644, uid: 0o7777777 + 1, gid: 0, mtime: 0, size: 1},
			{path: 'old', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: -1, size: 1},
			{path: 'link', type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 0, linkname: 'y'.repeat(101)},
			{path: 'huge', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size: 0o77777777777 + 1},
		] satisfies LayerTarHeader[]) {
			const encoded = encodeTarHeader(header);
			assert.deepEqual(encoded, encodeTarHeaderGenerally(parsedTarHeader(header)));
			assert.ok(encoded.length > 512 || header.path.length > 100, `${header.path}: a PAX entry comes first`);
		}
	});

	test('packer: writes entries, whiteouts and the capability xattr', async () => {
		const packer = createLayerTarPacker();
		const collected = readStream(packer.readable);
		const base = {mode: 0o644, uid: 0, gid: 0, mtime: 1_700_000_000.9};
		await packer.add({...base, path: 'usr/', type: 'dir', mode: 0o755});
		await packer.add({...base, path: 'usr/bin/ping', type: 'file', size: 4, capability}, Buffer.from('ping'));
		const streamed = Readable.from([Buffer.from('abc'), Buffer.from('def')]);
		await packer.add({...base, path: 'usr/streamed', type: 'file', size: 6}, streamed);
		await packer.add({...base, path: whiteoutMarkerPath('etc/motd'), type: 'file'});
		await packer.add({...base, path: opaqueMarkerPath('var/cache'), type: 'file'});
		await assert.rejects(packer.add({...base, path: 'short', type: 'file', size: 10}, Buffer.from('abc')), {
			message: '"short" changed while it was being packed (expected 10 bytes, got 3)',
		});
		await packer.finish();
		const {entries} = await indexTar(await collected);
		assert.deepEqual(entries, [
			entry({path: 'usr', type: 'dir', mode: 0o755}),
			entry({path: 'usr/bin/ping', type: 'file', size: 4, capability: true}),
			entry({path: 'usr/streamed', type: 'file', size: 6}),
			entry({path: 'etc/motd', type: 'whiteout'}),
			entry({path: 'var/cache', type: 'opaque'}),
		]);
	});
});
