// `strata builder prune` and system df's Build Cache row through the built CLI, on real builds of the busybox
// fixture (COPY and config steps only: no container runs). Expected sizes come from the files the test wrote.
import assert from 'node:assert/strict';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {exclusiveSize, stepImages} from '../engine/build-cache-support.js';
import {cleanUpStore, containerRoot, importBusybox, strataIn} from '../engine/container-support.js';
import {tempDir} from '../support/tmp.js';

const prompt = 'WARNING! This will remove all dangling build cache. Are you sure you want to continue? [y/N] ';
const allPrompt = 'WARNING! This will remove all build cache. Are you sure you want to continue? [y/N] ';

describe('strata builder prune', {timeout: 600_000}, () => {
	let root: string;
	let strata: ReturnType<typeof strataIn>;
	let busyboxId: string;
	const context = tempDir('strata-builder-prune');
	const steps: string[] = [];

	async function ok(args: string[], input?: string): Promise<string> {
		const result = await strata(args, {timeoutMs: 180_000, input});
		assert.equal(result.code, 0, `strata ${args.join(' ')}: ${result.stderr}`);
		return result.stdout;
	}

	async function fullId(reference: string): Promise<string> {
		return (JSON.parse(await ok(['inspect', reference])) as Array<{Id: string}>)[0]!.Id;
	}

	async function imageIds(all: boolean): Promise<string[]> {
		return (await ok(['images', '-q', '--no-trunc', ...(all ? ['-a'] : [])])).trim().split('\n').filter(Boolean).sort();
	}

	async function buildApp(payload: string): Promise<void> {
		writeFileSync(join(context, 'payload'), payload);
		for (const short of stepImages(await ok(['build', '-t', 'app', context]))) steps.push(await fullId(short));
	}

	/** Every step image no tag names: what the cache must be. */
	async function expectedCache(): Promise<string[]> {
		const stored = new Set(await imageIds(true));
		const app = await fullId('app');
		return [...new Set(steps)].filter(id => stored.has(id) && id !== app).sort();
	}

	/** An image's diff IDs, read from its config blob. */
	function layersOf(id: string): string[] {
		return (JSON.parse(readFileSync(join(root, 'blobs', 'sha256', id.slice(7)), 'utf8')) as {rootfs: {diff_ids: string[]}}).rootfs.diff_ids;
	}

	before(async () => {
		root = containerRoot();
		strata = strataIn(root);
		busyboxId = await importBusybox(root);
		writeFileSync(join(context, 'Dockerfile'), 'FROM busybox\nCOPY payload /payload\nENV MODE=cached\nCMD ["cat", "/payload"]\n');
	});

	after(() => cleanUpStore(root));

	test('on an empty cache: nothing to delete, 0B', async () => {
		assert.equal(await ok(['builder', 'prune', '-f']), 'Total reclaimed space: 0B\n');
		const row = (await ok(['system', 'df'])).split('\n').find(line => line.startsWith('Build Cache'))!;
		assert.deepEqual(row.split(/ {2,}/), ['Build Cache', '0', '0', '0B', '0B']);
	});

	test('system df counts the cache: the table row and JSON agree with the layers', {timeout: 300_000}, async () => {
		await buildApp('x'.repeat(30_000));
		await buildApp('y'.repeat(12_000));
		const cache = await expectedCache();
		// The first build's COPY, ENV and result, the second's COPY and ENV.
		assert.equal(cache.length, 5);
		const kept = [busyboxId, await fullId('app')];
		assert.equal(exclusiveSize(root, layersOf, cache, kept), 30_000);
		const row = (await ok(['system', 'df'])).split('\n').find(line => line.startsWith('Build Cache'))!;
		assert.deepEqual(row.split(/ {2,}/), ['Build Cache', '5', '0', '30kB', '30kB (100%)']);
		const json = (await ok(['system', 'df', '--format', 'json'])).trim().split('\n').map(line => JSON.parse(line) as Record<string, string>);
		assert.deepEqual(json.find(entry => entry.Type === 'Build Cache'), {Active: '0', Reclaimable: '30kB (100%)', Size: '30kB', TotalCount: '5', Type: 'Build Cache'});
		// images hides the intermediates, -a lists them (the untagged old result is a dangling image for both).
		assert.deepEqual(await imageIds(false), [busyboxId, await fullId('app'), steps[2]!].sort());
		assert.deepEqual(await imageIds(true), [...kept, ...cache].sort());
	});

	test('without -f and no answer on stdin it refuses, removing nothing', async () => {
		const before = await imageIds(true);
		const result = await strata(['builder', 'prune']);
		assert.equal(result.code, 1);
		assert.equal(result.stdout, `${prompt}\n`);
		assert.equal(result.stderr, 'Error: builder prune: no answer on stdin (not a terminal?): use -f to prune without confirmation\n');
		assert.deepEqual(await imageIds(true), before);
		// The helper is image prune's too: it refuses the same way.
		const image = await strata(['image', 'prune']);
		assert.equal(image.code, 1);
		assert.equal(image.stderr, 'Error: image prune: no answer on stdin (not a terminal?): use -f to prune without confirmation\n');
	});

	test('answering no keeps everything; -a asks Docker\'s other question', async () => {
		const before = await imageIds(true);
		assert.equal(await ok(['builder', 'prune'], 'n\n'), prompt);
		assert.equal(await ok(['builder', 'prune', '-a'], '\n'), allPrompt);
		assert.deepEqual(await imageIds(true), before);
	});

	test('--filter: a bad one is an error before any question; until keeps newer cache', async () => {
		const before = await imageIds(true);
		const bad = await strata(['builder', 'prune', '--filter', 'until=soon'], {input: 'y\n'});
		assert.equal(bad.code, 1);
		assert.equal(bad.stdout, '');
		assert.equal(bad.stderr, "Error: invalid filter 'until=soon': not a duration (24h, 90m) or a timestamp (2024-01-31T10:00:00Z, Unix seconds)\n");
		assert.equal((await strata(['builder', 'prune', '-f', '--filter', 'label=x'])).stderr, "Error: invalid filter 'label': builder prune takes only until=DURATION|TIMESTAMP\n");
		assert.equal(await ok(['builder', 'prune', '-f', '--filter', 'until=24h']), 'Total reclaimed space: 0B\n');
		assert.deepEqual(await imageIds(true), before);
	});

	test('yes: Docker\'s lines, exactly the cache goes, tagged images stay whole, the next build is cold', {timeout: 300_000}, async () => {
		const cache = await expectedCache();
		const app = await fullId('app');
		const stdout = await ok(['builder', 'prune'], 'y\n');
		assert.ok(stdout.startsWith(`${prompt}Deleted build cache objects:\n`), stdout);
		assert.ok(stdout.endsWith('\n\nTotal reclaimed space: 30kB\n'), stdout);
		const deleted = stdout.slice(prompt.length).split('\n').slice(1, -3).sort();
		assert.deepEqual(deleted, cache);
		assert.deepEqual(await imageIds(true), [busyboxId, app].sort());
		assert.equal(await ok(['builder', 'prune', '-f']), 'Total reclaimed space: 0B\n');
		assert.equal((await ok(['history', '-q', 'app'])).split('\n')[0], app.slice(7, 19));
		const rebuilt = await ok(['build', '-t', 'app', context]);
		assert.ok(!rebuilt.includes('Using cache'), rebuilt);
	});
});
