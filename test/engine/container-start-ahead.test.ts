// What makes a container start fast without changing what it does: the runtime setting read without
// conf, and a supervisor launched ahead of the container (run's create runs while it loads), used by the
// start or called off. Real runc, a real supervisor process.
import assert from 'node:assert/strict';
import {once} from 'node:events';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {createContainer, newContainerId} from '../../source/engine/containers/create.js';
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
