// Unpacking on top of a hard-link clone of the parent's root: the clone shares files but not directories,
// extraction on top never changes the parent (a hard link entry's attributes make its target private first),
// and an image unpacked this way has exactly the files an unpack from scratch gives.
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync} from 'node:fs';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {after, before, describe, test} from 'node:test';
import tar from 'tar-stream';
import {unpackImage} from '../../source/engine/containers/unpacked-image.js';
import type {Digest} from '../../source/engine/digest.js';
import {cloneByHardLinks} from '../../source/engine/layer/hardlink-clone.js';
import {extractLayer} from '../../source/engine/layer/safe-extract.js';
import {Store} from '../../source/engine/store/store.js';
import {tempDir, writeTree} from '../support/tmp.js';
import {cleanUpStore, containerRoot, containerSkip, importBusybox, strataIn} from './container-support.js';

type Entry = tar.Headers & {content?: string};

async function tarOf(entries: Entry[]): Promise<Buffer> {
	const pack = tar.pack();
	const done = (async () => {
		const chunks: Buffer[] = [];
		for await (const chunk of pack) chunks.push(chunk as Buffer);
		return Buffer.concat(chunks);
	})();
	for (const {content, ...header} of entries) pack.entry({mtime: new Date('2024-01-01T00:00:00Z'), uid: 0, gid: 0, ...header}, content);
	pack.finalize();
	return done;
}

async function extract(dir: string, entries: Entry[], shared?: Set<string>): Promise<void> {
	await extractLayer(Readable.from([await tarOf(entries)]), dir, 'test layer', {shared});
}

/** Every path under `dir` with its type, mode, owner, mtime, link target and content. */
function describeTree(dir: string, prefix = ''): string[] {
	const lines: string[] = [];
	for (const name of readdirSync(join(dir, prefix)).sort()) {
		const path = prefix === '' ? name : `${prefix}/${name}`;
		const stats = lstatSync(join(dir, path));
		const what = stats.isDirectory() ? 'dir' : stats.isSymbolicLink() ? `-> ${readlinkSync(join(dir, path))}` : `file ${createHash('sha256').update(readFileSync(join(dir, path))).digest('hex').slice(0, 16)}`;
		lines.push(`${path} ${(stats.mode & 0o7777).toString(8)} ${stats.uid}:${stats.gid} ${stats.isSymbolicLink() ? '' : stats.mtimeMs} ${what}`);
		if (stats.isDirectory()) lines.push(...describeTree(dir, path));
	}
	return lines;
}

describe('hard-link clones of unpacked roots', () => {
	const work = tempDir('strata-clone');
	const parent = join(work, 'parent');
	const child = join(work, 'child');

	before(async () => {
		mkdirSync(parent);
		await extract(parent, [
			{name: 'data/', type: 'directory', mode: 0o750, uid: 5, gid: 6},
			{name: 'data/a', mode: 0o644, content: 'a'},
			{name: 'data/s', type: 'symlink', linkname: 'a'},
			{name: 'etc/', type: 'directory', mode: 0o755},
			{name: 'etc/conf', mode: 0o640, content: 'conf'},
		]);
		mkdirSync(child);
	});

	test('files are shared, directories are new with the same attributes', async () => {
		const before = describeTree(parent);
		const shared = await cloneByHardLinks(parent, realpathSync(child));
		assert.deepEqual(describeTree(child), before);
		assert.equal(lstatSync(join(child, 'data/a')).ino, lstatSync(join(parent, 'data/a')).ino);
		assert.equal(lstatSync(join(child, 'data/s')).ino, lstatSync(join(parent, 'data/s')).ino);
		assert.notEqual(lstatSync(join(child, 'data')).ino, lstatSync(join(parent, 'data')).ino);
		assert.ok(shared.has(join(realpathSync(child), 'data/a')));

		// A layer on the clone: a new file over a shared one, a hard link giving a shared file new attributes, a whiteout.
		await extract(
			child,
			[
				{name: 'etc/conf', mode: 0o600, content: 'changed'},
				{name: 'data/b', type: 'link', linkname: 'data/a', mode: 0o600, uid: 7, gid: 8},
				{name: 'data/.wh.s', content: ''},
			],
			shared,
		);
		assert.deepEqual(describeTree(parent), before, 'the parent root is untouched');
		const a = lstatSync(join(child, 'data/a'));
		assert.deepEqual([a.mode & 0o7777, a.uid, a.gid], [0o600, 7, 8]);
		assert.equal(lstatSync(join(child, 'data/b')).ino, a.ino);
		assert.notEqual(a.ino, lstatSync(join(parent, 'data/a')).ino);
		assert.equal(readFileSync(join(child, 'etc/conf'), 'utf8'), 'changed');
		assert.equal(lstatSync(join(child, 'data/s'), {throwIfNoEntry: false}), undefined);
	});
});

describe('unpacking an image from its unpacked parent', {skip: containerSkip, timeout: 300_000}, () => {
	let root: string;

	before(async () => {
		root = containerRoot();
		await importBusybox(root);
	});

	after(() => cleanUpStore(root));

	test('a RUN image unpacks as its COPY parent\'s clone plus its layer, equal to an unpack from scratch', async () => {
		const context = writeTree(join(tempDir('strata-clone-build'), 'ctx'), {
			Dockerfile: 'FROM busybox\nCOPY files /files\nRUN rm /files/gone && echo new > /files/new && chmod 600 /files/kept\n',
			'files/kept': 'kept\n',
			'files/gone': 'gone\n',
			'files/other': 'other\n',
		});
		const built = await strataIn(root)(['build', '-q', '-t', 'clone-test', context]);
		assert.equal(built.code, 0, built.stderr);
		const store = await Store.open(root);
		const catalog = await store.catalog();
		const image = catalog.records.get(built.stdout.trim() as Digest)!;
		const copyImage = catalog.records.get(image.parent!)!;
		// The build unpacked the COPY image for its RUN step, then the RUN image is unpacked from it.
		const parentRoot = await unpackImage(store, copyImage);
		const imageRoot = await unpackImage(store, image);
		assert.equal(lstatSync(join(imageRoot, 'files/other')).ino, lstatSync(join(parentRoot, 'files/other')).ino, 'shared with the parent');

		const scratch = join(tempDir('strata-clone-scratch'), 'root');
		mkdirSync(scratch);
		for (const diffID of image.diffIDs) await extractLayer(Readable.from([readFileSync(store.blobs.path(diffID))]), scratch, diffID);
		// Adding the mount points (etc/hosts, ...) to an unpacked root changes etc's mtime too.
		const withoutMountPoints = (lines: string[]) =>
			lines.filter(line => !/^(proc|sys|dev|etc\/hosts|etc\/hostname|etc\/resolv\.conf) /.test(line)).map(line => (line.startsWith('etc ') ? line.replace(/ [\d.]+ dir$/, ' dir') : line));
		const cloned = withoutMountPoints(describeTree(imageRoot));
		const fromScratch = withoutMountPoints(describeTree(scratch));
		assert.deepEqual(cloned.filter(line => !fromScratch.includes(line)), fromScratch.filter(line => !cloned.includes(line)));
		assert.equal(cloned.length, fromScratch.length);
		assert.equal(lstatSync(join(parentRoot, 'files/kept')).mode & 0o777, 0o644, 'the parent keeps its own mode');
	});
});
