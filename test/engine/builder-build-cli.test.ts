// `strata build` through the built CLI on real containers: a failure's summary, SIGINT cancelling a RUN,
// --pull's note, and --progress (tty list, bad value).
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {Store} from '../../source/engine/store/store.js';
import {listContainers} from '../../source/engine/containers/container-store.js';
import {REPO_ROOT, tempDir, writeTree} from '../support/tmp.js';
import {cleanUpStore, cliPath, containerRoot, containerSkip, importBusybox, strataIn} from './container-support.js';

describe('strata build: failure summary, cancel, --pull, --progress', {skip: containerSkip, timeout: 600_000}, () => {
	let root: string;
	let strata: ReturnType<typeof strataIn>;
	const work = tempDir('strata-build-cli');

	const context = (name: string, files: Record<string, string>) => writeTree(join(work, name), files);

	before(async () => {
		root = containerRoot();
		strata = strataIn(root);
		await importBusybox(root);
	});

	after(() => cleanUpStore(root));

	test('a failing RUN: the step, its last 10 output lines and the Dockerfile line; non-zero exit, no tag', {timeout: 120_000}, async () => {
		const dir = context('failing', {Dockerfile: 'FROM busybox\nENV X=1\nRUN for i in $(seq 1 12); do echo line $i; done; false\nCMD ["true"]\n'});
		const result = await strata(['build', '-t', 'failing', dir], {timeoutMs: 120_000});
		assert.equal(result.code, 1, result.stderr);
		const expected = [
			'Failed at Step 3/4 : RUN for i in $(seq 1 12); do echo line $i; done; false',
			'Its last 10 output lines:',
			...Array.from({length: 10}, (_, index) => `  line ${index + 3}`),
			"Error: Dockerfile:3: The command '/bin/sh -c for i in $(seq 1 12); do echo line $i; done; false' returned a non-zero code: 1",
		];
		assert.deepEqual(result.stderr.trimEnd().split('\n'), expected);
		assert.match(result.stdout, /^Step 3\/4 : RUN .*\n ---> Running in [\da-f]{12}\nline 1\n/m);
		assert.ok(!result.stdout.includes('Successfully'), result.stdout);
		assert.notEqual((await strata(['inspect', 'failing'])).code, 0);
	});

	test('SIGINT cancels a running RUN: exit 130, the container gone, nothing tagged', {timeout: 300_000}, async () => {
		const dir = context('sigint', {Dockerfile: 'FROM busybox\nRUN echo started && sleep 600\n'});
		const child = spawn(process.execPath, [cliPath, 'build', '-t', 'interrupted', dir], {cwd: REPO_ROOT, env: {...process.env, STRATA_ROOT: root}, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const exited = new Promise<number | null>(resolve => child.once('close', code => resolve(code)));
		// SIGINT once the RUN printed: its container runs.
		await new Promise<void>(resolve => {
			child.stdout.on('data', (chunk: Buffer) => {
				stdout += chunk.toString();
				if (/^started$/m.test(stdout)) resolve();
			});
		});
		child.kill('SIGINT');
		const code = await exited;
		assert.equal(code, 130, `${stdout}\n${stderr}`);
		assert.equal(stderr, 'Error: build cancelled\n');
		const store = await Store.open(root);
		assert.deepEqual(await listContainers(store), []);
		assert.equal((await store.catalog()).tags.has('docker.io/library/interrupted:latest'), false);
	});

	test('--pull is accepted and says it pulled nothing', {timeout: 60_000}, async () => {
		const dir = context('pull', {Dockerfile: 'FROM busybox\nCMD ["true"]\n'});
		const result = await strata(['build', '--pull', '-t', 'pulled', dir]);
		assert.equal(result.code, 0, result.stderr);
		assert.equal(result.stderr, '--pull: strata builds from local images only; nothing pulled\n');
		assert.match(result.stdout, /^Step 1\/2 : FROM busybox\n/);
	});

	test('--progress tty draws the step list (no colour with NO_COLOR); a bad --progress is refused', {timeout: 60_000}, async () => {
		const dir = context('tty', {Dockerfile: 'FROM busybox\nENV A=1\nCMD ["true"]\n'});
		const result = await strata(['build', '--progress', 'tty', '-t', 'listed', dir], {env: {NO_COLOR: '1'}});
		assert.equal(result.code, 0, result.stderr);
		assert.ok(!/\x1b\[\d+m/.test(result.stdout), 'no colour');
		const final = result.stdout.slice(result.stdout.lastIndexOf('\x1b[J') + 3).split('\n');
		assert.match(final[0]!, /^ +#1 done +\d+\.\ds +FROM busybox$/);
		assert.match(final[1]!, /^ +#2 (done|cached) .*ENV A=1$/);
		assert.match(final[3]!, /^Successfully built [\da-f]{12}$/);
		assert.equal(final[4], 'Successfully tagged listed:latest');
		const bad = await strata(['build', '--progress', 'fancy', dir]);
		assert.equal(bad.code, 1);
		assert.equal(bad.stderr, 'Error: --progress: "fancy" is not auto, plain or tty\n');
	});
});
