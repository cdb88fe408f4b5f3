// load/save against the real thing: archives written by this machine's Docker (20.10, legacy format with
// symlinked shared layers) load with Docker's image IDs; what strata saves, Docker loads and runs, and
// skopeo and umoci read as an OCI layout.
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {mkdirSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {loadArchive, type LoadResult} from '../../source/engine/archive/load.js';
import {saveArchive} from '../../source/engine/archive/save.js';
import {drain} from '../../source/engine/progress.js';
import {Store} from '../../source/engine/store/store.js';
import {loadBusyboxIntoDocker} from '../support/busybox.js';
import {dockerSkip, startDocker, type DockerDaemon} from '../support/docker.js';
import {tempDir} from '../support/tmp.js';

function tool(command: string, args: string[]): string {
	const result = spawnSync(command, args, {encoding: 'utf8'});
	assert.equal(result.status, 0, `${command} ${args.join(' ')}: ${result.stderr}`);
	return result.stdout;
}

function onPath(command: string): boolean {
	return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

describe('archives between strata and Docker', {skip: dockerSkip()}, () => {
	let daemon: DockerDaemon;
	let busyboxID: string;
	let childID: string;
	let work: string;

	const dockerID = async (ref: string) => (await daemon.docker(['images', '--no-trunc', '-q', ref], {check: true})).stdout.trim();
	const openStore = () => Store.open(join(tempDir('strata-store'), 'store'));

	before(async () => {
		daemon = await startDocker();
		work = tempDir('strata-interop');
		busyboxID = await loadBusyboxIntoDocker(daemon);
		// A child image whose base layer is also busybox's top layer: Docker 20.10 saves it as a symlink.
		await daemon.docker(['run', '--name', 'maker', '--network', 'none', 'busybox:latest', 'sh', '-c', 'echo hi > /hello'], {check: true});
		await daemon.docker(['commit', 'maker', 'child:1'], {check: true});
		await daemon.docker(['rm', 'maker'], {check: true});
		childID = await dockerID('child:1');
	});

	after(async () => {
		await daemon?.stop();
	});

	test('docker save → strata load: Docker\'s image IDs and tags', async () => {
		const archive = join(work, 'docker.tar');
		await daemon.docker(['save', '-o', archive, 'busybox:latest', 'child:1'], {check: true});
		assert.match(tool('tar', ['tvf', archive]), /layer\.tar -> \.\.\//, 'Docker linked the shared layer');
		const store = await openStore();
		const result = await drain(loadArchive(store, {file: archive}));
		assert.deepEqual(
			result.loaded.map(image => [image.id, image.tags]).sort(),
			[[busyboxID, ['busybox:latest']], [childID, ['child:1']]].sort(),
		);
		const catalog = await store.catalog();
		assert.equal(catalog.records.get(childID as never)!.diffIDs[0], catalog.records.get(busyboxID as never)!.diffIDs[0]);
		// Sizes as Docker counts them (symlinks count their target's length): busybox is ~400 symlinks.
		for (const id of [busyboxID, childID]) {
			const dockerSize = Number((await daemon.docker(['image', 'inspect', '-f', '{{.Size}}', id], {check: true})).stdout.trim());
			assert.equal(catalog.records.get(id as never)!.size, dockerSize, `size of ${id}`);
		}
	});

	test('docker save | strata load -i - (stdin)', async () => {
		const store = await openStore();
		const child = spawn('docker', ['save', 'busybox:latest'], {env: daemon.env, stdio: ['ignore', 'pipe', 'inherit']});
		const result: LoadResult = await drain(loadArchive(store, {file: '-', stdin: child.stdout}));
		assert.deepEqual(result.loaded, [{id: busyboxID, tags: ['busybox:latest']}]);
	});

	test('strata save → docker rmi → docker load: same IDs, and the image runs', async () => {
		const archive = join(work, 'docker-for-roundtrip.tar');
		await daemon.docker(['save', '-o', archive, 'busybox:latest', 'child:1'], {check: true});
		const store = await openStore();
		await drain(loadArchive(store, {file: archive}));
		const saved = join(work, 'strata.tar');
		await drain(saveArchive(store, {refs: ['busybox:latest', 'child:1'], output: saved}));

		await daemon.docker(['rmi', 'busybox:latest', 'child:1'], {check: true});
		assert.equal(await dockerID('busybox:latest'), '');
		const loaded = await daemon.docker(['load', '-i', saved], {check: true});
		assert.match(loaded.stdout, /^Loaded image: busybox:latest$/m);
		assert.match(loaded.stdout, /^Loaded image: child:1$/m);
		assert.equal(await dockerID('busybox:latest'), busyboxID);
		assert.equal(await dockerID('child:1'), childID);

		const run = await daemon.docker(['run', '--rm', '--network', 'none', 'busybox:latest', 'echo', 'ok'], {check: true});
		assert.equal(run.stdout, 'ok\n');
		const hello = await daemon.docker(['run', '--rm', '--network', 'none', 'child:1', 'cat', '/hello'], {check: true});
		assert.equal(hello.stdout, 'hi\n');
	});

	test('a saved archive is an OCI layout that skopeo and umoci read', {skip: onPath('skopeo') && onPath('umoci') ? false : 'skopeo or umoci missing'}, async () => {
		const archive = join(work, 'docker-for-oci.tar');
		await daemon.docker(['save', '-o', archive, 'busybox:latest'], {check: true});
		const store = await openStore();
		await drain(loadArchive(store, {file: archive}));
		const saved = join(work, 'oci.tar');
		await drain(saveArchive(store, {refs: ['busybox:latest'], output: saved}));
		const manifestDigest = (await store.catalog()).records.get(busyboxID as never)!.manifest.digest;

		const layout = join(work, 'layout');
		mkdirSync(layout);
		tool('tar', ['-xf', saved, '-C', layout]);
		// Docker 25's convention: the OCI ref name is the bare tag.
		const inspected = JSON.parse(tool('skopeo', ['inspect', `oci:${layout}:latest`]));
		assert.equal(inspected.Digest, manifestDigest);
		const config = JSON.parse(tool('skopeo', ['inspect', '--config', `oci:${layout}:latest`]));
		assert.deepEqual(config.rootfs.diff_ids, (await store.catalog()).records.get(busyboxID as never)!.diffIDs);
		assert.equal(JSON.parse(tool('skopeo', ['inspect', `oci-archive:${saved}:latest`])).Digest, manifestDigest);
		assert.deepEqual(tool('umoci', ['ls', '--layout', layout]).trim().split('\n'), ['latest']);
		// skopeo's docker-archive reader goes by manifest.json, as `docker load` does.
		assert.match(tool('skopeo', ['inspect', `docker-archive:${saved}`]), /"Architecture": "amd64"/);

		// umoci builds on it (adding a gzip layer) and updates index.json only; without the now stale
		// manifest.json, which would win as in `docker load`, strata loads both images from index.json.
		const bundle = join(work, 'bundle');
		tool('umoci', ['unpack', '--image', `${layout}:latest`, bundle]);
		tool('sh', ['-c', `echo umoci > ${join(bundle, 'rootfs', 'etc', 'umoci')}`]);
		tool('umoci', ['repack', '--image', `${layout}:v2`, bundle]);
		rmSync(join(layout, 'manifest.json'));
		const v2Config = JSON.parse(tool('skopeo', ['inspect', '--raw', `oci:${layout}:v2`])).config.digest;
		const fromUmoci = await drain(loadArchive(await openStore(), {file: layout}));
		assert.deepEqual(fromUmoci.loaded.map(image => image.id), [busyboxID, v2Config]);
		// umoci copied the io.containerd.image.name annotation to v2, so both claim busybox:latest; the last wins.
		assert.deepEqual(fromUmoci.loaded.map(image => image.tags), [['busybox:latest'], ['busybox:latest']]);
	});

	test('OCI archives and layouts written by skopeo load with their config digest as ID', {skip: onPath('skopeo') ? false : 'skopeo missing'}, async () => {
		const archive = join(work, 'docker-for-skopeo.tar');
		await daemon.docker(['save', '-o', archive, 'busybox:latest'], {check: true});
		// skopeo rewrites the config when it converts Docker's format to OCI, so the ID is its config's digest.
		const configDigest = (ref: string) => JSON.parse(tool('skopeo', ['inspect', '--raw', ref])).config.digest;
		const ociArchive = join(work, 'skopeo-oci.tar');
		tool('skopeo', ['copy', '--quiet', `docker-archive:${archive}`, `oci-archive:${ociArchive}:busybox:latest`]);
		const store = await openStore();
		const result = await drain(loadArchive(store, {file: ociArchive}));
		assert.deepEqual(result.loaded, [{id: configDigest(`oci-archive:${ociArchive}:busybox:latest`), tags: ['busybox:latest']}]);
		const busyboxDiffIDs = JSON.parse(tool('skopeo', ['inspect', '--config', `docker-archive:${archive}`])).rootfs.diff_ids;
		assert.deepEqual((await store.catalog()).records.get(result.loaded[0]!.id)!.diffIDs, busyboxDiffIDs);

		// A gzip-compressed OCI directory.
		const dir = join(work, 'skopeo-oci-dir');
		tool('skopeo', ['copy', '--quiet', '--dest-compress', `docker-archive:${archive}`, `oci:${dir}:busybox:gz`]);
		assert.match(readFileSync(join(dir, 'index.json'), 'utf8'), /busybox:gz/);
		const fromDir = await drain(loadArchive(await openStore(), {file: dir}));
		assert.deepEqual(fromDir.loaded, [{id: configDigest(`oci:${dir}:busybox:gz`), tags: ['busybox:gz']}]);
	});
});
