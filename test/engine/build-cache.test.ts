// The build cache on real builds (runc, the busybox fixture): which images it is, its Build Cache row in
// system df (counts and sizes checked against layers counted with GNU tar), and pruneBuildCache.
import assert from 'node:assert/strict';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {findBuildCache} from '../../source/engine/builder/cache/build-cache.js';
import {pruneBuildCache} from '../../source/engine/builder/cache/prune-build-cache.js';
import {parsePruneFilters, parseUntil} from '../../source/engine/builder/cache/prune-filters.js';
import type {Digest} from '../../source/engine/digest.js';
import {diskUsage} from '../../source/engine/images/disk-usage.js';
import {Store} from '../../source/engine/store/store.js';
import {tempDir} from '../support/tmp.js';
import {exclusiveSize, stepImages} from './build-cache-support.js';
import {cleanUpStore, containerRoot, containerSkip, importBusybox, strataIn} from './container-support.js';

const dockerfile = `FROM busybox
ENV STAGE=cache
COPY payload /payload
RUN head -c 3000 /payload > /head && ln -s /payload /link
CMD ["sh"]
`;

describe('build cache', {skip: containerSkip, timeout: 600_000}, () => {
	let root: string;
	let strata: ReturnType<typeof strataIn>;
	let busyboxId: Digest;
	const context = tempDir('strata-build-cache');
	/** Full IDs of every step image the builds so far wrote (after FROM), in order. */
	const steps: Digest[] = [];

	async function ok(args: string[]): Promise<string> {
		const result = await strata(args, {timeoutMs: 180_000});
		assert.equal(result.code, 0, `strata ${args.join(' ')}: ${result.stderr}`);
		return result.stdout;
	}

	async function fullId(reference: string): Promise<Digest> {
		return (JSON.parse(await ok(['inspect', reference])) as Array<{Id: Digest}>)[0]!.Id;
	}

	/** Builds -t app and returns its output; remembers the step images it names. */
	async function buildApp(): Promise<string> {
		const output = await ok(['build', '-t', 'app', context]);
		for (const short of stepImages(output)) steps.push(await fullId(short));
		return output;
	}

	async function allImages(): Promise<Digest[]> {
		return (await ok(['images', '-a', '-q', '--no-trunc'])).trim().split('\n').filter(Boolean) as Digest[];
	}

	/** An image's diff IDs, read from its config blob. */
	function layersOf(id: string): string[] {
		return (JSON.parse(readFileSync(join(root, 'blobs', 'sha256', id.slice(7)), 'utf8')) as {rootfs: {diff_ids: string[]}}).rootfs.diff_ids;
	}

	/** What the tests expect the cache to be: every step image still stored that no tag names. */
	async function expectedCache(): Promise<Digest[]> {
		const stored = new Set(await allImages());
		const tagged = new Set([busyboxId, await fullId('app')]);
		return [...new Set(steps)].filter(id => stored.has(id) && !tagged.has(id));
	}

	async function cacheRow() {
		return (await diskUsage(await Store.open(root))).rows.find(row => row.type === 'Build Cache')!;
	}

	before(async () => {
		root = containerRoot();
		strata = strataIn(root);
		busyboxId = (await importBusybox(root)) as Digest;
		writeFileSync(join(context, 'Dockerfile'), dockerfile);
		writeFileSync(join(context, 'payload'), 'first payload\n'.repeat(2000));
	});

	after(() => cleanUpStore(root));

	test('imported images are no build cache', async () => {
		assert.deepEqual(await cacheRow(), {type: 'Build Cache', total: 0, active: 0, size: 0, reclaimable: 0});
	});

	test('a tagged build: its steps are cache, and free nothing (the result shares their layers)', {timeout: 300_000}, async () => {
		await buildApp();
		assert.equal(steps.length, 4);
		const cache = await expectedCache();
		assert.deepEqual(cache, steps.slice(0, 3));
		const store = await Store.open(root);
		assert.deepEqual(new Set(findBuildCache(await store.catalog(), []).images.map(record => record.id)), new Set(cache));
		// The mark is persisted with the record; an imported image has none.
		const records = (JSON.parse(readFileSync(join(root, 'strata', 'images.json'), 'utf8')) as {images: Record<string, {builtBy?: string}>}).images;
		for (const id of steps) assert.equal(records[id]?.builtBy, 'build', id);
		assert.equal(records[busyboxId]?.builtBy, undefined);
		const size = exclusiveSize(root, layersOf, cache, [busyboxId, await fullId('app')]);
		assert.equal(size, 0);
		assert.deepEqual(await cacheRow(), {type: 'Build Cache', total: 3, active: 0, size, reclaimable: size});
	});

	test('a rebuild after a change: the old result and its own steps become cache with their own layers', {timeout: 300_000}, async () => {
		const oldApp = await fullId('app');
		writeFileSync(join(context, 'payload'), 'second payload, a longer one\n'.repeat(3000));
		const output = await buildApp();
		assert.equal(output.split('\n').filter(line => line === ' ---> Using cache').length, 1, output);
		const cache = await expectedCache();
		// ENV (shared by both builds), the first build's COPY, RUN and its result, the second's COPY and RUN.
		assert.equal(cache.length, 6);
		assert.ok(cache.includes(oldApp));
		const kept = (await allImages()).filter(id => !cache.includes(id));
		const size = exclusiveSize(root, layersOf, cache, kept);
		// The first payload (28,000 bytes), its 3,000-byte head and the link's 8-byte target.
		assert.equal(size, 28_000 + 3000 + '/payload'.length);
		assert.deepEqual(await cacheRow(), {type: 'Build Cache', total: 6, active: 0, size, reclaimable: size});
	});

	test('a container\'s image and its ancestors are active: prune keeps them', {timeout: 300_000}, async () => {
		const oldApp = steps[3]!;
		await ok(['create', '--name', 'keeper', oldApp]);
		const cache = await expectedCache();
		const active = steps.slice(0, 4);
		const inactive = cache.filter(id => !active.includes(id));
		assert.deepEqual(inactive, steps.slice(5, 7));
		const all = await allImages();
		const row = await cacheRow();
		assert.deepEqual(row, {
			type: 'Build Cache',
			total: 6,
			active: 4,
			size: exclusiveSize(root, layersOf, cache, all.filter(id => !cache.includes(id))),
			reclaimable: exclusiveSize(root, layersOf, inactive, all.filter(id => !inactive.includes(id))),
		});
		const result = await pruneBuildCache(await Store.open(root));
		assert.deepEqual(new Set(result.deleted), new Set(inactive));
		assert.equal(result.spaceReclaimed, row.reclaimable);
		assert.deepEqual(await expectedCache(), active);
		await ok(['rm', 'keeper']);
	});

	test('prune removes exactly the cache, frees its own layers and leaves tagged images whole', {timeout: 300_000}, async () => {
		const cache = await expectedCache();
		const tagged = [busyboxId, await fullId('app')];
		const size = exclusiveSize(root, layersOf, cache, tagged);
		assert.ok(size > 0);
		const gone = cache.flatMap(layersOf).filter(diffID => !tagged.flatMap(layersOf).includes(diffID));
		const result = await pruneBuildCache(await Store.open(root));
		assert.deepEqual(new Set(result.deleted), new Set(cache));
		assert.equal(result.spaceReclaimed, size);
		assert.deepEqual(new Set(await allImages()), new Set(tagged));
		for (const diffID of gone) assert.ok(!existsSync(join(root, 'blobs', 'sha256', diffID.slice(7))), `${diffID} collected`);
		for (const diffID of tagged.flatMap(layersOf)) assert.ok(existsSync(join(root, 'blobs', 'sha256', diffID.slice(7))), `${diffID} kept`);
		assert.equal(await ok(['run', '--rm', '--network', 'none', 'app', 'sh', '-c', 'wc -c < /head; readlink /link']), '3000\n/payload\n');
		assert.deepEqual(await cacheRow(), {type: 'Build Cache', total: 0, active: 0, size: 0, reclaimable: 0});
	});

	test('the next build after a prune is a cold one', {timeout: 300_000}, async () => {
		const earlier = new Set(steps);
		const output = await buildApp();
		assert.ok(!output.includes(' ---> Using cache'), output);
		// Every step wrote a new image: none is one an earlier build wrote.
		assert.deepEqual(steps.slice(-4).filter(id => earlier.has(id)), [], output);
	});

	test('until: cache newer than the time stays; an empty cache prunes to nothing', {timeout: 120_000}, async () => {
		const cache = await expectedCache();
		assert.ok(cache.length > 0);
		const store = await Store.open(root);
		assert.deepEqual(await pruneBuildCache(store, {until: new Date(0)}), {deleted: [], spaceReclaimed: 0});
		assert.deepEqual(await expectedCache(), cache);
		assert.deepEqual(new Set((await pruneBuildCache(store, parsePruneFilters(['until=-1h']))).deleted), new Set(cache));
		const images = readFileSync(join(root, 'strata', 'images.json'), 'utf8');
		const index = readFileSync(join(root, 'index.json'), 'utf8');
		assert.deepEqual(await pruneBuildCache(store), {deleted: [], spaceReclaimed: 0});
		assert.equal(readFileSync(join(root, 'strata', 'images.json'), 'utf8'), images);
		assert.equal(readFileSync(join(root, 'index.json'), 'utf8'), index);
	});

	test('a store written before builds marked their steps loads, with no build cache', {timeout: 300_000}, async () => {
		writeFileSync(join(context, 'payload'), 'third\n');
		await buildApp();
		const path = join(root, 'strata', 'images.json');
		const file = JSON.parse(readFileSync(path, 'utf8')) as {images: Record<string, {builtBy?: string}>};
		for (const record of Object.values(file.images)) delete record.builtBy;
		writeFileSync(path, JSON.stringify(file));
		const catalog = await (await Store.open(root)).catalog();
		assert.equal(catalog.records.size, (await allImages()).length);
		assert.deepEqual(findBuildCache(catalog, []).images, []);
		assert.deepEqual(await cacheRow(), {type: 'Build Cache', total: 0, active: 0, size: 0, reclaimable: 0});
	});
});

describe('builder prune --filter', () => {
	const now = new Date('2024-06-01T12:00:00Z');

	test('until takes a Go duration, an RFC 3339 time or Unix seconds', () => {
		assert.equal(parseUntil('24h', now)?.toISOString(), '2024-05-31T12:00:00.000Z');
		assert.equal(parseUntil('1h30m', now)?.toISOString(), '2024-06-01T10:30:00.000Z');
		assert.equal(parseUntil('2024-01-31T10:00:00Z', now)?.toISOString(), '2024-01-31T10:00:00.000Z');
		assert.equal(parseUntil('2024-01-31T10:00:00+02:00', now)?.toISOString(), '2024-01-31T08:00:00.000Z');
		assert.equal(parseUntil('1706695200.5', now)?.toISOString(), '2024-01-31T10:00:00.500Z');
		assert.equal(parseUntil('2024-01-31', now)?.getTime(), new Date(2024, 0, 31).getTime());
		assert.equal(parseUntil('yesterday', now), undefined);
		assert.equal(parseUntil('2024-13-45', now), undefined);
	});

	test('bad filters are one-line errors naming them', () => {
		assert.deepEqual(parsePruneFilters([], now), {});
		assert.equal(parsePruneFilters(['until=10m'], now).until?.toISOString(), '2024-06-01T11:50:00.000Z');
		assert.throws(() => parsePruneFilters(['type=regular'], now), {message: "invalid filter 'type': builder prune takes only until=DURATION|TIMESTAMP"});
		assert.throws(() => parsePruneFilters(['until'], now), {message: "invalid filter 'until': expected KEY=VALUE (until=24h)"});
		assert.throws(() => parsePruneFilters(['until=soon'], now), {
			message: "invalid filter 'until=soon': not a duration (24h, 90m) or a timestamp (2024-01-31T10:00:00Z, Unix seconds)",
		});
	});
});
