// loadArchive against archives built by hand (with tar-stream, not strata's own writer): Docker 20.10
// legacy archives, Docker 25 archives (manifest.json + OCI layout), plain OCI layouts as tar and as a
// directory, and every kind of bad input, which must fail in one line and leave the store as it was.
import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import {once} from 'node:events';
import {mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {Readable} from 'node:stream';
import {describe, test} from 'node:test';
import {gzipSync} from 'node:zlib';
import tar from 'tar-stream';
import {loadArchive, type LoadResult} from '../../source/engine/archive/load.js';
import {type Digest, digestHex, sha256Digest} from '../../source/engine/digest.js';
import {StrataError} from '../../source/engine/errors.js';
import {mediaTypes} from '../../source/engine/image/types.js';
import {drain, type ProgressEvent} from '../../source/engine/progress.js';
import {Store} from '../../source/engine/store/store.js';
import {tempDir} from '../support/tmp.js';

// --- Archive builders ---

type Entry = {name: string; data?: Buffer | string; symlink?: string};

async function tarBuffer(entries: Entry[]): Promise<Buffer> {
	const pack = tar.pack();
	const done = (async () => {
		const chunks: Buffer[] = [];
		for await (const chunk of pack) chunks.push(chunk as Buffer);
		return Buffer.concat(chunks);
	})();
	for (const entry of entries) {
		if (entry.symlink !== undefined) pack.entry({name: entry.name, type: 'symlink', linkname: entry.symlink});
		else pack.entry({name: entry.name, mode: 0o644, mtime: new Date(0)}, Buffer.from(entry.data ?? ''));
	}
	pack.finalize();
	return done;
}

/** A layer tar holding `files`; its digest is its diff ID. */
async function layerTar(files: Record<string, string>): Promise<Buffer> {
	return tarBuffer(Object.entries(files).map(([name, data]) => ({name, data})));
}

/** Config bytes with odd spacing and key order, so that re-serializing would change the image ID. */
function configBytes(diffIDs: Digest[], extra: Record<string, unknown> = {}): Buffer {
	const body = {
		os: 'linux',
		architecture: 'amd64',
		config: {Cmd: ['sh']},
		created: '2024-01-01T00:00:00Z',
		history: diffIDs.map(() => ({created_by: 'test'})),
		rootfs: {type: 'layers', diff_ids: diffIDs},
		...extra,
	};
	return Buffer.from(`${JSON.stringify(body, null, 1)}\n`);
}

type ImageSpec = {layers: Buffer[]; tags: string[]; config?: Buffer};

/** `docker save` as Docker 20.10 writes it: one dir per layer; a layer already written is a symlink. */
function legacyEntries(images: ImageSpec[]): Entry[] {
	const entries: Entry[] = [];
	const written = new Map<Digest, string>();
	const manifest = images.map((image, imageIndex) => {
		const diffIDs = image.layers.map(layer => sha256Digest(layer));
		const config = image.config ?? configBytes(diffIDs);
		const configName = `${digestHex(sha256Digest(config))}.json`;
		entries.push({name: configName, data: config});
		const layers = image.layers.map((layer, layerIndex) => {
			const dir = digestHex(sha256Digest(`v1 ${imageIndex} ${layerIndex}`));
			const diffID = sha256Digest(layer);
			const first = written.get(diffID);
			entries.push({name: `${dir}/VERSION`, data: '1.0'}, {name: `${dir}/json`, data: '{}'});
			if (first) entries.push({name: `${dir}/layer.tar`, symlink: `../${first}`});
			else entries.push({name: `${dir}/layer.tar`, data: layer});
			written.set(diffID, `${dir}/layer.tar`);
			return `${dir}/layer.tar`;
		});
		return {Config: configName, RepoTags: image.tags, Layers: layers};
	});
	entries.push({name: 'manifest.json', data: JSON.stringify(manifest)});
	return entries;
}

type OciImageSpec = ImageSpec & {gzip?: boolean; layerMediaType?: string};

/** An OCI layout's blobs for one image; returns the manifest descriptor. */
function ociImage(image: OciImageSpec, blobs: Map<string, Buffer>) {
	const stored = image.layers.map(layer => (image.gzip ? gzipSync(layer) : layer));
	const diffIDs = image.layers.map(layer => sha256Digest(layer));
	const config = image.config ?? configBytes(diffIDs);
	const put = (bytes: Buffer) => {
		const digest = sha256Digest(bytes);
		blobs.set(`blobs/sha256/${digestHex(digest)}`, bytes);
		return digest;
	};
	const layerType = image.layerMediaType ?? (image.gzip ? mediaTypes.ociLayerGzip : mediaTypes.ociLayer);
	const manifest = Buffer.from(
		JSON.stringify({
			schemaVersion: 2,
			mediaType: mediaTypes.ociManifest,
			config: {mediaType: mediaTypes.ociConfig, digest: put(config), size: config.length},
			layers: stored.map(layer => ({mediaType: layerType, digest: put(layer), size: layer.length})),
		}),
	);
	return {
		mediaType: mediaTypes.ociManifest,
		digest: put(manifest),
		size: manifest.length,
		config,
		layerMembers: stored.map(layer => `blobs/sha256/${digestHex(sha256Digest(layer))}`),
	};
}

/** Docker 25: an OCI layout plus manifest.json pointing into blobs/. */
function docker25Entries(images: OciImageSpec[]): Entry[] {
	const blobs = new Map<string, Buffer>();
	const manifests = [];
	const items = [];
	for (const image of images) {
		const descriptor = ociImage(image, blobs);
		for (const tag of image.tags) {
			manifests.push({
				mediaType: descriptor.mediaType,
				digest: descriptor.digest,
				size: descriptor.size,
				annotations: {'io.containerd.image.name': `docker.io/library/${tag}`, 'org.opencontainers.image.ref.name': tag.split(':')[1]},
			});
		}
		items.push({Config: `blobs/sha256/${digestHex(sha256Digest(descriptor.config))}`, RepoTags: image.tags, Layers: descriptor.layerMembers});
	}
	return [
		...[...blobs].map(([name, data]) => ({name, data})),
		{name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}'},
		{name: 'index.json', data: JSON.stringify({schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests})},
		{name: 'manifest.json', data: JSON.stringify(items)},
	];
}

/** A plain OCI layout (no manifest.json). `annotations` go on each image's index.json descriptor. */
function ociLayoutEntries(images: Array<OciImageSpec & {annotations?: Record<string, string>}>): Entry[] {
	const blobs = new Map<string, Buffer>();
	const manifests = images.map(image => {
		const {mediaType, digest, size} = ociImage(image, blobs);
		return {mediaType, digest, size, ...(image.annotations ? {annotations: image.annotations} : {})};
	});
	return [
		{name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}'},
		{name: 'index.json', data: JSON.stringify({schemaVersion: 2, manifests})},
		...[...blobs].map(([name, data]) => ({name, data})),
	];
}

async function writeArchive(entries: Entry[], name = 'archive.tar'): Promise<string> {
	const path = join(tempDir('strata-archive'), name);
	writeFileSync(path, await tarBuffer(entries));
	return path;
}

function writeDirectory(entries: Entry[]): string {
	const dir = tempDir('strata-layout');
	for (const entry of entries) {
		mkdirSync(dirname(join(dir, entry.name)), {recursive: true});
		writeFileSync(join(dir, entry.name), entry.data ?? '');
	}
	return dir;
}

// --- Store helpers ---

async function freshStore(): Promise<Store> {
	return Store.open(join(tempDir('strata-store'), 'store'));
}

/** What a failed load must not change: index.json, records, blobs and layer indexes. */
function storeState(store: Store): string {
	const read = (path: string) => {
		try {
			return readFileSync(path, 'utf8');
		} catch {
			return '';
		}
	};
	return JSON.stringify({
		index: read(store.paths.index),
		images: read(store.paths.images),
		blobs: readdirSync(store.paths.blobs).sort(),
		layers: readdirSync(store.paths.layers).sort(),
		tmp: readdirSync(store.paths.tmp).sort(),
	});
}

async function load(store: Store, file: string, stdin?: Readable, events: ProgressEvent[] = []): Promise<LoadResult> {
	return drain(loadArchive(store, {file, stdin}), event => events.push(event));
}

/** Loads, expecting a one-line StrataError with exactly `message` (or matching it), and an unchanged store. */
async function assertLoadFails(store: Store, file: string, message: string | RegExp): Promise<void> {
	const before = storeState(store);
	await assert.rejects(load(store, file), (error: Error) => {
		assert.ok(error instanceof StrataError, `not a StrataError: ${error.stack}`);
		assert.ok(!error.message.includes('\n'), `more than one line: ${error.message}`);
		if (typeof message === 'string') assert.equal(error.message, message);
		else assert.match(error.message, message);
		return true;
	});
	assert.equal(storeState(store), before);
}

// --- Fixtures ---

const base = await layerTar({'bin/sh': 'shell', 'etc/passwd': 'root:x:0:0::/root:/bin/sh\n'});
const app = await layerTar({'app/run': 'run'});
const other = await layerTar({'other/file': 'other'});

/** A store holding one unrelated image, so that "unchanged" means something. */
async function populatedStore(): Promise<Store> {
	const store = await freshStore();
	await load(store, await writeArchive(legacyEntries([{layers: [other], tags: ['existing:1']}])));
	return store;
}

describe('loadArchive: Docker 20.10 legacy archive', () => {
	test('loads every image with its tags; the image ID is the config digest', async () => {
		const store = await freshStore();
		const config = configBytes([sha256Digest(base), sha256Digest(app)]);
		const file = await writeArchive(legacyEntries([
			{layers: [base, app], tags: ['app:1', 'example.com/team/app:latest'], config},
			{layers: [base], tags: ['base:latest']},
		]));
		const result = await load(store, file);
		const appID = sha256Digest(config);
		assert.deepEqual(result.loaded, [
			{id: appID, tags: ['app:1', 'example.com/team/app:latest']},
			{id: sha256Digest(configBytes([sha256Digest(base)])), tags: ['base:latest']},
		]);
		assert.deepEqual(result.moved, []);
		const catalog = await store.catalog();
		assert.equal(catalog.tags.get('docker.io/library/app:1'), appID);
		assert.equal(catalog.tags.get('example.com/team/app:latest'), appID);
		assert.ok((await store.blobs.read(appID)).equals(config), 'config bytes kept exactly');
		assert.equal(catalog.records.get(appID)!.parent, undefined);
		assert.deepEqual(catalog.records.get(appID)!.diffIDs, [sha256Digest(base), sha256Digest(app)]);
	});

	test('a layer shared by two images (a symlink in the archive) is stored once', async () => {
		const store = await freshStore();
		const events: ProgressEvent[] = [];
		await load(store, await writeArchive(legacyEntries([{layers: [base, app], tags: ['a:1']}, {layers: [base], tags: ['b:1']}])), undefined, events);
		const blobs = readdirSync(store.paths.blobs);
		// 2 layers + per image a config and a manifest.
		assert.equal(blobs.length, 2 + 2 * 2);
		assert.ok(blobs.includes(digestHex(sha256Digest(base))));
		assert.ok(events.some(event => event.kind === 'log' && /already exists/.test(event.message)));
		assert.deepEqual(events.filter(event => event.kind === 'step').map(event => event.kind === 'step' && event.message), ['Loading a:1', 'Loading b:1']);
		assert.ok(events.some(event => event.kind === 'bytes' && event.current === base.length && event.total === base.length));
	});

	test('an image without RepoTags loads untagged', async () => {
		const store = await freshStore();
		const result = await load(store, await writeArchive(legacyEntries([{layers: [base], tags: []}])));
		assert.equal(result.loaded.length, 1);
		assert.deepEqual(result.loaded[0]!.tags, []);
		assert.equal((await store.catalog()).tags.size, 0);
	});

	test('loading again reuses every layer and moves nothing', async () => {
		const store = await freshStore();
		const file = await writeArchive(legacyEntries([{layers: [base], tags: ['base:latest']}]));
		const first = await load(store, file);
		const state = storeState(store);
		const events: ProgressEvent[] = [];
		const second = await load(store, file, undefined, events);
		assert.deepEqual(second, first);
		assert.ok(!events.some(event => event.kind === 'bytes'));
		assert.equal(JSON.parse(storeState(store)).blobs.join(), JSON.parse(state).blobs.join());
	});

	test('a tag that pointed elsewhere moves, and the result says from which image', async () => {
		const store = await freshStore();
		const [old] = (await load(store, await writeArchive(legacyEntries([{layers: [base], tags: ['busybox:latest']}])))).loaded;
		const result = await load(store, await writeArchive(legacyEntries([{layers: [base, app], tags: ['busybox:latest']}])));
		assert.deepEqual(result.moved, [{tag: 'busybox:latest', previousId: old!.id}]);
		const catalog = await store.catalog();
		assert.equal(catalog.tags.get('docker.io/library/busybox:latest'), result.loaded[0]!.id);
		assert.ok(catalog.records.has(old!.id), 'the old image stays, untagged');
	});

	test('reads stdin (`-`), spooled to the store tmp dir and removed after', async () => {
		const store = await freshStore();
		const bytes = await tarBuffer(legacyEntries([{layers: [base], tags: ['piped:1']}]));
		const result = await load(store, '-', Readable.from([bytes.subarray(0, 700), bytes.subarray(700)]));
		assert.deepEqual(result.loaded[0]!.tags, ['piped:1']);
		assert.deepEqual(readdirSync(store.paths.tmp), []);
	});

	test('reads a named pipe (`-i <(docker save ...)`) by spooling it', async () => {
		const store = await freshStore();
		const archive = await writeArchive(legacyEntries([{layers: [base], tags: ['fifo:1']}]));
		const fifo = join(tempDir('strata-fifo'), 'pipe');
		execFileSync('mkfifo', [fifo]);
		const writer = spawn('sh', ['-c', `cat "${archive}" > "${fifo}"`]);
		const written = once(writer, 'close');
		const result = await load(store, fifo);
		await written;
		assert.deepEqual(result.loaded[0]!.tags, ['fifo:1']);
		assert.deepEqual(readdirSync(store.paths.tmp), []);
	});

	test('reads a gzip-compressed archive, from a file and from stdin', async () => {
		const store = await freshStore();
		const gz = gzipSync(await tarBuffer(legacyEntries([{layers: [base], tags: ['zipped:1']}])));
		const path = join(tempDir('strata-archive'), 'archive.tar.gz');
		writeFileSync(path, gz);
		assert.deepEqual((await load(store, path)).loaded[0]!.tags, ['zipped:1']);
		assert.deepEqual((await load(store, '-', Readable.from([gz]))).loaded[0]!.tags, ['zipped:1']);
		assert.deepEqual(readdirSync(store.paths.tmp), []);
	});
});

describe('loadArchive: Docker 25 archive (manifest.json + OCI layout)', () => {
	test('loads uncompressed and gzip layers by manifest.json', async () => {
		const store = await freshStore();
		const result = await load(store, await writeArchive(docker25Entries([
			{layers: [base, app], tags: ['plain:1']},
			{layers: [other], tags: ['zipped:1'], gzip: true},
		])));
		assert.deepEqual(result.loaded.map(image => image.tags), [['plain:1'], ['zipped:1']]);
		// Layers are stored uncompressed, under their diff IDs.
		assert.ok(await store.layers.has(sha256Digest(other)));
		assert.equal((await store.layers.index(sha256Digest(other))).tarSize, other.length);
	});
});

describe('loadArchive: OCI layout', () => {
	test('a tar without manifest.json: names from io.containerd.image.name, else a full ref.name', async () => {
		const store = await freshStore();
		const result = await load(store, await writeArchive(ociLayoutEntries([
			{layers: [base], tags: [], annotations: {'io.containerd.image.name': 'docker.io/library/one:1', 'org.opencontainers.image.ref.name': '1'}},
			{layers: [app], tags: [], annotations: {'org.opencontainers.image.ref.name': 'quay.io/x/two:2'}},
			{layers: [other], tags: [], annotations: {'org.opencontainers.image.ref.name': 'latest'}},
		])));
		assert.deepEqual(result.loaded.map(image => image.tags), [['one:1'], ['quay.io/x/two:2'], []]);
	});

	test('a directory', async () => {
		const store = await freshStore();
		const dir = writeDirectory(ociLayoutEntries([{layers: [base, app], tags: [], gzip: true, annotations: {'io.containerd.image.name': 'docker.io/library/dir:1'}}]));
		const result = await load(store, dir);
		assert.deepEqual(result.loaded[0]!.tags, ['dir:1']);
	});

	test('a nested index: the linux/amd64 manifest is chosen', async () => {
		const store = await freshStore();
		const blobs = new Map<string, Buffer>();
		const amd64 = ociImage({layers: [base], tags: []}, blobs);
		const arm64 = ociImage({layers: [app], tags: [], config: configBytes([sha256Digest(app)], {architecture: 'arm64'})}, blobs);
		const nested = Buffer.from(JSON.stringify({
			schemaVersion: 2,
			mediaType: mediaTypes.ociIndex,
			manifests: [
				{mediaType: arm64.mediaType, digest: arm64.digest, size: arm64.size, platform: {os: 'linux', architecture: 'arm64'}},
				{mediaType: amd64.mediaType, digest: amd64.digest, size: amd64.size, platform: {os: 'linux', architecture: 'amd64'}},
			],
		}));
		const nestedDigest = sha256Digest(nested);
		blobs.set(`blobs/sha256/${digestHex(nestedDigest)}`, nested);
		const index = {schemaVersion: 2, manifests: [{mediaType: mediaTypes.ociIndex, digest: nestedDigest, size: nested.length, annotations: {'io.containerd.image.name': 'docker.io/library/multi:1'}}]};
		const file = await writeArchive([{name: 'index.json', data: JSON.stringify(index)}, {name: 'oci-layout', data: '{}'}, ...[...blobs].map(([name, data]) => ({name, data}))]);
		const result = await load(store, file);
		assert.deepEqual(result.loaded, [{id: sha256Digest(amd64.config), tags: ['multi:1']}]);
		assert.equal(await store.layers.has(sha256Digest(app)), false);
	});
});

describe('loadArchive: bad input fails in one line and changes nothing', () => {
	test('a missing file', async () => {
		const store = await populatedStore();
		await assertLoadFails(store, '/nonexistent/archive.tar', '/nonexistent/archive.tar: no such file or directory');
	});

	test('not a tar', async () => {
		const store = await populatedStore();
		const path = join(tempDir('strata-archive'), 'notes.txt');
		writeFileSync(path, 'not a tar\n'.repeat(100));
		await assertLoadFails(store, path, `${path}: not a tar archive`);
	});

	test('neither manifest.json nor index.json', async () => {
		const store = await populatedStore();
		const file = await writeArchive([{name: 'hello.txt', data: 'hi'}]);
		await assertLoadFails(store, file, `${file}: not an image archive: it has no manifest.json or index.json`);
	});

	test('manifest.json lists fewer layers than the config has diff IDs', async () => {
		const store = await populatedStore();
		const config = configBytes([sha256Digest(base), sha256Digest(app), sha256Digest(other)]);
		const file = await writeArchive(legacyEntries([{layers: [base, app], tags: ['x:1'], config}]));
		await assertLoadFails(store, file, `${file}: manifest.json lists 2 layers but the config has 3 diff IDs`);
	});

	test('a layer whose content does not match its diff ID (after an earlier layer was ingested)', async () => {
		const store = await populatedStore();
		const wrong = sha256Digest('something else');
		const config = configBytes([sha256Digest(base), wrong]);
		const file = await writeArchive(legacyEntries([{layers: [base, app], tags: ['x:1'], config}]));
		const member = legacyEntries([{layers: [base, app], tags: ['x:1'], config}]).filter(entry => entry.name.endsWith('layer.tar'))[1]!.name;
		await assertLoadFails(
			store,
			file,
			`${file}: ${member}: digest mismatch: expected ${wrong}, got ${sha256Digest(app)} (layer content does not match its diff ID)`,
		);
	});

	test('a gzip layer whose decompressed content does not match its diff ID', async () => {
		const store = await populatedStore();
		const config = configBytes([sha256Digest(app)]);
		const entries = docker25Entries([{layers: [base], tags: ['x:1'], gzip: true, config}]);
		await assertLoadFails(store, await writeArchive(entries), /digest mismatch: expected sha256:[a-f\d]{64}, got sha256:[a-f\d]{64} \(layer content does not match its diff ID\)$/);
	});

	test('a referenced member is missing', async () => {
		const store = await populatedStore();
		const entries = legacyEntries([{layers: [base], tags: ['x:1']}]);
		const layer = entries.find(entry => entry.name.endsWith('layer.tar'))!.name;
		const file = await writeArchive(entries.filter(entry => entry.name !== layer));
		await assertLoadFails(store, file, `${file}: ${layer} (referenced by manifest.json) is missing from the archive`);
	});

	test('a symlinked layer whose target is missing', async () => {
		const store = await populatedStore();
		const entries = legacyEntries([{layers: [base], tags: ['a:1']}, {layers: [base], tags: ['b:1'], config: configBytes([sha256Digest(base)], {comment: 'b'})}]);
		const target = entries.find(entry => entry.name.endsWith('layer.tar') && entry.data)!.name;
		const file = await writeArchive(entries.filter(entry => entry.name !== target));
		await assertLoadFails(store, file, new RegExp(`^${file}: [a-f\\d]{64}/layer\\.tar \\(referenced by manifest\\.json\\) is missing from the archive$`));
	});

	test('a truncated archive', async () => {
		const store = await populatedStore();
		const file = await writeArchive(legacyEntries([{layers: [await layerTar({big: 'x'.repeat(100_000)})], tags: ['x:1']}]));
		truncateSync(file, 50_000);
		await assertLoadFails(store, file, new RegExp(`^${file}: truncated archive: `));
	});

	test('an archive cut at a member boundary says so when something is missing', async () => {
		const store = await populatedStore();
		const bytes = await tarBuffer([{name: 'a.txt', data: 'x'}]);
		const file = join(tempDir('strata-archive'), 'cut.tar');
		writeFileSync(file, bytes.subarray(0, 1024));
		await assertLoadFails(store, file, `${file}: not an image archive: it has no manifest.json or index.json (the archive has no end marker: was it cut short?)`);
	});

	test('an invalid RepoTag', async () => {
		const store = await populatedStore();
		const file = await writeArchive(legacyEntries([{layers: [base], tags: ['Busybox:latest']}]));
		await assertLoadFails(store, file, new RegExp(`^${file}: invalid RepoTag "Busybox:latest" in manifest\\.json: .*lowercase`));
		const untagged = await writeArchive(legacyEntries([{layers: [base], tags: ['busybox']}]));
		await assertLoadFails(store, untagged, `${untagged}: invalid RepoTag "busybox" in manifest.json: it must be name:tag`);
	});

	test('a bad RepoTag in the second image stops the first from loading too', async () => {
		const store = await populatedStore();
		const file = await writeArchive(legacyEntries([{layers: [base], tags: ['good:1']}, {layers: [app], tags: ['bad tag']}]));
		await assertLoadFails(store, file, /invalid RepoTag "bad tag"/);
	});

	test('an unknown layer media type in an OCI manifest', async () => {
		const store = await populatedStore();
		const file = await writeArchive(ociLayoutEntries([{layers: [base], tags: [], layerMediaType: 'application/x-foo'}]));
		await assertLoadFails(store, file, new RegExp(`^${file}: manifest sha256:[a-f\\d]{12} has a layer of unsupported media type "application/x-foo"$`));
	});

	test('zstd layers are refused as not supported', async () => {
		const store = await populatedStore();
		const file = await writeArchive(ociLayoutEntries([{layers: [base], tags: [], layerMediaType: mediaTypes.ociLayerZstd}]));
		await assertLoadFails(store, file, /has a zstd-compressed layer \(sha256:[a-f\d]{12}\); zstd is not supported$/);
	});

	test('a zstd layer named in manifest.json is refused by its magic bytes', async () => {
		const store = await populatedStore();
		const zstd = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(100)]);
		const entries = legacyEntries([{layers: [zstd], tags: ['z:1']}]);
		await assertLoadFails(store, await writeArchive(entries), /zstd compression is not supported/);
	});

	test('an OCI blob whose bytes do not match its digest', async () => {
		const store = await populatedStore();
		const entries = ociLayoutEntries([{layers: [base], tags: [], gzip: true}]);
		const gz = entries.find(entry => entry.name.startsWith('blobs/') && Buffer.from(entry.data!).subarray(0, 2).equals(Buffer.from([0x1f, 0x8b])))!;
		// Same decompressed bytes, different gzip stream (other level): the diff ID matches, the blob digest does not.
		gz.data = gzipSync(base, {level: 1});
		await assertLoadFails(store, await writeArchive(entries), new RegExp(`${gz.name} does not match its digest`));
	});

	test('a config that is not JSON', async () => {
		const store = await populatedStore();
		const file = await writeArchive(legacyEntries([{layers: [], tags: ['x:1'], config: Buffer.from('{nope')}]));
		await assertLoadFails(store, file, new RegExp(`^${file}: [a-f\\d]{64}\\.json is not valid JSON: `));
	});

	test('an image for another OS', async () => {
		const store = await populatedStore();
		const file = await writeArchive(legacyEntries([{layers: [base], tags: ['x:1'], config: configBytes([sha256Digest(base)], {os: 'windows'})}]));
		await assertLoadFails(store, file, /cannot load windows image on linux/);
	});
});
