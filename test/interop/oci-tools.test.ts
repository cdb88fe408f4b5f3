// strata's store is an OCI image layout in place: skopeo and umoci read it directly (no save/export),
// agree with strata on every digest, and what they write into it shows up in `strata images` and survives
// strata's own writes (their index.json names included).
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {before, describe, test} from 'node:test';
import {busyboxRootfs, busyboxTar} from '../support/busybox.js';
import {runStrata, tempDir} from '../support/tmp.js';

const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

function onPath(command: string): boolean {
	return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** Skip where the tools are missing, but never in CI: there a missing tool is a failure. */
const toolsSkip = onPath('skopeo') && onPath('umoci') ? false : process.env.CI ? false : 'skopeo or umoci missing';

function tool(command: string, args: string[]): string {
	const result = spawnSync(command, args, {encoding: 'utf8'});
	assert.equal(result.status, 0, `${command} ${args.join(' ')}: ${result.stderr}`);
	return result.stdout;
}

/** Like tool(), but the stdout as bytes (skopeo --raw prints blobs exactly). */
function toolBytes(command: string, args: string[]): Buffer {
	const result = spawnSync(command, args);
	assert.equal(result.status, 0, `${command} ${args.join(' ')}: ${result.stderr.toString()}`);
	return result.stdout;
}

async function strata(root: string, args: string[]): Promise<string> {
	const result = await runStrata(args, {root});
	assert.equal(result.code, 0, `strata ${args.join(' ')}: ${result.stderr}`);
	return result.stdout;
}

type Index = {manifests: Array<{mediaType: string; digest: string; size: number; annotations?: Record<string, string>}>};
const readIndex = (root: string) => JSON.parse(readFileSync(join(root, 'index.json'), 'utf8')) as Index;
const refNames = (root: string) => readIndex(root).manifests.map(entry => entry.annotations?.['org.opencontainers.image.ref.name']).sort();
const blob = (root: string, digest: string) => readFileSync(join(root, 'blobs', 'sha256', digest.replace(/^sha256:/, '')));

describe('skopeo and umoci on a strata store', {skip: toolsSkip}, () => {
	let root: string;
	let id: string;
	let tarDiffID: string;
	let rootfs: string;
	let tarPath: string;
	// strata annotates the full normalized name, and the oci: transport takes everything after the path's
	// colon as the ref name (a name with "/" and ":" in it included): this is the reference skopeo and umoci need.
	const ref = () => `${root}:docker.io/library/busybox:latest`;

	before(async () => {
		root = join(tempDir('strata-oci-tools'), 'store');
		tarPath = await busyboxTar();
		rootfs = await busyboxRootfs();
		tarDiffID = sha256(readFileSync(tarPath));
		id = (await strata(root, ['import', '--change', 'CMD ["sh"]', tarPath, 'busybox:latest'])).trim();
	});

	test('skopeo inspect agrees on the manifest, the layer and the config (= the image ID)', () => {
		const [entry] = readIndex(root).manifests;
		assert.equal(entry!.annotations?.['org.opencontainers.image.ref.name'], 'docker.io/library/busybox:latest');
		// --raw: the manifest as stored, byte for byte, under the digest index.json gives.
		const rawManifest = toolBytes('skopeo', ['inspect', '--raw', `oci:${ref()}`]);
		assert.ok(rawManifest.equals(blob(root, entry!.digest)));
		assert.equal(sha256(rawManifest), entry!.digest);
		assert.equal(rawManifest.length, entry!.size);
		const manifest = JSON.parse(rawManifest.toString('utf8')) as {config: {digest: string}; layers: Array<{digest: string; mediaType: string}>};
		assert.equal(manifest.config.digest, id);
		assert.deepEqual(manifest.layers.map(layer => [layer.mediaType, layer.digest]), [['application/vnd.oci.image.layer.v1.tar', tarDiffID]]);

		const inspected = JSON.parse(tool('skopeo', ['inspect', `oci:${ref()}`])) as {Digest: string; Layers: string[]; Architecture: string; Os: string};
		assert.equal(inspected.Digest, entry!.digest);
		assert.deepEqual(inspected.Layers, [tarDiffID]);
		assert.equal(inspected.Os, 'linux');

		// --config --raw: the config blob, whose digest is strata's image ID.
		const rawConfig = toolBytes('skopeo', ['inspect', '--config', '--raw', `oci:${ref()}`]);
		assert.equal(sha256(rawConfig), id);
		assert.ok(rawConfig.equals(blob(root, id)));
		const config = JSON.parse(tool('skopeo', ['inspect', '--config', `oci:${ref()}`])) as {config: {Cmd: string[]}; rootfs: {diff_ids: string[]}};
		assert.deepEqual(config.config.Cmd, ['sh']);
		assert.deepEqual(config.rootfs.diff_ids, [tarDiffID]);
		// skopeo verifies every blob it reads against its digest: copying the image out reads them all.
		const copy = join(tempDir('strata-oci-tools'), 'copy');
		tool('skopeo', ['copy', '--quiet', `oci:${ref()}`, `oci:${copy}:busybox`]);
		// (skopeo gzips the layer on the way, so the manifest differs; the config, the image, does not.)
		const copied = JSON.parse(blob(copy, readIndex(copy).manifests[0]!.digest).toString('utf8')) as {config: {digest: string}};
		assert.equal(copied.config.digest, id);
	});

	test('umoci ls lists the tag; umoci unpack gives the fixture back', () => {
		assert.equal(tool('umoci', ['ls', '--layout', root]), 'docker.io/library/busybox:latest\n');
		const bundle = join(tempDir('strata-oci-tools'), 'bundle');
		tool('umoci', ['unpack', '--image', ref(), bundle]);
		assert.ok(readFileSync(join(bundle, 'rootfs', 'bin', 'busybox')).equals(readFileSync(join(rootfs, 'bin', 'busybox'))));
		assert.equal(readlinkSync(join(bundle, 'rootfs', 'bin', 'sh')), 'busybox');
		assert.equal(readFileSync(join(bundle, 'rootfs', 'etc', 'passwd'), 'utf8'), readFileSync(join(rootfs, 'etc', 'passwd'), 'utf8'));
		assert.equal(lstatSync(join(bundle, 'rootfs', 'tmp')).mode & 0o7777, 0o1777);
		// umoci turns the image config into a runtime config: CMD ["sh"] is the process.
		const runtime = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')) as {process: {args: string[]}};
		assert.deepEqual(runtime.process.args, ['sh']);
	});

	test('skopeo copy into the store: strata adopts the image, and its writes keep skopeo\'s names', async () => {
		const store = join(tempDir('strata-oci-tools'), 'store');
		await strata(store, ['import', tarPath, 'mine:1']);
		// A docker-archive made by skopeo (from the strata store), copied back in under two names: a full one
		// and a bare one, as a user would type them after oci:ROOT:.
		const archive = join(tempDir('strata-oci-tools'), 'busybox-docker.tar');
		tool('skopeo', ['copy', '--quiet', `oci:${ref()}`, `docker-archive:${archive}:busybox:latest`]);
		tool('skopeo', ['copy', '--quiet', `docker-archive:${archive}`, `oci:${store}:docker.io/library/from-skopeo:1`]);
		tool('skopeo', ['copy', '--quiet', `docker-archive:${archive}`, `oci:${store}:bare-name`]);
		const skopeoConfig = JSON.parse(tool('skopeo', ['inspect', '--raw', `oci:${store}:bare-name`])) as {config: {digest: string}};
		const foreignID = skopeoConfig.config.digest;

		const listed = (await strata(store, ['images', '--format', 'json'])).trim().split('\n').map(line => JSON.parse(line) as {Repository: string; Tag: string; ID: string; Size: string});
		assert.deepEqual(
			listed.map(row => [row.Repository, row.Tag, row.ID]).sort(),
			[
				['bare-name', 'latest', foreignID.slice(7, 19)],
				['from-skopeo', '1', foreignID.slice(7, 19)],
				['mine', '1', (await strata(store, ['images', '-q', 'mine'])).trim()],
			].sort(),
		);
		const [inspected] = JSON.parse(await strata(store, ['inspect', 'bare-name'])) as Array<{Id: string; RepoTags: string[]; Size: number}>;
		assert.equal(inspected!.Id, foreignID);
		assert.deepEqual(inspected!.RepoTags, ['bare-name:latest', 'from-skopeo:1']);
		const [mine] = JSON.parse(await strata(store, ['inspect', 'mine:1'])) as Array<{Size: number}>;
		assert.equal(inspected!.Size, mine!.Size, 'the same files, the same size');

		// A strata write rewrites index.json: skopeo's names must still be there, as skopeo wrote them.
		await strata(store, ['tag', 'bare-name', 'retagged:2']);
		assert.deepEqual(refNames(store), ['bare-name', 'docker.io/library/from-skopeo:1', 'docker.io/library/mine:1', 'docker.io/library/retagged:2']);
		assert.equal(JSON.parse(tool('skopeo', ['inspect', '--raw', `oci:${store}:bare-name`])).config.digest, foreignID);
		assert.equal(JSON.parse(tool('skopeo', ['inspect', '--raw', `oci:${store}:docker.io/library/retagged:2`])).config.digest, foreignID);
		// And strata removes it like its own: untag all, delete the image and its blobs (the layer is shared with mine:1).
		assert.equal(
			await strata(store, ['rmi', 'bare-name', 'from-skopeo:1', 'retagged:2']),
			`Untagged: bare-name:latest\nUntagged: from-skopeo:1\nUntagged: retagged:2\nDeleted: ${foreignID}\n`,
		);
		assert.deepEqual(refNames(store), ['docker.io/library/mine:1']);
		assert.equal(spawnSync('skopeo', ['inspect', `oci:${store}:bare-name`]).status === 0, false);
	});

	test('an image umoci makes in the store (new, unpack, repack: a gzip layer) appears in strata images', async () => {
		const store = join(tempDir('strata-oci-tools'), 'store');
		await strata(store, ['import', tarPath, 'busybox']);
		tool('umoci', ['new', '--image', `${store}:made-by-umoci`]);
		const bundle = join(tempDir('strata-oci-tools'), 'bundle');
		tool('umoci', ['unpack', '--image', `${store}:made-by-umoci`, bundle]);
		mkdirSync(join(bundle, 'rootfs', 'app'));
		writeFileSync(join(bundle, 'rootfs', 'app', 'hello.txt'), 'hello from umoci\n');
		writeFileSync(join(bundle, 'rootfs', 'app', 'data.bin'), Buffer.alloc(12_345, 1));
		tool('umoci', ['repack', '--image', `${store}:made-by-umoci`, bundle]);
		const manifest = JSON.parse(tool('skopeo', ['inspect', '--raw', `oci:${store}:made-by-umoci`])) as {config: {digest: string}; layers: Array<{mediaType: string}>};
		assert.deepEqual(manifest.layers.map(layer => layer.mediaType), ['application/vnd.oci.image.layer.v1.tar+gzip']);
		const umociID = manifest.config.digest;

		assert.equal(await strata(store, ['images', '-q', '--no-trunc', 'made-by-umoci']), `${umociID}\n`);
		const [row] = (await strata(store, ['images', '--format', 'json', 'made-by-umoci'])).trim().split('\n').map(line => JSON.parse(line) as {Repository: string; Tag: string; Size: string});
		assert.deepEqual([row!.Repository, row!.Tag], ['made-by-umoci', 'latest']);
		// Docker's size: the files' bytes (17 + 12345), read from umoci's gzip layer.
		const [inspected] = JSON.parse(await strata(store, ['inspect', 'made-by-umoci'])) as Array<{Size: number; RootFS: {Layers: string[]}}>;
		assert.equal(inspected!.Size, 17 + 12_345);
		assert.equal(row!.Size, '12.4kB');
		assert.match(await strata(store, ['history', 'made-by-umoci']), /umoci repack/);
		const report = JSON.parse(await strata(store, ['layers', '--format', 'json', 'made-by-umoci'])) as {layers: Array<{size: number}>};
		assert.deepEqual(report.layers.map(layer => layer.size), [17 + 12_345]);

		// strata's writes keep umoci's bare tag: umoci still finds and unpacks it afterwards.
		await strata(store, ['tag', 'made-by-umoci', 'umoci-copy:1']);
		assert.deepEqual(tool('umoci', ['ls', '--layout', store]).trim().split('\n').sort(), ['docker.io/library/busybox:latest', 'docker.io/library/umoci-copy:1', 'made-by-umoci']);
		const again = join(tempDir('strata-oci-tools'), 'again');
		tool('umoci', ['unpack', '--image', `${store}:made-by-umoci`, again]);
		assert.equal(readFileSync(join(again, 'rootfs', 'app', 'hello.txt'), 'utf8'), 'hello from umoci\n');
		// Saved by strata and loaded into another store, it keeps its ID.
		const saved = join(tempDir('strata-oci-tools'), 'umoci.tar');
		await strata(store, ['save', '-o', saved, 'umoci-copy:1']);
		const other = join(tempDir('strata-oci-tools'), 'other');
		assert.equal(await strata(other, ['load', '-i', saved]), 'Loaded image: umoci-copy:1\n');
		assert.equal(await strata(other, ['images', '-q', '--no-trunc']), `${umociID}\n`);
	});
});

describe('a multi-platform index in the store', {skip: toolsSkip}, () => {
	test('skopeo copy --all puts an index in; strata writes keep it, and every blob it names', async () => {
		const dir = tempDir('strata-oci-index');
		const root = join(dir, 'store');
		await strata(root, ['import', await busyboxTar(), 'busybox:latest']);
		// A source layout whose tag names an index of two platforms: strata's busybox (amd64) and an arm64
		// variant that differs only in its config, so the copy brings in blobs strata has no record of.
		const source = join(dir, 'source');
		tool('skopeo', ['copy', `oci:${root}:docker.io/library/busybox:latest`, `oci:${source}:base`]);
		const [base] = readIndex(source).manifests;
		const manifest = JSON.parse(blob(source, base!.digest).toString('utf8')) as {config: {digest: string; size: number; mediaType: string}; layers: unknown[]; mediaType: string};
		const config = JSON.parse(blob(source, manifest.config.digest).toString('utf8')) as Record<string, unknown>;
		const writeBlob = (content: string) => {
			const digest = sha256(content);
			writeFileSync(join(source, 'blobs', 'sha256', digest.slice(7)), content);
			return {digest, size: Buffer.byteLength(content)};
		};
		const armConfig = writeBlob(JSON.stringify({...config, architecture: 'arm64'}));
		const armManifest = writeBlob(JSON.stringify({...manifest, config: {...manifest.config, ...armConfig}}));
		const index = writeBlob(
			JSON.stringify({
				schemaVersion: 2,
				mediaType: 'application/vnd.oci.image.index.v1+json',
				manifests: [
					{mediaType: base!.mediaType, digest: base!.digest, size: base!.size, platform: {architecture: 'amd64', os: 'linux'}},
					{mediaType: manifest.mediaType, ...armManifest, platform: {architecture: 'arm64', os: 'linux'}},
				],
			}),
		);
		const entry = {mediaType: 'application/vnd.oci.image.index.v1+json', ...index, annotations: {'org.opencontainers.image.ref.name': 'multi'}};
		writeFileSync(join(source, 'index.json'), JSON.stringify({schemaVersion: 2, manifests: [entry]}));
		tool('skopeo', ['copy', '--all', `oci:${source}:multi`, `oci:${root}:multi`]);

		// Two strata writes: a tag, then a removal (which garbage-collects unreferenced blobs).
		await strata(root, ['tag', 'busybox:latest', 'busybox:two']);
		await strata(root, ['rmi', 'busybox:two']);
		const kept = readIndex(root).manifests.filter(item => item.mediaType === 'application/vnd.oci.image.index.v1+json');
		assert.deepEqual(kept.map(item => [item.digest, item.annotations?.['org.opencontainers.image.ref.name']]), [[index.digest, 'multi']]);
		for (const digest of [index.digest, armManifest.digest, armConfig.digest]) assert.ok(blob(root, digest).length > 0, `${digest} kept`);
		// skopeo can still copy the whole index out, every platform.
		tool('skopeo', ['copy', '--all', `oci:${root}:multi`, `oci:${join(dir, 'out')}:multi`]);
		assert.equal(sha256(blob(join(dir, 'out'), index.digest)), index.digest);
		// And strata's own image is still there.
		assert.match(await strata(root, ['images']), /busybox\s+latest/);
	});
});
