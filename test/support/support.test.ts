// Smoke test of the test support: a private dockerd runs the offline busybox fixture.
import assert from 'node:assert/strict';
import {existsSync, lstatSync, readFileSync, readlinkSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {BUSYBOX_BINARY, busyboxRootfs, busyboxTar, FIXTURE_MTIME, loadBusyboxIntoDocker} from './busybox.js';
import {dockerSkip, startDocker, type DockerDaemon} from './docker.js';
import {tempDir} from './tmp.js';

describe('busybox fixture', () => {
	test('has the binary, applet symlinks, users and fixed mtimes', {skip: existsSync(BUSYBOX_BINARY) || process.env.CI ? false : 'no busybox'}, async () => {
		const rootfs = await busyboxRootfs();
		assert.ok(readFileSync(join(rootfs, 'bin', 'busybox')).equals(readFileSync(BUSYBOX_BINARY)));
		assert.ok(lstatSync(join(rootfs, 'bin', 'busybox')).isFile());
		assert.equal(readlinkSync(join(rootfs, 'bin', 'sh')), 'busybox');
		assert.match(readFileSync(join(rootfs, 'etc', 'passwd'), 'utf8'), /^root:x:0:0:root:\/root:\/bin\/sh$/m);
		assert.equal(statSync(join(rootfs, 'tmp')).mode & 0o7777, 0o1777);
		assert.equal(lstatSync(join(rootfs, 'bin', 'sh')).mtimeMs, FIXTURE_MTIME.getTime());
		assert.equal(statSync(rootfs).mtimeMs, FIXTURE_MTIME.getTime());
		assert.ok(statSync(await busyboxTar()).size > 1_000_000);
		assert.equal(await busyboxRootfs(), rootfs);
	});
});

describe('tempDir', () => {
	test('makes a fresh dir each call', () => {
		const a = tempDir('strata-support');
		const b = tempDir('strata-support');
		assert.notEqual(a, b);
		assert.ok(statSync(a).isDirectory());
	});
});

describe('test docker daemon', {skip: dockerSkip()}, () => {
	let daemon: DockerDaemon;
	before(async () => {
		daemon = await startDocker();
	});
	after(async () => {
		await daemon?.stop();
	});

	test('runs the imported busybox image', async () => {
		assert.match(daemon.host, /^unix:\/\/\/tmp\//);
		assert.equal(daemon.env.DOCKER_HOST, daemon.host);
		const id = await loadBusyboxIntoDocker(daemon);
		assert.match(id, /^sha256:[0-9a-f]{64}$/);
		const run = await daemon.docker(['run', '--rm', '--network', 'none', 'busybox:latest', 'echo', 'hi']);
		assert.equal(run.code, 0, run.stderr);
		assert.equal(run.stdout, 'hi\n');
	});

	test('reuses the daemon within a process', async () => {
		const again = await startDocker();
		assert.equal(again.host, daemon.host);
		await again.stop();
		const still = await daemon.docker(['version', '--format', '{{.Server.Version}}'], {check: true});
		assert.ok(still.stdout.trim().length > 0);
	});
});
