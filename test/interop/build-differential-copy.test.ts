// docker build next to strata build for COPY and ADD (issue 5, point 6): which files land where, with which
// owner, mode, mtime and content, and the history text naming their content hash.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {Differential, differentialSkip, useDifferential} from './build-differential-support.js';

const FROM = 'FROM strata-test/busybox\n';

describe('docker build and strata build make the same image: COPY and ADD', {skip: differentialSkip, timeout: 900_000}, () => {
	let diff!: Differential;
	useDifferential(started => (diff = started));

	const tree = {
		'a.txt': 'a\n',
		'b.txt': 'b\n',
		'c.md': 'c\n',
		'dir/one': '1\n',
		'dir/sub/two': {content: '2\n', mode: 0o600},
		'dir/run.sh': {content: '#!/bin/sh\necho hi\n', mode: 0o755},
	} as const;

	test('COPY a file, a dir, globs; to dir/ and to a file name', {timeout: 300_000}, async () => {
		await diff.same('copy-basic', {
			...tree,
			Dockerfile: `${FROM}COPY a.txt /file-named\nCOPY a.txt /into/\nCOPY dir /dir-copy\nCOPY dir/ /dir-slash/\nCOPY *.txt /globbed/\nCOPY [ab].txt c.* /multi/\n`,
		});
	});

	test('COPY to relative destinations after WORKDIR', {timeout: 300_000}, async () => {
		await diff.same('copy-relative', {...tree, Dockerfile: `${FROM}WORKDIR /tmp\nCOPY a.txt relative\nCOPY dir .\n`});
	});

	const chown = {...tree, Dockerfile: `${FROM}COPY --chown=nobody:nogroup a.txt /named\nCOPY --chown=5:6 dir /numeric\nCOPY --chown=nobody:0 dir /user-named/\nCOPY --chown=1000 a.txt /uid-only\n`};

	test('COPY --chown: names, numbers, a uid alone (files and settings; the history text is the next case)', {timeout: 300_000}, async () => {
		await diff.assertSameBuild(diff.context('copy-chown', chown), {tag: 'diff/copy-chown'}, {ignoreHistory: true});
	});

	test('COPY --chown: the history text', {timeout: 300_000}, async () => {
		assert.deepEqual((await diff.differences('diff/copy-chown')).filter(line => line.startsWith('history')), []);
	});

	test('COPY --chown with a user name alone needs a group of that name (both fail here: no group "nobody")', {timeout: 300_000}, async () => {
		await diff.sameFailure('copy-chown-user', {...tree, Dockerfile: `${FROM}COPY --chown=nobody a.txt /x\n`}, /can't find gid for group nobody/);
	});

	test('COPY --chmod', {timeout: 300_000}, async t => {
		const dir = diff.context('copy-chmod', {...tree, Dockerfile: `${FROM}COPY --chmod=0640 a.txt /m\n`});
		const docker = await diff.dockerBuild(dir, {tag: 'diff/copy-chmod'});
		if (!docker.ok && /--chmod.*BuildKit/i.test(docker.error ?? '')) {
			t.skip(`Docker 20.10's classic builder refuses --chmod: ${docker.error!.split('\n').at(-1)}`);
			return;
		}
		await diff.assertSameBuild(dir, {tag: 'diff/copy-chmod'});
	});

	test('COPY symlinks: a symlink as the source, symlinks inside a copied dir', {timeout: 300_000}, async () => {
		await diff.same('copy-symlinks', {
			...tree,
			'link-to-a': {symlink: 'a.txt'},
			'dir/rel-link': {symlink: 'one'},
			'dir/abs-link': {symlink: '/etc/passwd'},
			'dir/dangling': {symlink: 'missing'},
			Dockerfile: `${FROM}COPY link-to-a /from-link\nCOPY dir /linked-dir\n`,
		});
	});

	test('COPY names with spaces, an empty dir, a destination made with its parents', {timeout: 300_000}, async () => {
		await diff.same('copy-odd', {
			'with space.txt': 'spaced\n',
			'empty': {dir: true},
			'nested/empty': {dir: true},
			Dockerfile: `${FROM}COPY ["with space.txt", "/a dir/"]\nCOPY empty /made/by/copy/empty\nCOPY nested /nested/\nCOPY with* /deep/er/than/before/\n`,
		});
	});

	test('ADD: a local .tar and .tar.gz are unpacked, a plain file is copied', {timeout: 300_000}, async () => {
		const dir = diff.context('add', {...tree, Dockerfile: `${FROM}ADD plain.tar /unpacked/\nADD zipped.tar.gz /unpacked-gz\nADD a.txt /added\nADD dir /added-dir/\nADD plain.tar /tar-in/file.tar\n`});
		const files = {'x/y.txt': 'from a tar\n', 'x/exec': {content: 'run\n', mode: 0o750}, 'x/link': {symlink: 'y.txt'}} as const;
		diff.tarball(dir, 'plain.tar', files);
		diff.tarball(dir, 'zipped.tar.gz', files);
		await diff.assertSameBuild(dir, {tag: 'diff/add'});
	});
});
