// The sum caches of build contexts (context-sum-cache.ts) and of COPY --from stage contexts
// (stage-context-cache.ts): a rebuild reuses a file's sum only while the file is provably the same, and
// what it reuses equals what hashing the files again gives. Real files throughout; the racy-file rule means
// a test waits until its files are a few seconds old (a wait, not a timed assertion).
import assert from 'node:assert/strict';
import {existsSync, linkSync, lstatSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {ContextSumCache, contextSumsFile, RACY_MS} from '../../source/engine/builder/cache/context-sum-cache.js';
import {loadBuildContext, type BuildContext} from '../../source/engine/builder/context/build-context.js';
import {contextSourceHash} from '../../source/engine/builder/context/copy-hash.js';
import {resolveCopySources, type ContextSource} from '../../source/engine/builder/context/copy-sources.js';
import {StageFiles} from '../../source/engine/builder/executor/stage-files.js';
import type {Digest} from '../../source/engine/digest.js';
import {StorePaths} from '../../source/engine/store/paths.js';
import {Store} from '../../source/engine/store/store.js';
import {tempDir, writeTree} from '../support/tmp.js';
import {cleanUpStore, containerRoot, importBusybox, strataIn} from './container-support.js';

const files = {
	Dockerfile: 'FROM busybox\nCOPY . /app\n',
	'a.txt': 'alpha\n',
	'dir/b.txt': 'bravo\n',
	'dir/sub/c.txt': 'charlie charlie\n',
	'empty.txt': '',
};

/** Writes the context with a symlink and a hard link too; returns its directory. */
function writeContext(): string {
	const dir = writeTree(tempDir('strata-sum-cache'), files);
	symlinkSync('dir/b.txt', join(dir, 'link'));
	linkSync(join(dir, 'a.txt'), join(dir, 'a-again.txt'));
	return dir;
}

/** Waits until every file under `dir` is settled: changed more than RACY_MS before now. */
async function settle(dir: string, paths: string[]): Promise<void> {
	const newest = Math.max(...paths.map(path => lstatSync(join(dir, path))).map(info => Math.max(info.mtimeMs, info.ctimeMs)));
	const wait = newest + RACY_MS + 200 - Date.now();
	if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait));
}

/** An mtime (whole seconds) a test sets before and after rewriting a file: the same to the nanosecond. */
const settledTime = 1_700_000_000;

const allPaths = [...Object.keys(files), 'dir', 'dir/sub', 'link', 'a-again.txt'];

/** What `COPY . /dest` hashes, and the context its sums are in. */
async function copyAll(dir: string, sums?: StorePaths): Promise<{hash: string; context: BuildContext; cache?: ContextSumCache}> {
	const context = await loadBuildContext(dir, {dockerfilePath: 'Dockerfile'});
	const cache = sums ? await ContextSumCache.load(sums, context) : undefined;
	const [source] = resolveCopySources(context, ['.']);
	return {hash: await contextSourceHash(source as ContextSource), context, cache};
}

/** A settled context built once with the cache (saved): its directory, the cache's store paths, that build. */
async function cachedContext(prepare?: (dir: string) => void) {
	const dir = writeContext();
	prepare?.(dir);
	const paths = new StorePaths(tempDir('strata-sum-store'));
	await settle(dir, allPaths);
	const first = await copyAll(dir, paths);
	await first.cache!.save();
	return {dir, paths, first};
}

/** The paths the context's cache file holds sums for. */
function storedPaths(paths: StorePaths, dir: string): string[] {
	const data = JSON.parse(readFileSync(contextSumsFile(paths, dir), 'utf8')) as {sums: Array<[string, ...unknown[]]>};
	return data.sums.map(([path]) => path).sort();
}

describe('build context sum cache', {timeout: 120_000}, () => {
	test('a cached sum equals a freshly computed one, and a rebuild reads every settled file from the cache', async () => {
		const {dir, paths, first} = await cachedContext();
		assert.equal(first.cache!.reusedCount, 0);

		const second = await copyAll(dir, paths);
		const fresh = await copyAll(dir);
		assert.equal(second.hash, fresh.hash);
		assert.equal(first.hash, fresh.hash);
		// Every summed entry came from the cache, with the sum hashing gives.
		assert.equal(second.cache!.reusedCount, fresh.context.sums.size);
		assert.deepEqual(new Map([...second.context.sums].sort()), new Map([...fresh.context.sums].sort()));
	});

	test('a file rewritten with the same size and its mtime set back is hashed again (its ctime changed)', async () => {
		const {dir, paths, first: before} = await cachedContext(dir => utimesSync(join(dir, 'dir/sub/c.txt'), settledTime, settledTime));
		const file = join(dir, 'dir/sub/c.txt');
		writeFileSync(file, 'CHARLIE CHARLIE\n');
		utimesSync(file, settledTime, settledTime);
		assert.equal(lstatSync(file).mtimeMs, before.context.entries.get('dir/sub/c.txt')!.mtimeMs);

		const after = await copyAll(dir, paths);
		const fresh = await copyAll(dir);
		assert.notEqual(after.hash, before.hash);
		assert.equal(after.hash, fresh.hash);
		assert.equal(after.context.sums.get('dir/sub/c.txt'), fresh.context.sums.get('dir/sub/c.txt'));
		assert.notEqual(after.context.sums.get('dir/sub/c.txt'), before.context.sums.get('dir/sub/c.txt'));
		assert.equal(after.cache!.reusedCount, fresh.context.sums.size - 1);
	});

	test('a corrupt cache file is ignored, and replaced', async () => {
		const {dir, paths, first: good} = await cachedContext();
		const file = contextSumsFile(paths, dir);
		writeFileSync(file, readFileSync(file, 'utf8').slice(0, 100));
		const corrupt = await copyAll(dir, paths);
		assert.equal(corrupt.cache!.reusedCount, 0);
		assert.equal(corrupt.hash, good.hash);
		await corrupt.cache!.save();
		// A well-formed file with wrong records: each is skipped.
		const otherFile = ['dir/b.txt', 'f'.repeat(64), 1, 2, 6, 3, 4, 0o644, 0, 0, 'file', ''];
		writeFileSync(file, JSON.stringify({version: 2, root: dir, sums: [['a.txt', 7, null], 'x', otherFile]}));
		const wrong = await copyAll(dir, paths);
		assert.equal(wrong.cache!.reusedCount, 0);
		assert.equal(wrong.hash, good.hash);
	});

	test('a file changed just before the listing is not stored; a settled one is', async () => {
		const dir = writeContext();
		const paths = new StorePaths(tempDir('strata-sum-store'));
		await settle(dir, allPaths);
		writeFileSync(join(dir, 'fresh.txt'), 'just written\n');
		// Its mtime set far back does not make it settled: its ctime is now.
		utimesSync(join(dir, 'fresh.txt'), new Date('2020-01-01'), new Date('2020-01-01'));
		const build = await copyAll(dir, paths);
		assert.ok(build.context.sums.has('fresh.txt'));
		await build.cache!.save();
		const stored = storedPaths(paths, dir);
		assert.ok(!stored.includes('fresh.txt'), stored.join(' '));
		assert.ok(stored.includes('dir/sub/c.txt'), stored.join(' '));
	});

	test('the cache holds only the current context\'s files', async () => {
		const {dir, paths} = await cachedContext();
		assert.ok(storedPaths(paths, dir).includes('dir/b.txt'));
		rmSync(join(dir, 'dir/b.txt'));
		writeFileSync(join(dir, '.dockerignore'), 'a.txt\n');
		const second = await copyAll(dir, paths);
		await second.cache!.save();
		const stored = storedPaths(paths, dir);
		for (const gone of ['dir/b.txt', 'a.txt']) assert.ok(!stored.includes(gone), `${gone} in ${stored.join(' ')}`);
		assert.ok(stored.includes('dir/sub/c.txt'), stored.join(' '));
	});
});

describe('COPY --from context cache', {timeout: 300_000}, () => {
	let root: string;
	let busyboxId: Digest;
	before(async () => {
		root = containerRoot();
		busyboxId = (await importBusybox(root)) as Digest;
	});
	after(() => cleanUpStore(root));

	test('a later build gets the image\'s listing and sums from the cache, equal to fresh ones', async () => {
		const store = await Store.open(root);
		const hashBin = async (files: StageFiles) => {
			const context = await files.context(busyboxId);
			const [source] = resolveCopySources(context, ['/bin']);
			return {hash: await contextSourceHash(source as ContextSource), context};
		};
		const first = new StageFiles(store);
		const fresh = await hashBin(first);
		assert.ok(fresh.context.sums.size > 1);
		await first.cleanUp();

		// Before any hashing, the new build's context has every sum, and entries that were never lstat'ed.
		const cached = await new StageFiles(store).context(busyboxId);
		assert.equal(cached.sums.size, fresh.context.sums.size);
		assert.equal(cached.entries.get('bin/busybox')!.ino, undefined);
		assert.notEqual(fresh.context.entries.get('bin/busybox')!.ino, undefined);

		const second = await hashBin(new StageFiles(store));
		assert.equal(second.hash, fresh.hash);
		// The listing and the sums came back as they were: nothing was listed or hashed again.
		assert.deepEqual([...second.context.order], [...fresh.context.order]);
		assert.deepEqual(new Map([...second.context.sums].sort()), new Map([...fresh.context.sums].sort()));
		const stripped = (context: BuildContext) => [...context.entries.values()].map(({dev: _d, ino: _i, ctimeMs: _c, ...rest}) => rest);
		assert.deepEqual(stripped(second.context), stripped(fresh.context));
	});

	test('saving removes the cache files of images the store no longer has', async () => {
		const store = await Store.open(root);
		const gone = join(store.paths.contextSums, `stage-${'0'.repeat(64)}.json`);
		writeFileSync(gone, '{}');
		rmSync(join(store.paths.contextSums, `stage-${busyboxId.slice(7)}.json`), {force: true});
		const files = new StageFiles(store);
		const context = await files.context(busyboxId);
		await contextSourceHash(resolveCopySources(context, ['/etc'])[0] as ContextSource);
		await files.cleanUp();
		assert.ok(existsSync(join(store.paths.contextSums, `stage-${busyboxId.slice(7)}.json`)));
		assert.ok(!existsSync(gone));
	});

	test('a corrupt stage cache file is ignored', async () => {
		const store = await Store.open(root);
		const file = join(store.paths.contextSums, `stage-${busyboxId.slice(7)}.json`);
		writeFileSync(file, '{"version":1,"root":');
		const context = await new StageFiles(store).context(busyboxId);
		assert.equal(context.sums.size, 0);
		assert.ok(context.entries.has('bin/busybox'));
	});
});

describe('strata build with the sum cache', {timeout: 300_000}, () => {
	let root: string;
	before(async () => {
		root = containerRoot();
		await importBusybox(root);
	});
	after(() => cleanUpStore(root));

	test('a COPY of a file rewritten with the same size and mtime misses the step cache', async () => {
		const strata = strataIn(root);
		const dir = writeContext();
		const file = join(dir, 'a.txt');
		utimesSync(file, settledTime, settledTime);
		await settle(dir, allPaths);
		const build = async () => {
			const result = await strata(['build', '-q', dir], {timeoutMs: 120_000});
			assert.equal(result.code, 0, result.stderr);
			return result.stdout.trim();
		};
		const first = await build();
		// Once from the files, once from the cache: the same image.
		assert.equal(await build(), first);
		assert.ok(storedPaths(new StorePaths(root), dir).includes('a.txt'));
		writeFileSync(file, 'ALPHA\n');
		utimesSync(file, settledTime, settledTime);
		const changed = await build();
		assert.notEqual(changed, first);
	});
});
