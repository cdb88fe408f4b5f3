// ImageTree: an image's files as COPY and WORKDIR see them, read from the layer indexes (and one layer tar
// for a file's text) instead of an unpacked root. Layers made by real RUN steps: symlinks absolute and
// relative, a directory removed by a later layer (whiteout), a hard link, a new user in /etc/passwd.
import assert from 'node:assert/strict';
import {lstatSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {ImageTree} from '../../source/engine/builder/executor/image-tree.js';
import {unpackImage} from '../../source/engine/containers/unpacked-image.js';
import type {Digest} from '../../source/engine/digest.js';
import {Store} from '../../source/engine/store/store.js';
import {tempDir, writeTree} from '../support/tmp.js';
import {cleanUpStore, containerRoot, containerSkip, importBusybox, strataIn} from './container-support.js';

const dockerfile = `FROM busybox
RUN mkdir -p /data/sub /data/keep && echo x > /data/sub/f && ln -s /data /link && ln -s sub /data/rel && echo appuser:x:1234:1234::/home/appuser:/bin/sh >> /etc/passwd && echo appuser:x:1234: >> /etc/group && chmod 2750 /data/keep && chown 5:6 /data/keep
RUN rm -rf /data/sub && mkdir /data/sub2 && ln -s /etc/passwd /pw && ln /etc/group /data/group-link
`;

describe('ImageTree', {skip: containerSkip, timeout: 300_000}, () => {
	let root: string;
	let tree: ImageTree;
	let unpacked: string;

	before(async () => {
		root = containerRoot();
		const strata = strataIn(root);
		await importBusybox(root);
		const context = writeTree(join(tempDir('strata-image-tree'), 'ctx'), {Dockerfile: dockerfile});
		const built = await strata(['build', '-q', '-t', 'tree-test', context]);
		assert.equal(built.code, 0, built.stderr);
		const store = await Store.open(root);
		const record = (await store.catalog()).records.get(built.stdout.trim() as Digest)!;
		tree = await ImageTree.load(store, record.diffIDs);
		unpacked = await unpackImage(store, record);
	});

	after(() => cleanUpStore(root));

	test('lstat agrees with the unpacked root where the host can follow the links', () => {
		// Relative links and plain paths resolve the same on the host as in the image.
		for (const path of ['data', 'data/keep', 'data/sub2', 'data/rel', 'data/group-link', 'bin/sh', 'etc/passwd', 'proc', 'dev', 'etc/hosts', 'bin/..', 'data/sub', 'data/rel/f', 'nothing/here']) {
			const onDisk = lstatSync(join(unpacked, path), {throwIfNoEntry: false});
			const inTree = tree.lstat(path);
			assert.equal(inTree === undefined, onDisk === undefined, `${path}: present in one only`);
			if (!onDisk || !inTree) continue;
			const type = onDisk.isDirectory() ? 'dir' : onDisk.isSymbolicLink() ? 'symlink' : 'file';
			assert.equal(inTree.type === 'hardlink' ? 'file' : inTree.type, type, `${path}: type`);
			assert.deepEqual([inTree.mode & 0o7777, inTree.uid, inTree.gid], [onDisk.mode & 0o7777, onDisk.uid, onDisk.gid], `${path}: mode and owner`);
		}
	});

	test('absolute links resolve inside the image, never on the host', () => {
		assert.equal(tree.lstat('/link')?.type, 'symlink');
		const keep = tree.lstat('/link/keep');
		assert.deepEqual(keep && [keep.type, keep.mode & 0o7777, keep.uid, keep.gid], ['dir', 0o2750, 5, 6]);
		assert.equal(tree.lstat('/link/sub'), undefined, 'removed by the later layer');
		assert.equal(tree.lstat('/pw/x'), undefined, 'a file is no directory');
	});

	test('unpacking one image twice at once (two stages on one base) makes one root', async () => {
		const store = await Store.open(root);
		const busybox = [...(await store.catalog()).records.values()].find(record => record.diffIDs.length === 1)!;
		// The build unpacked it for its first RUN: gone again, both calls have to make it.
		rmSync(join(root, 'unpacked', busybox.id.slice(7)), {recursive: true, force: true});
		const roots = await Promise.all([unpackImage(store, busybox), unpackImage(store, busybox)]);
		assert.equal(roots[0], roots[1]);
		assert.ok(lstatSync(join(roots[0], 'bin/busybox')).isFile());
	});

	test('readText reads the top-most copy, through links and hard links', async () => {
		const passwd = await tree.readText('/etc/passwd');
		assert.equal(passwd, readFileSync(join(unpacked, 'etc/passwd'), 'utf8'));
		assert.match(passwd!, /^appuser:x:1234:/m);
		assert.equal(await tree.readText('/pw'), passwd);
		const group = await tree.readText('etc/group');
		assert.match(group!, /^appuser:/m);
		assert.equal(await tree.readText('/data/group-link'), group);
		assert.equal(await tree.readText('/data'), undefined);
		assert.equal(await tree.readText('/data/sub/f'), undefined);
	});
});
