// strata's commit next to Docker's: the seed's first/second example (history, save | docker load, docker run,
// rmi), `diff` lines and the layer a commit writes, for the same script in the same busybox.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import tarStream from 'tar-stream';
import {Readable} from 'node:stream';
import {loadBusyboxIntoDocker} from '../support/busybox.js';
import {dockerSkip, startDocker, type DockerDaemon} from '../support/docker.js';
import {CLI_PATH, tempDir} from '../support/tmp.js';
import {cleanUpStore, containerRoot, containerSkip, importBusybox, strataIn} from '../engine/container-support.js';

type TarEntry = {name: string; type: string; mode: number; size: number};

async function listTar(data: Buffer): Promise<TarEntry[]> {
	const entries: TarEntry[] = [];
	const extract = tarStream.extract();
	const done = new Promise<void>((resolve, reject) => {
		extract.on('entry', (header, stream, next) => {
			entries.push({name: header.name, type: header.type ?? 'file', mode: header.mode ?? 0, size: header.size ?? 0});
			stream.on('end', next);
			stream.resume();
		});
		extract.on('finish', resolve);
		extract.on('error', reject);
	});
	Readable.from([data]).pipe(extract);
	await done;
	return entries;
}

/** The layer tars of a `docker save` archive (legacy or OCI), in manifest order. */
function savedLayers(archive: string): Buffer[] {
	const dir = tempDir('strata-docker-save');
	spawnSync('tar', ['-xf', archive, '-C', dir]);
	const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Array<{Layers: string[]}>;
	return manifest[0]!.Layers.map(layer => readFileSync(join(dir, layer)));
}

const skip = containerSkip || dockerSkip();

describe('commit next to Docker', {skip}, () => {
	let root: string;
	let strata: ReturnType<typeof strataIn>;
	let dockerd: DockerDaemon;
	const work = tempDir('strata-commit-interop');

	async function ok(args: string[]): Promise<string> {
		const result = await strata(args);
		assert.equal(result.code, 0, `strata ${args.join(' ')}: ${result.stderr}`);
		return result.stdout;
	}

	before(async () => {
		root = containerRoot();
		strata = strataIn(root);
		await importBusybox(root);
		dockerd = await startDocker();
		await loadBusyboxIntoDocker(dockerd);
	});

	after(async () => {
		cleanUpStore(root);
		await dockerd?.stop();
	});

	test('the seed\'s first/second commits: three steps in strata history and, after save | docker load, in docker history', async () => {
		await ok(['run', '--name', 'commit_test', '--network', 'none', 'busybox', 'sh', '-c', 'echo test_first! >> first']);
		const first = (await ok(['commit', '-a', 'alicek106', '-m', 'my first commit', 'commit_test', 'commit_test:first'])).trim();
		await ok(['run', '--name', 'commit_test2', '--network', 'none', 'commit_test:first', 'sh', '-c', 'echo test_second~ >> second']);
		const second = (await ok(['commit', '-a', 'alicek106', '-m', 'my second commit', 'commit_test2', 'commit_test:second'])).trim();
		assert.match(second, /^sha256:[\da-f]{64}$/);

		type Step = {ID: string; CreatedBy: string; Size: string; Comment: string};
		const steps = (text: string) => text.trim().split('\n').map(line => JSON.parse(line) as Step);
		const ours = steps(await ok(['history', '--no-trunc', '--human=false', '--format', 'json', 'commit_test:second']));
		assert.deepEqual(ours.map(step => [step.ID, step.CreatedBy, step.Size, step.Comment]).slice(0, 2), [
			[second, 'sh -c echo test_second~ >> second', '13', 'my second commit'],
			[first, 'sh -c echo test_first! >> first', '12', 'my first commit'],
		]);
		assert.equal(ours.length, 3);
		assert.equal(ours[2]!.Comment, 'Imported from -');

		const archive = join(work, 'second.tar');
		await ok(['save', '-o', archive, 'commit_test:second']);
		await dockerd.docker(['load', '-i', archive], {check: true});
		const theirs = steps((await dockerd.docker(['history', '--no-trunc', '--human=false', '--format', '{{json .}}', 'commit_test:second'], {check: true})).stdout);
		// The same three steps (below the loaded image Docker has no local parents: <missing> IDs).
		const view = (list: Step[]) => list.map(step => [step.CreatedBy, step.Size, step.Comment]);
		assert.deepEqual(view(theirs).slice(0, 2), view(ours).slice(0, 2));
		assert.deepEqual([theirs[2]!.CreatedBy, theirs[2]!.Comment], [ours[2]!.CreatedBy, ours[2]!.Comment]);
		assert.equal(theirs.length, 3);
		assert.equal(theirs[0]!.ID, second);
		// Every step's size, the base layer's included, is Docker's (symlinks count their target's length).
		assert.deepEqual(view(theirs)[2], view(ours)[2]);
		const inspect = JSON.parse((await dockerd.docker(['image', 'inspect', 'commit_test:second'], {check: true})).stdout) as Array<{Author: string; Comment: string; RootFS: {Layers: string[]}}>;
		assert.equal(inspect[0]!.Author, 'alicek106');
		assert.equal(inspect[0]!.Comment, 'my second commit');
		assert.equal(inspect[0]!.RootFS.Layers.length, 3);
		// The image runs in Docker with both files.
		const run = await dockerd.docker(['run', '--rm', '--network', 'none', 'commit_test:second', 'cat', '/first', '/second'], {check: true});
		assert.equal(run.stdout, 'test_first!\ntest_second~\n');
		assert.equal(await ok(['run', '--rm', '--network', 'none', 'commit_test:second', 'cat', '/first', '/second']), 'test_first!\ntest_second~\n');

		// first has a child (second): rmi only untags it, once no container uses it any more.
		await ok(['rm', 'commit_test', 'commit_test2']);
		assert.equal(await ok(['rmi', 'commit_test:first']), 'Untagged: commit_test:first\n');
		assert.equal((await ok(['history', '-q', 'commit_test:second'])).trim().split('\n')[1]!, first.slice(7, 19));
	});

	test('diff and the commit layer match Docker\'s for the same changes', async () => {
		const script = 'echo x > /tmp/new && echo extra >> /etc/passwd && rm /etc/group && mkdir -p /opt/app && echo app > /opt/app/run && ln /opt/app/run /opt/app/link && ln -s /opt/app/run /opt/app/sym && rm -rf /root && mkdir /root && echo h > /root/.profile && chmod 640 /etc/passwd';
		await ok(['run', '--name', 'same', '--network', 'none', 'busybox', 'sh', '-c', script]);
		await dockerd.docker(['run', '--name', 'same', '--network', 'none', 'busybox', 'sh', '-c', script], {check: true});
		// Docker's order is a map's; the lines are the same.
		const ours = (await ok(['diff', 'same'])).trim().split('\n');
		const theirs = (await dockerd.docker(['diff', 'same'], {check: true})).stdout.trim().split('\n');
		assert.deepEqual([...ours].sort(), [...theirs].sort());

		await ok(['commit', 'same', 'same:strata']);
		await dockerd.docker(['commit', 'same', 'same:docker'], {check: true});
		const archive = join(work, 'same-docker.tar');
		await dockerd.docker(['save', '-o', archive, 'same:docker'], {check: true});
		const theirLayer = await listTar(savedLayers(archive).at(-1)!);
		const ourArchive = join(work, 'same-strata.tar');
		await ok(['save', '-o', ourArchive, 'same:strata']);
		const ourLayer = await listTar(savedLayers(ourArchive).at(-1)!);
		// Same entries in the same order, same types, modes and sizes: whiteouts, the opaque marker, the hard
		// link. (Docker 20.10 also puts the file type bits in the mode field, which newer Dockers dropped.)
		const permissions = (entries: TarEntry[]) => entries.map(entry => ({...entry, mode: entry.mode & 0o7777}));
		assert.deepEqual(ourLayer, permissions(theirLayer));
		assert.ok(ourLayer.some(entry => entry.name === 'root/.wh..wh..opq'));
		assert.ok(ourLayer.some(entry => entry.name === 'opt/app/run' && entry.type === 'link'));
	});

	test('strata export loads into Docker with docker import and has the container\'s files', async () => {
		const file = join(work, 'same-export.tar');
		await ok(['export', '-o', file, 'same']);
		const id = (await dockerd.docker(['import', file, 'exported:latest'], {check: true})).stdout.trim();
		assert.match(id, /^sha256:/);
		const run = await dockerd.docker(['run', '--rm', '--network', 'none', 'exported:latest', 'sh', '-c', 'cat /tmp/new /opt/app/run /root/.profile; test -e /etc/group || echo no group'], {check: true});
		assert.equal(run.stdout, 'x\napp\nh\nno group\n');
		const cli = spawnSync(process.execPath, [CLI_PATH, 'export', 'same'], {env: {...process.env, STRATA_ROOT: root}, maxBuffer: 64 << 20});
		assert.equal(cli.status, 0);
		assert.ok(!(await listTar(cli.stdout)).some(entry => entry.name.includes('.wh.')));
	});
});
