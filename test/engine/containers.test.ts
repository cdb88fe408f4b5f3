// The container engine API the CLI and the colleague's diff/commit/export build on: create (shared
// unpacked image, both root file system drivers), the containerFilesystem contract, start/wait through
// the supervisor, readContainer/listContainers, a dead supervisor, and the image removal rules that
// containers add. Real runc, real mounts; everything is cleaned up in `after`.
import assert from 'node:assert/strict';
import {existsSync, readFileSync, readdirSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {containerFilesystem, isMountPoint, withRootfs} from '../../source/engine/containers/container-filesystem.js';
import {listContainers, readContainer} from '../../source/engine/containers/container-store.js';
import {createContainer} from '../../source/engine/containers/create.js';
import {removeContainer} from '../../source/engine/containers/remove.js';
import {startContainer} from '../../source/engine/containers/start.js';
import {stopContainer} from '../../source/engine/containers/stop.js';
import {waitForExit} from '../../source/engine/containers/wait.js';
import type {Digest} from '../../source/engine/digest.js';
import {StrataError} from '../../source/engine/errors.js';
import {importImage} from '../../source/engine/images/import.js';
import {removeImage} from '../../source/engine/images/remove.js';
import {drain} from '../../source/engine/progress.js';
import {Store} from '../../source/engine/store/store.js';
import {busyboxTar} from '../support/busybox.js';
import {cleanUpStore, containerRoot, containerSkip, eventually, mountsUnder} from './container-support.js';

const root = containerRoot();
let store: Store;
let imageId: Digest;

/** createContainer with STRATA_DRIVER set for the duration (the driver is chosen at create). */
async function create(options: Parameters<typeof createContainer>[1], driver?: 'overlay' | 'copy') {
	const saved = process.env.STRATA_DRIVER;
	if (driver) process.env.STRATA_DRIVER = driver;
	else delete process.env.STRATA_DRIVER;
	try {
		return await drain(createContainer(store, options));
	} finally {
		if (saved === undefined) delete process.env.STRATA_DRIVER;
		else process.env.STRATA_DRIVER = saved;
	}
}

/** Starts detached and waits for the exit; returns the exit code. */
async function runToExit(id: string): Promise<number | undefined> {
	await startContainer(store, id);
	return (await waitForExit(store, id, 30_000))?.exitCode;
}

describe('containers (engine)', {skip: containerSkip}, () => {
	before(async () => {
		store = await Store.open(root);
		const record = await drain(importImage(store, {source: await busyboxTar(), reference: 'busybox:latest', changes: ['CMD ["sh"]', 'ENV IMAGE_ENV=1']}));
		imageId = record.id;
	});
	after(() => cleanUpStore(root));

	test('overlay: the upper dir holds exactly what the container wrote, readable after it stopped', {timeout: 60_000}, async () => {
		const record = await create({image: 'busybox', name: 'writer', command: ['sh', '-c', 'mkdir -p /data && echo hello > /data/file && rm /etc/group']}, 'overlay');
		assert.equal(record.driver, 'overlay');
		assert.equal(record.image, imageId);
		assert.equal(record.config.Hostname, record.id.slice(0, 12));
		assert.deepEqual(record.config.Env, ['IMAGE_ENV=1']);
		const filesystem = containerFilesystem(store, record);
		assert.equal(filesystem.driver, 'overlay');
		if (filesystem.driver !== 'overlay') return;
		assert.equal(filesystem.lower, join(root, 'unpacked', imageId.slice(7)));
		assert.equal(filesystem.upper, join(root, 'containers', record.id, 'upper'));
		assert.equal(filesystem.merged, join(root, 'containers', record.id, 'bundle', 'rootfs'));
		assert.equal(await isMountPoint(filesystem.merged), false, 'not mounted before the start');

		assert.equal(await runToExit(record.id), 0);
		assert.equal(await isMountPoint(filesystem.merged), false, 'unmounted after the exit');
		assert.deepEqual(readdirSync(filesystem.upper).sort(), ['data', 'etc']);
		assert.equal(readFileSync(join(filesystem.upper, 'data', 'file'), 'utf8'), 'hello\n');
		const whiteout = statSync(join(filesystem.upper, 'etc', 'group'));
		assert.ok(whiteout.isCharacterDevice() && whiteout.rdev === 0, '/etc/group deleted: an overlay whiteout');
		assert.deepEqual(readdirSync(join(filesystem.upper, 'etc')), ['group'], 'no hosts/hostname/resolv.conf in the upper dir');
		assert.ok(existsSync(join(filesystem.lower, 'etc', 'group')), 'the lower dir is untouched');

		// The merged view of a stopped container, for export/cp: mounted for the call only.
		const seen = await withRootfs(store, record, async rootfs => ({file: readFileSync(join(rootfs, 'data', 'file'), 'utf8'), group: existsSync(join(rootfs, 'etc', 'group'))}));
		assert.deepEqual(seen, {file: 'hello\n', group: false});
		assert.equal(await isMountPoint(filesystem.merged), false);
	});

	test('copy: a private copy of the image that the container changes; the lower dir stays as it was', {timeout: 60_000}, async () => {
		const record = await create({image: 'busybox', name: 'copier', command: ['sh', '-c', 'echo x > /root/new && rm /etc/passwd']}, 'copy');
		assert.equal(record.driver, 'copy');
		const filesystem = containerFilesystem(store, record);
		assert.equal(filesystem.driver, 'copy');
		if (filesystem.driver !== 'copy') return;
		assert.ok(existsSync(join(filesystem.rootfs, 'etc', 'passwd')), 'copied at create');
		assert.equal(await runToExit(record.id), 0);
		assert.equal(readFileSync(join(filesystem.rootfs, 'root', 'new'), 'utf8'), 'x\n');
		assert.equal(existsSync(join(filesystem.rootfs, 'etc', 'passwd')), false);
		assert.ok(existsSync(join(filesystem.lower, 'etc', 'passwd')));
		// Mount points the runtime needs come with the lower dir, so the copy never gains them at run time.
		for (const path of ['etc/hosts', 'etc/hostname', 'etc/resolv.conf']) {
			assert.equal(readFileSync(join(filesystem.rootfs, path), 'utf8'), '', `${path} is the empty placeholder`);
			assert.equal(statSync(join(filesystem.rootfs, path)).mtimeMs, statSync(join(filesystem.lower, path)).mtimeMs, `${path} unchanged`);
		}
		assert.deepEqual(mountsUnder(root), []);
	});

	test('the unpacked image is made once and shared; containers are found by name, ID and prefix', {timeout: 60_000}, async () => {
		const a = await create({image: 'busybox', name: 'share-a', command: ['true']});
		const b = await create({image: imageId, name: 'share-b', command: ['true']});
		assert.equal(containerFilesystem(store, a).lower, containerFilesystem(store, b).lower);
		assert.deepEqual(readdirSync(join(root, 'unpacked')), [imageId.slice(7)]);
		assert.equal((await readContainer(store, 'share-a')).record.id, a.id);
		assert.equal((await readContainer(store, '/share-b')).record.id, b.id);
		assert.equal((await readContainer(store, b.id)).record.name, 'share-b');
		assert.equal((await readContainer(store, b.id.slice(0, 10))).state.status, 'created');
		await assert.rejects(readContainer(store, 'nope'), {message: 'No such container: nope'});
		const names = (await listContainers(store)).map(container => container.record.name);
		assert.deepEqual(names.slice(0, 2), ['share-b', 'share-a'], 'newest first');
		await assert.rejects(create({image: 'busybox', name: 'share-a'}), (error: Error) => error instanceof StrataError && error.message.startsWith(`Conflict. The container name "/share-a" is already in use by container "${a.id}"`));
		await removeContainer(store, 'share-a');
		await removeContainer(store, 'share-b');
	});

	test('attached start: the exit code comes back; a missing command fails the start with 127', {timeout: 60_000}, async () => {
		const record = await create({image: 'busybox', name: 'attached', command: ['sh', '-c', 'echo to-out; exit 4']});
		const started = await startContainer(store, record.id, {mode: 'attached'});
		let output = '';
		started.output!.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		assert.equal(await started.exited, 4);
		await eventually(() => output === 'to-out\n', 5_000, 'the output');
		const {state} = await readContainer(store, record.id);
		assert.equal(state.status, 'exited');
		assert.equal(state.exitCode, 4);

		const missing = await create({image: 'busybox', name: 'missing', command: ['no-such-command']});
		await assert.rejects(startContainer(store, missing.id), (error: Error) => error instanceof StrataError && error.exitCode === 127 && error.message === 'exec: "no-such-command": executable file not found in $PATH');
		const after = await readContainer(store, missing.id);
		assert.equal(after.state.status, 'created');
		assert.equal(after.state.exitCode, 127);
	});

	test('a supervisor killed with SIGKILL: the container is reported dead, never running', {timeout: 60_000}, async () => {
		const record = await create({image: 'busybox', name: 'abandoned', command: ['sleep', '120']});
		const started = await startContainer(store, record.id);
		assert.equal((await readContainer(store, record.id)).state.status, 'running');
		process.kill(started.supervisorPid, 'SIGKILL');
		await eventually(async () => (await readContainer(store, record.id)).state.status === 'dead', 10_000, 'dead');
		const {state} = await readContainer(store, record.id);
		assert.match(state.error ?? '', /its supervisor \(pid \d+\) died/);
		// stop cleans up what is left (the container process, the mount) and keeps it dead.
		await stopContainer(store, record.id);
		await eventually(() => !existsSync(`/proc/${started.pid}`), 10_000, 'the container process to go');
		assert.equal((await readContainer(store, record.id)).state.status, 'dead');
		assert.deepEqual(mountsUnder(root).filter(mount => mount.includes(record.id)), []);
		await removeContainer(store, record.id);
	});

	test('rmi: a running container is a hard conflict, a stopped one a soft one; a forced delete leaves the container working', {timeout: 90_000}, async () => {
		const record = await create({image: 'busybox', name: 'user', command: ['sleep', '60']});
		const survivor = await create({image: 'busybox', name: 'survivor', command: ['sh', '-c', 'test -x /bin/busybox']});
		await startContainer(store, record.id);
		const short = imageId.slice(7, 19);
		const attempt = (input: string, force = false) => store.write('rmi', async tx => removeImage(tx, input, {force}));
		await assert.rejects(attempt(imageId), {message: `conflict: unable to delete ${short} (cannot be forced) - image is being used by running container ${record.id.slice(0, 12)}`});
		await assert.rejects(attempt(imageId, true), {message: `conflict: unable to delete ${short} (cannot be forced) - image is being used by running container ${record.id.slice(0, 12)}`});
		await stopContainer(store, record.id, {timeoutSeconds: 0});
		// Other tests' stopped containers use the image too: any of them may be named.
		await assert.rejects(attempt(imageId), {message: new RegExp(`^conflict: unable to delete ${short} \\(must be forced\\) - image is being used by stopped container [a-f\\d]{12}$`)});
		const removed = await attempt(imageId, true);
		assert.deepEqual(removed.slice(0, 2), [{untagged: 'busybox:latest'}, {deleted: imageId}]);
		await assert.rejects(create({image: imageId, name: 'late'}), {message: `No such image: ${imageId}`});
		// Its containers still have their root file system: the unpacked image stays while a container needs it.
		assert.equal(await runToExit(survivor.id), 0);
		assert.deepEqual(readdirSync(join(root, 'unpacked')), [imageId.slice(7)]);
		for (const {record: each} of await listContainers(store)) await removeContainer(store, each.id, {force: true});
		assert.deepEqual(readdirSync(join(root, 'unpacked')), [], 'the last container of a deleted image takes its unpacked root along');
	});
});
