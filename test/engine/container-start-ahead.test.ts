// What makes a container start fast without changing what it does: the runtime setting read without
// conf, and a supervisor launched ahead of the container (run's create runs while it loads), used by the
// start or called off. Real runc, a real supervisor process.
import assert from 'node:assert/strict';
import {once} from 'node:events';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {ContainerPaths} from '../../source/engine/containers/container-paths.js';
import {createContainer, newContainerId} from '../../source/engine/containers/create.js';
import {selectDriver} from '../../source/engine/containers/filesystem-driver.js';
import {removeContainer} from '../../source/engine/containers/remove.js';
import {launchSupervisorAhead, startContainer} from '../../source/engine/containers/start.js';
import {drain} from '../../source/engine/progress.js';
import {runtimeSetting} from '../../source/engine/settings.js';
import {Store} from '../../source/engine/store/store.js';
import {cleanUpStore, containerRoot, containerSkip, importBusybox} from './container-support.js';

/** Runs `work` with STRATA_CONFIG_DIR set to a temp dir holding `config` (a string: the file as is). */
async function withSettingsFile<T>(config: string | undefined, work: () => Promise<T>): Promise<T> {
	const dir = mkdtempSync(join(tmpdir(), 'strata-settings-'));
	if (config !== undefined) writeFileSync(join(dir, 'config.json'), config);
	const saved = process.env.STRATA_CONFIG_DIR;
	process.env.STRATA_CONFIG_DIR = dir;
	try {
		return await work();
	} finally {
		if (saved === undefined) delete process.env.STRATA_CONFIG_DIR;
		else process.env.STRATA_CONFIG_DIR = saved;
		rmSync(dir, {recursive: true, force: true});
	}
}

describe('runtime setting', () => {
	test("is the settings file's runtime, else runc (missing file, no key, unreadable JSON)", async () => {
		assert.equal(await withSettingsFile('{"runtime": "crun", "theme": "mono"}', runtimeSetting), 'crun');
		assert.equal(await withSettingsFile(undefined, runtimeSetting), 'runc');
		assert.equal(await withSettingsFile('{"theme": "mono"}', runtimeSetting), 'runc');
		assert.equal(await withSettingsFile('{"runtime": ', runtimeSetting), 'runc');
	});
});

describe('a supervisor launched ahead', {skip: containerSkip}, () => {
	const root = containerRoot();
	let store: Store;
	before(async () => {
		await importBusybox(root);
		store = await Store.open(root);
	});
	after(() => cleanUpStore(root));

	test('create picks the runtime setting: a missing one is named', {timeout: 60_000}, async () => {
		await withSettingsFile('{"runtime": "no-such-runtime"}', async () => {
			await assert.rejects(drain(createContainer(store, {image: 'busybox', command: ['true']})), /OCI runtime "no-such-runtime" not found/);
		});
	});

	test('runs the container it was launched for, with its output and exit code', {timeout: 60_000}, async () => {
		const id = newContainerId();
		const supervisor = launchSupervisorAhead(store, id, {mode: 'attached'});
		const record = await drain(createContainer(store, {image: 'busybox', command: ['sh', '-c', 'echo ahead; exit 7'], id}));
		assert.equal(record.id, id);
		const started = await startContainer(store, id, {mode: 'attached', supervisor});
		assert.equal(started.supervisorPid, supervisor.child.pid);
		let output = '';
		started.output!.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		assert.equal(await started.exited, 7);
		assert.equal(output, 'ahead\n');
	});

	test('starts without NODE_EXTRA_CA_CERTS (Node parses those certificates before any code runs), with the rest of our environment', {timeout: 60_000}, async () => {
		const certificates = join(root, 'extra-ca.pem');
		writeFileSync(certificates, '');
		const saved = process.env.NODE_EXTRA_CA_CERTS;
		process.env.NODE_EXTRA_CA_CERTS = certificates;
		process.env.STRATA_TEST_MARK = 'kept';
		try {
			const record = await drain(createContainer(store, {image: 'busybox', command: ['sleep', '30']}));
			const started = await startContainer(store, record.id, {mode: 'detached'});
			const environment = readFileSync(`/proc/${started.supervisorPid}/environ`, 'utf8').split('\0');
			assert.ok(environment.includes('STRATA_TEST_MARK=kept'));
			assert.equal(environment.filter(entry => entry.startsWith('NODE_EXTRA_CA_CERTS=')).length, 0);
			await removeContainer(store, record.id, {force: true});
		} finally {
			if (saved === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
			else process.env.NODE_EXTRA_CA_CERTS = saved;
			delete process.env.STRATA_TEST_MARK;
		}
	});

	test('a --rm container runs on a volatile overlay (its writes need no sync), any other on a plain one', {timeout: 60_000}, async t => {
		if ((await selectDriver(store)).driver !== 'overlay') return t.skip('overlayfs cannot be mounted here');
		const mountOptions = (id: string) => {
			const rootfs = new ContainerPaths(store.paths).rootfs(id);
			const line = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find(entry => entry.split(' ')[4] === rootfs);
			assert.ok(line, `${rootfs} is mounted`);
			return line.split(' - ')[1]!.split(' ')[2]!.split(',');
		};
		const removed = await drain(createContainer(store, {image: 'busybox', command: ['sleep', '30'], autoRemove: true}));
		const kept = await drain(createContainer(store, {image: 'busybox', command: ['sleep', '30']}));
		await startContainer(store, removed.id, {mode: 'detached'});
		await startContainer(store, kept.id, {mode: 'detached'});
		try {
			// Linux 6.x lists the option as fsync=volatile, older ones as volatile.
			const volatile = (options: string[]) => options.includes('volatile') || options.includes('fsync=volatile');
			assert.ok(volatile(mountOptions(removed.id)));
			assert.ok(!volatile(mountOptions(kept.id)));
		} finally {
			await removeContainer(store, removed.id, {force: true}).catch(() => {});
			await removeContainer(store, kept.id, {force: true});
		}
	});

	test('called off (the create failed), it exits without touching the store', {timeout: 60_000}, async () => {
		const id = newContainerId();
		const supervisor = launchSupervisorAhead(store, id, {mode: 'detached'});
		const exited = once(supervisor.child, 'exit');
		supervisor.cancel();
		// cancel() lets the caller exit without waiting for it; here we do wait.
		supervisor.child.ref();
		const [code] = (await exited) as [number | null];
		assert.equal(code, 0);
		assert.equal(existsSync(join(root, 'containers', id)), false);
	});
});
