// A running build holds the untagged images it made (builder/cache/build-lease.ts): `image prune` and
// `builder prune` in another process leave them alone, and a lease of a process that died holds nothing.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {BuildLease, imagesHeldByBuilds} from '../../source/engine/builder/cache/build-lease.js';
import type {Digest} from '../../source/engine/digest.js';
import {StorePaths} from '../../source/engine/store/paths.js';
import {tempDir, writeTree} from '../support/tmp.js';
import {cliPath, containerSkip, useBusyboxStore} from './container-support.js';

const imageA = `sha256:${'a'.repeat(64)}` as Digest;
const imageB = `sha256:${'b'.repeat(64)}` as Digest;

describe('build leases', () => {
	test('a lease holds its images until released; a dead process holds nothing', () => {
		const paths = new StorePaths(join(tempDir('strata-lease'), 'store'));
		const lease = BuildLease.take(paths);
		lease.hold(imageA);
		lease.hold(undefined);
		assert.deepEqual([...imagesHeldByBuilds(paths)], [[imageA, process.pid]]);
		// A lease left by a build that died (no such pid) holds nothing and is cleared away.
		writeFileSync(join(paths.builds, '999999999-dead.json'), JSON.stringify({pid: 999_999_999, images: [imageB]}));
		assert.deepEqual([...imagesHeldByBuilds(paths).keys()], [imageA]);
		assert.ok(!readdirSync(paths.builds).includes('999999999-dead.json'));
		lease.release();
		assert.equal(imagesHeldByBuilds(paths).size, 0);
	});
});

describe('a prune while a build runs', {skip: containerSkip, timeout: 300_000}, () => {
	const store = useBusyboxStore();

	test('leaves the finished stage the build still needs (untagged, no children) in place', async () => {
		// Stage `one` ends long before stage `two` does: its image is a dangling head while `two` sleeps.
		const context = writeTree(join(tempDir('strata-lease-build'), 'ctx'), {
			Dockerfile: 'FROM busybox AS one\nRUN echo one > /one\n\nFROM busybox AS two\nRUN sleep 5\n\nFROM busybox\nCOPY --from=one /one /one\nCOPY --from=two /etc/passwd /passwd\n',
		});
		const build = spawn(process.execPath, [cliPath, 'build', '--progress', 'plain', '-t', 'leased', context], {env: {...process.env, STRATA_ROOT: store.root}, stdio: ['ignore', 'pipe', 'pipe']});
		let output = '';
		build.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const exited = new Promise<number | null>(resolve => build.once('close', resolve));
		// Plain output reads stage by stage: once stage two's RUN is running, stage one is done.
		await new Promise<void>((resolve, reject) => {
			build.stdout.on('data', (chunk: Buffer) => {
				output += chunk.toString();
				if (/RUN sleep 5\n ---> Running in/.test(output)) resolve();
			});
			build.once('close', () => reject(new Error(`the build ended before its sleep: ${output}`)));
		});
		const pruned = await store.strata(['image', 'prune', '-f']);
		assert.equal(pruned.code, 0, pruned.stderr);
		const prunedCache = await store.strata(['builder', 'prune', '-f']);
		assert.equal(prunedCache.code, 0, prunedCache.stderr);
		assert.equal(await exited, 0, output);
		const image = await store.strata(['run', '--rm', 'leased', 'cat', '/one']);
		assert.equal(image.stdout, 'one\n', image.stderr);
		// Released at the end: nothing is held any more.
		assert.equal(imagesHeldByBuilds(new StorePaths(store.root)).size, 0);
	});
});
