// saveArchive: the archive's layout (manifest.json for Docker 20.10, OCI layout for OCI tools), read back
// with tar-stream; reference selection as in `docker save`; and failures that must leave no output file.
import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync, truncateSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {PassThrough, Readable} from 'node:stream';
import {describe, test} from 'node:test';
import tar from 'tar-stream';
import {loadArchive} from '../../source/engine/archive/load.js';
import {saveArchive} from '../../source/engine/archive/save.js';
import {type Digest, digestHex, sha256Digest} from '../../source/engine/digest.js';
import {StrataError} from '../../source/engine/errors.js';
import {drain, type ProgressEvent} from '../../source/engine/progress.js';
import {Store} from '../../source/engine/store/store.js';
import {tempDir} from '../support/tmp.js';

type Member = {name: string; type: string; data: Buffer};

async function tarBuffer(entries: Array<{name: string; data: Buffer | string}>): Promise<Buffer> {
	const pack = tar.pack();
	const done = (async () => {
		const chunks: Buffer[] = [];
		for await (const chunk of pack) chunks.push(chunk as Buffer);
		return Buffer.concat(chunks);
	})();
	for (const entry of entries) pack.entry({name: entry.name, mode: 0o644}, Buffer.from(entry.data));
	pack.finalize();
	return done;
}

async function readTar(bytes: Buffer): Promise<Member[]> {
	const members: Member[] = [];
	const extract = tar.extract();
	Readable.from([bytes]).pipe(extract);
	for await (const entry of extract) {
		const chunks: Buffer[] = [];
		for await (const chunk of entry) chunks.push(chunk as Buffer);
		members.push({name: entry.header.name, type: entry.header.type ?? 'file', data: Buffer.concat(chunks)});
	}
	return members;
}

function member(members: Member[], name: string): Buffer {
	const found = members.find(entry => entry.name === name);
	assert.ok(found, `${name} is in the archive`);
	return found.data;
}

function configBytes(diffIDs: Digest[], comment: string): Buffer {
	return Buffer.from(JSON.stringify({architecture: 'amd64', os: 'linux', comment, rootfs: {type: 'layers', diff_ids: diffIDs}}));
}

/** Loads images into `store` from a hand-built legacy archive; returns their IDs. */
async function addImages(store: Store, images: Array<{layers: Buffer[]; tags: string[]; comment?: string}>): Promise<Digest[]> {
	const entries: Array<{name: string; data: Buffer | string}> = [];
	const manifest = images.map((image, i) => {
		const config = configBytes(image.layers.map(layer => sha256Digest(layer)), image.comment ?? `image ${i}`);
		entries.push({name: `config-${i}.json`, data: config});
		image.layers.forEach((layer, j) => entries.push({name: `l-${i}-${j}/layer.tar`, data: layer}));
		return {Config: `config-${i}.json`, RepoTags: image.tags, Layers: image.layers.map((_, j) => `l-${i}-${j}/layer.tar`)};
	});
	entries.push({name: 'manifest.json', data: JSON.stringify(manifest)});
	const file = join(tempDir('strata-archive'), 'in.tar');
	writeFileSync(file, await tarBuffer(entries));
	const result = await drain(loadArchive(store, {file}));
	return result.loaded.map(image => image.id);
}

async function freshStore(): Promise<Store> {
	return Store.open(join(tempDir('strata-store'), 'store'));
}

async function save(store: Store, refs: string[], events: ProgressEvent[] = []): Promise<{path: string; members: Member[]}> {
	const path = join(tempDir('strata-out'), 'out.tar');
	await drain(saveArchive(store, {refs, output: path}), event => events.push(event));
	return {path, members: await readTar(readFileSync(path))};
}

const base = await tarBuffer([{name: 'bin/sh', data: 'shell'}]);
const app = await tarBuffer([{name: 'app/run', data: 'x'.repeat(3 * 1024 * 1024 + 7)}]);

describe('saveArchive: archive layout', () => {
	test('manifest.json, index.json, oci-layout, repositories and each blob once', async () => {
		const store = await freshStore();
		const [appID, baseID] = await addImages(store, [
			{layers: [base, app], tags: ['app:1']},
			{layers: [base], tags: ['base:latest']},
		]);
		const events: ProgressEvent[] = [];
		const {members} = await save(store, ['app:1', 'base'], events);

		const manifest = JSON.parse(member(members, 'manifest.json').toString());
		const blob = (digest: string) => `blobs/sha256/${digestHex(digest as Digest)}`;
		assert.deepEqual(manifest, [
			{Config: blob(appID!), RepoTags: ['app:1'], Layers: [blob(sha256Digest(base)), blob(sha256Digest(app))]},
			{Config: blob(baseID!), RepoTags: ['base:latest'], Layers: [blob(sha256Digest(base))]},
		]);
		assert.equal(member(members, 'oci-layout').toString(), '{"imageLayoutVersion":"1.0.0"}');
		assert.deepEqual(JSON.parse(member(members, 'repositories').toString()), {
			app: {'1': digestHex(sha256Digest(app))},
			base: {latest: digestHex(sha256Digest(base))},
		});

		const catalog = await store.catalog();
		const index = JSON.parse(member(members, 'index.json').toString());
		assert.equal(index.mediaType, 'application/vnd.oci.image.index.v1+json');
		assert.deepEqual(index.manifests.map((descriptor: {annotations: unknown}) => descriptor.annotations), [
			{'io.containerd.image.name': 'docker.io/library/app:1', 'org.opencontainers.image.ref.name': '1'},
			{'io.containerd.image.name': 'docker.io/library/base:latest', 'org.opencontainers.image.ref.name': 'latest'},
		]);
		assert.equal(index.manifests[0].digest, catalog.records.get(appID!)!.manifest.digest);
		assert.deepEqual(index.manifests[0].platform, {architecture: 'amd64', os: 'linux'});

		// Every blob once, byte for byte the store's, and named by its digest.
		const blobs = members.filter(entry => entry.name.startsWith('blobs/sha256/') && entry.type === 'file');
		assert.equal(blobs.length, new Set(blobs.map(entry => entry.name)).size);
		assert.equal(blobs.length, 2 + 2 * 2);
		for (const entry of blobs) assert.equal(`blobs/sha256/${digestHex(sha256Digest(entry.data))}`, entry.name);
		assert.ok(member(members, blob(sha256Digest(app))).equals(app));

		assert.deepEqual(events.filter(event => event.kind === 'step').map(event => event.kind === 'step' && event.message), ['Saving app:1', 'Saving base:latest']);
		const appProgress = events.flatMap(event => (event.kind === 'bytes' && event.total === app.length ? [event.current] : []));
		assert.equal(appProgress.at(-1), app.length);
	});

	test('what it saves loads back into another store with the same IDs and tags', async () => {
		const store = await freshStore();
		const ids = await addImages(store, [{layers: [base, app], tags: ['app:1', 'quay.io/x/app:2']}]);
		const {path} = await save(store, ['app:1', 'quay.io/x/app:2']);
		const other = await freshStore();
		const result = await drain(loadArchive(other, {file: path}));
		assert.deepEqual(result.loaded, [{id: ids[0], tags: ['app:1', 'quay.io/x/app:2']}]);
	});

	test('saved by ID: RepoTags is empty and the index entry has no name', async () => {
		const store = await freshStore();
		const [id] = await addImages(store, [{layers: [base], tags: ['base:latest']}]);
		for (const ref of [id!, digestHex(id!), digestHex(id!).slice(0, 12)]) {
			const {members} = await save(store, [ref]);
			assert.deepEqual(JSON.parse(member(members, 'manifest.json').toString())[0].RepoTags, []);
			assert.equal(JSON.parse(member(members, 'index.json').toString()).manifests[0].annotations, undefined);
			assert.ok(!members.some(entry => entry.name === 'repositories'));
		}
	});

	test('a bare name saves every tag of the repository; one image named twice is one entry', async () => {
		const store = await freshStore();
		const [one, two] = await addImages(store, [
			{layers: [base], tags: ['app:1', 'app:latest']},
			{layers: [app], tags: ['app:2']},
			{layers: [base, app], tags: ['other:1']},
		]);
		const {members} = await save(store, ['app', 'app:1']);
		const manifest = JSON.parse(member(members, 'manifest.json').toString());
		assert.deepEqual(manifest.map((item: {Config: string; RepoTags: string[]}) => [item.Config.slice(13), item.RepoTags]), [
			[digestHex(one!), ['app:1', 'app:latest']],
			[digestHex(two!), ['app:2']],
		]);
	});

	test('streams to a writable for `-`', async () => {
		const store = await freshStore();
		await addImages(store, [{layers: [base], tags: ['base:latest']}]);
		const stdout = new PassThrough();
		const chunks: Buffer[] = [];
		stdout.on('data', chunk => chunks.push(chunk));
		await drain(saveArchive(store, {refs: ['base'], output: '-', stdout}));
		const members = await readTar(Buffer.concat(chunks));
		assert.deepEqual(JSON.parse(member(members, 'manifest.json').toString())[0].RepoTags, ['base:latest']);
	});
});

describe('saveArchive: failures leave no output', () => {
	test('an unknown reference is `No such image`, before anything is written', async () => {
		const store = await freshStore();
		await addImages(store, [{layers: [base], tags: ['base:latest']}]);
		const dir = tempDir('strata-out');
		for (const ref of ['nope:1', 'nope', 'base:2', 'sha256:' + 'a'.repeat(64)]) {
			await assert.rejects(drain(saveArchive(store, {refs: ['base', ref], output: join(dir, 'out.tar')})), (error: Error) => {
				assert.ok(error instanceof StrataError);
				assert.equal(error.message, `No such image: ${ref}`);
				return true;
			});
		}
		assert.deepEqual(readdirSync(dir), []);
	});

	test('a damaged blob fails the save; the output path keeps what it had and no temp file is left', async () => {
		const store = await freshStore();
		await addImages(store, [{layers: [app], tags: ['app:1']}]);
		truncateSync(store.blobs.path(sha256Digest(app)), 1024 * 1024);
		const dir = tempDir('strata-out');
		const output = join(dir, 'out.tar');
		writeFileSync(output, 'previous');
		const size = (await store.layers.index(sha256Digest(app))).tarSize;
		await assert.rejects(drain(saveArchive(store, {refs: ['app:1'], output})), {
			message: `blobs/sha256/${digestHex(sha256Digest(app))}: expected ${size} bytes, read 1048576; the store's copy is damaged`,
		});
		assert.equal(readFileSync(output, 'utf8'), 'previous');
		assert.deepEqual(readdirSync(dir), ['out.tar']);
	});

	test('an output directory that does not exist', async () => {
		const store = await freshStore();
		await addImages(store, [{layers: [base], tags: ['base:latest']}]);
		const output = join(tempDir('strata-out'), 'missing', 'out.tar');
		await assert.rejects(drain(saveArchive(store, {refs: ['base'], output})), {message: `${output}: directory ${join(output, '..')} does not exist`});
		assert.equal(existsSync(output), false);
	});
});
