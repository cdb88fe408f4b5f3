// Extraction makes synchronous filesystem calls (see safe-extract.ts): these tests check that it still
// hands the event loop back while it works, and that a big file arriving in many chunks comes out whole.
import assert from 'node:assert/strict';
import {readdirSync} from 'node:fs';
import {mkdtemp, readFile, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {after, before, test} from 'node:test';
import {extractLayer} from '../../source/engine/layer/safe-extract.js';
import {createLayerTarPacker} from '../../source/engine/layer/tar-packer.js';

let scratch: string;
before(async () => {
	scratch = await mkdtemp(join(tmpdir(), 'strata-extract-pacing-'));
});
after(async () => {
	await rm(scratch, {recursive: true, force: true});
});

async function tarOf(entries: Array<{path: string; content: Buffer}>): Promise<Buffer> {
	const packer = createLayerTarPacker();
	const chunks: Buffer[] = [];
	const read = (async () => {
		for await (const chunk of packer.readable) chunks.push(chunk as Buffer);
	})();
	for (const {path, content} of entries) {
		await packer.add({path, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 1_700_000_000, size: content.length}, content);
	}
	await packer.finish();
	await read;
	return Buffer.concat(chunks);
}

function filesIn(dir: string): number {
	try {
		return readdirSync(dir).length;
	} catch {
		return 0;
	}
}

test('extraction of many small files gives the event loop turns while it works', async () => {
	const files = Array.from({length: 2000}, (_, index) => ({path: `many/f${index}`, content: Buffer.from(`file ${index}\n`)}));
	const tar = await tarOf(files);
	const dir = join(scratch, 'many');
	// The whole tar comes in one chunk, so only the extraction itself can give the loop a turn. At each
	// turn, note how far it got: a run that never yielded would be seen at most before and after.
	const progress = new Set<number>();
	let extracting = true;
	const look = () => {
		progress.add(filesIn(join(dir, 'many')));
		if (extracting) setImmediate(look);
	};
	setImmediate(look);
	await extractLayer(Readable.from([tar]), dir, 'many.tar');
	extracting = false;
	assert.ok(progress.size >= 5, `the event loop saw the extraction at ${progress.size} points: ${[...progress].join(', ')}`);
	assert.equal(await readFile(join(dir, 'many/f1999'), 'utf8'), 'file 1999\n');
});

test('a big file streamed in small chunks comes out whole, with its attributes', async () => {
	const big = Buffer.alloc(5 * 1024 * 1024 + 17);
	for (let index = 0; index < big.length; index++) big[index] = (index * 31) % 251;
	const tar = await tarOf([{path: 'big.bin', content: big}]);
	const dir = join(scratch, 'big');
	const chunks = Array.from({length: Math.ceil(tar.length / 4096)}, (_, index) => tar.subarray(index * 4096, (index + 1) * 4096));
	await extractLayer(Readable.from(chunks), dir, 'big.tar');
	assert.ok((await readFile(join(dir, 'big.bin'))).equals(big));
	const stats = await stat(join(dir, 'big.bin'));
	assert.equal(stats.mode & 0o7777, 0o644);
	assert.equal(stats.mtimeMs, 1_700_000_000_000);
});
