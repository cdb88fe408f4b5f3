import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {sha256Digest} from '../../source/engine/digest.js';
import {StrataError} from '../../source/engine/errors.js';
import {StoreLock} from '../../source/engine/store/lock.js';
import {Store} from '../../source/engine/store/store.js';
import {REPO_ROOT, tempDir} from '../support/tmp.js';

/** Starts another process that holds the store lock until killed; resolves once it holds it. */
function holdLockInAnotherProcess(lockPath: string) {
	const script = `import {StoreLock} from ${JSON.stringify(join(REPO_ROOT, 'source/engine/store/lock.ts'))};
await StoreLock.acquire(${JSON.stringify(lockPath)}, {command: 'holder'});
process.stdout.write('held\\n');
setInterval(() => {}, 1000);`;
	const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {stdio: ['ignore', 'pipe', 'inherit']});
	const ready = new Promise<void>((resolve, reject) => {
		child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve());
		child.on('exit', code => reject(new Error(`lock holder exited with ${code}`)));
	});
	return {child, ready};
}

describe('store layout', () => {
	it('creates an OCI image layout that other tools recognise', async () => {
		const root = tempDir();
		const store = await Store.open(root);
		assert.deepEqual(JSON.parse(readFileSync(join(root, 'oci-layout'), 'utf8')), {imageLayoutVersion: '1.0.0'});
		assert.ok(existsSync(join(root, 'blobs', 'sha256')));
		assert.equal((await store.catalog()).records.size, 0);
	});

	it('stores a blob under its digest and refuses a wrong expected digest without leaving anything', async () => {
		const root = tempDir();
		const store = await Store.open(root);
		const data = Buffer.from('hello');
		const stored = await store.blobs.put(data);
		assert.equal(stored.digest, sha256Digest(data));
		assert.deepEqual(readFileSync(store.blobs.path(stored.digest)), data);
		await assert.rejects(store.blobs.put(Buffer.from('other'), sha256Digest('not it')), /digest mismatch: expected sha256:[a-f\d]{64}, got sha256:/);
		assert.deepEqual(readdirSync(join(root, 'blobs', 'sha256')), [stored.digest.slice(7)]);
		assert.deepEqual(readdirSync(join(root, 'strata', 'tmp')), []);
	});
});

describe('store lock', () => {
	it('makes a writer wait for another process, then fail with a message naming it', async () => {
		const root = tempDir();
		const store = await Store.open(root);
		const holder = holdLockInAnotherProcess(join(root, 'strata', 'lock'));
		try {
			await holder.ready;
			process.env.STRATA_LOCK_TIMEOUT_MS = '400';
			const started = Date.now();
			await assert.rejects(
				store.write('test', async () => {}),
				(error: unknown) => error instanceof StrataError && new RegExp(`store ${root} is locked by process ${holder.child.pid} \\(strata holder\\)`).test(error.message),
			);
			assert.ok(Date.now() - started >= 350, 'the writer waited before giving up');
		} finally {
			delete process.env.STRATA_LOCK_TIMEOUT_MS;
			holder.child.kill('SIGKILL');
		}
	});

	it('takes over a lock whose owner died, and sweeps the dead writer\'s temp files', async () => {
		const root = tempDir();
		const store = await Store.open(root);
		const holder = holdLockInAnotherProcess(join(root, 'strata', 'lock'));
		await holder.ready;
		const deadPid = holder.child.pid!;
		const orphan = join(root, 'strata', 'tmp', `blob-${deadPid}-abcdef`);
		writeFileSync(orphan, 'half a blob');
		holder.child.kill('SIGKILL');
		await new Promise(resolve => holder.child.once('exit', resolve));
		const result = await store.write('test', async () => 'ran');
		assert.equal(result, 'ran');
		assert.equal(existsSync(orphan), false, 'the dead writer\'s temp file is gone');
		assert.equal(existsSync(join(root, 'strata', 'lock')), false, 'the lock is released');
	});

	it('serializes writers inside one process too', async () => {
		const root = tempDir();
		const lockPath = join(root, 'lock');
		const first = await StoreLock.acquire(lockPath);
		let secondHeld = false;
		const second = StoreLock.acquire(lockPath).then(lock => {
			secondHeld = true;
			return lock;
		});
		await new Promise(resolve => setTimeout(resolve, 100));
		assert.equal(secondHeld, false);
		await first.release();
		await (await second).release();
		assert.equal(secondHeld, true);
	});
});
