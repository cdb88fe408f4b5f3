// Container diffs on real overlay mounts and on plain directory copies: the A/C/D lines of `diff`, and the
// layer `commit` writes, checked by applying it over the image and comparing with the container's view.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdirSync} from 'node:fs';
import {Readable} from 'node:stream';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import tarStream from 'tar-stream';
import {diffLayerTar} from '../../source/engine/containers/diff-layer.js';
import {type DiffSource, filesystemChanges, filesystemLayerEntries} from '../../source/engine/containers/diff-filesystem.js';
import {parseGetfattrDump} from '../../source/engine/containers/diff-xattrs.js';
import {extractLayer} from '../../source/engine/layer/safe-extract.js';
import {tempDir} from '../support/tmp.js';

const asRoot = process.getuid?.() === 0;
const skipUnlessRoot = asRoot ? false : 'needs root (overlay mounts, mknod, chown)';

function sh(script: string, cwd?: string): string {
	return execFileSync('sh', ['-euc', script], {cwd, encoding: 'utf8'});
}

/** An image's unpacked root: enough of a Linux tree to add to, change, delete and replace things in. */
function makeLower(dir: string): void {
	sh(`
		mkdir -p etc d/sub usr/share/doc/pkg usr/lib bin dev proc sys
		printf 'root:x:0:0::/root:/bin/sh\\n' > etc/passwd
		printf 'root:x:0:\\n' > etc/group
		: > etc/hosts
		echo y > d/g
		echo q > d/sub/q
		echo readme > usr/share/doc/pkg/README
		echo lib > usr/lib/x
		ln -s usr/lib lib
		printf '#!/bin/sh\\n' > bin/sh && chmod 755 bin/sh
		touch -d '2024-01-01 00:00:00' etc/passwd etc/group d/g d/sub/q usr/share/doc/pkg/README usr/lib/x bin/sh
	`, dir);
}

/** What a container does: every kind of change, plus files the runtime owns (never part of a diff). */
const containerScript = `
	rm -rf d && mkdir d && echo z > d/h
	rm etc/group
	echo new >> etc/passwd
	mkdir newdir && echo n > newdir/f && ln newdir/f newdir/hl && ln -s /x newdir/sl
	rm -rf usr/share/doc
	chmod 700 bin/sh
	echo more > lib/y
	echo 127.0.0.1 > etc/hosts && echo host > etc/hostname && : > .dockerenv && : > dev/null2 && mkdir proc/1
`;

const expectedChanges = [
	'C /bin',
	'C /bin/sh',
	'C /d',
	'D /d/g',
	'A /d/h',
	'D /d/sub',
	'C /etc',
	'D /etc/group',
	'C /etc/passwd',
	'A /newdir',
	'A /newdir/f',
	'A /newdir/hl',
	'A /newdir/sl',
	'C /usr',
	'C /usr/lib',
	'A /usr/lib/y',
	'C /usr/share',
	'D /usr/share/doc',
];

function mountOverlay(lower: string, upper: string, work: string, merged: string, readOnly = false): void {
	const options = readOnly ? `ro,lowerdir=${upper}:${lower}` : `lowerdir=${lower},upperdir=${upper},workdir=${work}`;
	execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', options, merged]);
}

/** A container on overlay, after containerScript ran in it (unmounted again, as a stopped container is). */
function overlayContainer(): DiffSource & {driver: 'overlay'; merged: string; work: string} {
	const root = tempDir('strata-commit-ovl');
	const [lower, upper, work, merged] = ['lower', 'upper', 'work', 'merged'].map(name => join(root, name));
	for (const dir of [lower, upper, work, merged]) mkdirSync(dir);
	makeLower(lower);
	mountOverlay(lower, upper, work, merged);
	try {
		sh(containerScript, merged);
	} finally {
		execFileSync('umount', [merged]);
	}
	return {driver: 'overlay', lower, upper, work, merged};
}

/** The same container on the copy driver: a private copy of the image, changed in place. */
function copyContainer(): DiffSource & {driver: 'copy'} {
	const root = tempDir('strata-commit-copy');
	const lower = join(root, 'lower');
	const rootfs = join(root, 'rootfs');
	mkdirSync(lower);
	makeLower(lower);
	execFileSync('cp', ['-a', lower, rootfs]);
	sh(containerScript, rootfs);
	return {driver: 'copy', lower, rootfs};
}

function lines(changes: Array<{kind: string; path: string}>): string[] {
	return changes.map(change => `${change.kind} ${change.path}`);
}

async function layerBytes(source: DiffSource): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of diffLayerTar(await filesystemLayerEntries(source, new Date()))) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

type TarEntry = {name: string; type: string; mode: number; uid: number; gid: number; mtime: number; linkname?: string | null; size: number};

async function listTar(tar: Buffer): Promise<TarEntry[]> {
	const entries: TarEntry[] = [];
	const extract = tarStream.extract();
	const done = new Promise<void>((resolve, reject) => {
		extract.on('entry', (header, stream, next) => {
			entries.push({name: header.name, type: header.type ?? 'file', mode: header.mode ?? 0, uid: header.uid ?? 0, gid: header.gid ?? 0, mtime: Math.floor((header.mtime?.getTime() ?? 0) / 1000), linkname: header.linkname, size: header.size ?? 0});
			stream.on('end', next);
			stream.resume();
		});
		extract.on('finish', resolve);
		extract.on('error', reject);
	});
	Readable.from([tar]).pipe(extract);
	await done;
	return entries;
}

/** Type, mode, owner, size, link target and content hash of everything under `dir`: a tree's identity without times. */
function treeListing(dir: string): string {
	return sh(`find . -mindepth 1 -printf '%P %y %m %U:%G %s %l\\n' | sort; find . -type f -exec sha256sum {} + | sort -k2`, dir);
}

describe('container diff', {skip: skipUnlessRoot}, () => {
	test('overlay: Docker\'s A/C/D lines for adds, changes, deletes, replaced (opaque) directories', async () => {
		const container = overlayContainer();
		// The setting: overlayfs made d opaque and left 0/0 whiteouts.
		assert.match(sh(`getfattr -n trusted.overlay.opaque --only-values d`, container.upper), /^y$/);
		assert.match(sh(`stat -c %F:%t:%T etc/group`, container.upper), /^character special file:0:0/);
		assert.deepEqual(lines(await filesystemChanges(container)), expectedChanges);
	});

	test('copy driver: the same lines from comparing the two trees', async () => {
		assert.deepEqual(lines(await filesystemChanges(copyContainer())), expectedChanges);
	});

	test('no changes, no lines; an unchanged copied-up directory is not a change', async () => {
		const container = overlayContainer();
		sh('rm -rf * .dockerenv', container.upper);
		mkdirSync(join(container.upper, 'usr'));
		sh(`chmod --reference=${container.lower}/usr usr && touch -r ${container.lower}/usr usr`, container.upper);
		assert.deepEqual(await filesystemChanges(container), []);
	});

	test('changing the contents of a directory opaque over another: deletes listed per lower child', async () => {
		const container = overlayContainer();
		// d/sub is gone (d is opaque); bring back a d/sub with other contents: q is still deleted.
		mountOverlay(container.lower, container.upper, container.work, container.merged);
		try {
			sh('mkdir d/sub && echo r > d/sub/r', container.merged);
		} finally {
			execFileSync('umount', [container.merged]);
		}
		const changes = lines(await filesystemChanges(container)).filter(line => line.includes(' /d'));
		assert.deepEqual(changes, ['C /d', 'D /d/g', 'A /d/h', 'C /d/sub', 'D /d/sub/q', 'A /d/sub/r']);
	});
});

describe('commit layer', {skip: skipUnlessRoot}, () => {
	test('overlay: whiteouts and opaque dirs converted the way Docker\'s overlay2 does', async () => {
		const container = overlayContainer();
		const entries = await listTar(await layerBytes(container));
		const names = entries.map(entry => entry.name);
		// Walk order: parents first, siblings by name bytes; the opaque marker right after its directory.
		assert.deepEqual(names, [
			'bin/', 'bin/sh', 'd/', 'd/.wh..wh..opq', 'd/h',
			// Copied up because the test wrote into it (a running container's /dev is a tmpfs): the directory
			// goes in as the upper dir has it, never its contents.
			'dev/',
			'etc/', 'etc/.wh.group', 'etc/passwd',
			'newdir/', 'newdir/f', 'newdir/hl', 'newdir/sl', 'usr/', 'usr/lib/', 'usr/lib/y', 'usr/share/', 'usr/share/.wh.doc',
		]);
		const byName = new Map(entries.map(entry => [entry.name, entry]));
		assert.deepEqual(byName.get('d/.wh..wh..opq'), {name: 'd/.wh..wh..opq', type: 'file', mode: 0o755, uid: 0, gid: 0, mtime: 0, linkname: null, size: 0});
		const whiteout = byName.get('etc/.wh.group')!;
		assert.equal(whiteout.type, 'file');
		assert.equal(whiteout.mode, 0o600);
		assert.equal(whiteout.size, 0);
		assert.equal(byName.get('newdir/hl')!.type, 'link');
		assert.equal(byName.get('newdir/hl')!.linkname, 'newdir/f');
		assert.equal(byName.get('newdir/sl')!.linkname, '/x');
		assert.equal(byName.get('bin/sh')!.mode, 0o700);
	});

	for (const driver of ['overlay', 'copy'] as const) {
		test(`${driver}: the layer applied over the image gives the container's file system (init files aside)`, async () => {
			const container = driver === 'overlay' ? overlayContainer() : copyContainer();
			const applied = tempDir('strata-commit-applied');
			execFileSync('cp', ['-a', `${container.lower}/.`, applied]);
			await extractLayer(Readable.from([await layerBytes(container)]), applied, 'commit layer');
			let expected: string;
			if (container.driver === 'overlay') {
				mountOverlay(container.lower, container.upper, container.work, container.merged, true);
				try {
					expected = treeListing(container.merged);
				} finally {
					execFileSync('umount', [container.merged]);
				}
			} else {
				expected = treeListing(container.rootfs);
			}
			// The runtime's files stay as the image had them.
			const withoutInitFiles = (listing: string) => listing.split('\n').filter(line => !/(^| )(\.\/)?(etc\/hosts|etc\/hostname|\.dockerenv|dev\/null2|proc\/1)( |$)/.test(line)).join('\n');
			assert.equal(withoutInitFiles(treeListing(applied)), withoutInitFiles(expected));
			assert.equal(sh('cat etc/hosts', applied), '');
			assert.equal(sh('ls -A dev proc', applied), 'dev:\n\nproc:\n');
		});
	}

	test('init files are in neither the diff nor the layer', async () => {
		for (const container of [overlayContainer(), copyContainer()]) {
			const names = (await listTar(await layerBytes(container))).map(entry => entry.name);
			for (const path of ['etc/hosts', 'etc/hostname', '.dockerenv', 'dev/null2', 'proc/', 'proc/1/']) assert.ok(!names.includes(path), `${container.driver}: ${path} in the layer`);
			const changed = lines(await filesystemChanges(container)).map(line => line.slice(2));
			for (const path of ['/etc/hosts', '/etc/hostname', '/.dockerenv', '/dev', '/dev/null2', '/proc', '/proc/1']) assert.ok(!changed.includes(path), `${container.driver}: ${path} in the diff`);
		}
	});

	test('an opaque directory the image does not have gets no marker', async () => {
		const container = overlayContainer();
		sh('mkdir fresh && setfattr -n trusted.overlay.opaque -v y fresh', container.upper);
		const names = (await listTar(await layerBytes(container))).map(entry => entry.name);
		assert.ok(names.includes('fresh/'));
		assert.ok(!names.includes('fresh/.wh..wh..opq'));
	});

	test('copy driver: deletions become whiteouts, changed directories are entries without their contents', async () => {
		const names = (await listTar(await layerBytes(copyContainer()))).map(entry => entry.name);
		assert.deepEqual(names, [
			'bin/', 'bin/sh', 'd/', 'd/.wh.g', 'd/h', 'd/.wh.sub', 'etc/', 'etc/.wh.group', 'etc/passwd',
			'newdir/', 'newdir/f', 'newdir/hl', 'newdir/sl', 'usr/', 'usr/lib/', 'usr/lib/y', 'usr/share/', 'usr/share/.wh.doc',
		]);
	});
});

test('getfattr dumps: escaped names and hex values', () => {
	const dump = Buffer.concat([
		Buffer.from('# file: /up/we ird\\134na\\012b\ntrusted.overlay.opaque=0x79\n\n# file: /up/'),
		Buffer.from('é', 'utf8'),
		Buffer.from('\nsecurity.capability=0x0100000200\n\n# file: /up\ntrusted.overlay.opaque=0x79\n'),
	]);
	const parsed = parseGetfattrDump(dump, '/up');
	assert.deepEqual([...parsed.keys()], ['we ird\\na\nb', 'é', '']);
	assert.equal(parsed.get('we ird\\na\nb')!.get('trusted.overlay.opaque')!.toString(), 'y');
	assert.deepEqual(parsed.get('é')!.get('security.capability'), Buffer.from([1, 0, 0, 2, 0]));
});
