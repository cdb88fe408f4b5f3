// diff, commit, cp and export on real containers (the real runtime: runc, overlay or copy driver), through
// the built CLI, with the store read back directly to check what commit wrote.
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {createReadStream, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {after, before, describe, test} from 'node:test';
import tarStream from 'tar-stream';
import type {Digest} from '../../source/engine/digest.js';
import type {ImageConfig} from '../../source/engine/image/types.js';
import {extractLayer} from '../../source/engine/layer/safe-extract.js';
import {Store} from '../../source/engine/store/store.js';
import {CLI_PATH, tempDir} from '../support/tmp.js';
import {cleanUpStore, containerRoot, containerSkip, eventually, importBusybox, strataIn} from './container-support.js';

type TarEntry = {name: string; type: string; mode: number; size: number; linkname?: string | null; content?: string};

async function listTar(stream: Readable, withContent = false): Promise<TarEntry[]> {
	const entries: TarEntry[] = [];
	const extract = tarStream.extract();
	const done = new Promise<void>((resolve, reject) => {
		extract.on('entry', (header, content, next) => {
			const chunks: Buffer[] = [];
			content.on('data', (chunk: Buffer) => {
				if (withContent) chunks.push(chunk);
			});
			content.on('end', () => {
				entries.push({name: header.name, type: header.type ?? 'file', mode: header.mode ?? 0, size: header.size ?? 0, linkname: header.linkname, ...(withContent ? {content: Buffer.concat(chunks).toString()} : {})});
				next();
			});
		});
		extract.on('finish', resolve);
		extract.on('error', reject);
	});
	stream.pipe(extract);
	await done;
	return entries;
}

/** Type, mode, owner, size, link target and content hash of everything under `dir`. */
function treeListing(dir: string, skip: RegExp): string[] {
	const out = spawnSync('sh', ['-c', `find . -mindepth 1 -printf '%P %y %m %U:%G %s %l\\n' | sort; find . -type f -exec sha256sum {} + | sort -k2`], {cwd: dir, encoding: 'utf8'}).stdout;
	return out.split('\n').filter(line => line !== '' && !skip.test(line));
}

describe('diff, commit, cp and export on real containers', {skip: containerSkip}, () => {
	let root: string;
	let strata: ReturnType<typeof strataIn>;
	let busyboxId: string;
	const work = tempDir('strata-commit-work');

	async function ok(args: string[], options: {env?: NodeJS.ProcessEnv; input?: string} = {}): Promise<string> {
		const result = await strata(args, options);
		assert.equal(result.code, 0, `strata ${args.join(' ')}: ${result.stderr}`);
		return result.stdout;
	}

	async function inspect(name: string): Promise<{Id: string; State?: {Status: string}}> {
		return (JSON.parse(await ok(['inspect', name])) as Array<{Id: string; State?: {Status: string}}>)[0]!;
	}

	async function storeImage(reference: string): Promise<{config: ImageConfig; record: {id: Digest; parent?: Digest; diffIDs: Digest[]}; store: Store}> {
		const store = await Store.open(root);
		const id = (await inspect(reference)).Id as Digest;
		const record = (await store.catalog()).records.get(id)!;
		return {config: await store.config(record), record, store};
	}

	const changes = 'echo x > /tmp/new && echo extra >> /etc/passwd && rm /etc/group && mkdir -p /opt/app && echo app > /opt/app/run && rm -rf /root && mkdir /root && echo h > /root/.profile && echo 1.2.3.4 foo >> /etc/hosts && : > /.dockerenv';
	// What Docker's `docker diff` prints for the same script on the same busybox (checked in test/interop/commit.test.ts).
	const expectedDiff = ['C /etc', 'D /etc/group', 'C /etc/passwd', 'A /opt', 'A /opt/app', 'A /opt/app/run', 'C /root', 'A /root/.profile', 'C /tmp', 'A /tmp/new'];

	before(async () => {
		root = containerRoot();
		strata = strataIn(root);
		busyboxId = await importBusybox(root);
		await ok(['run', '--name', 'c1', '--network', 'none', 'busybox', 'sh', '-c', changes]);
		await ok(['run', '--name', 'k1', '--network', 'none', 'busybox', 'sh', '-c', changes], {env: {STRATA_DRIVER: 'copy'}});
	});

	after(() => cleanUpStore(root));

	test('diff: Docker\'s A/C/D lines, on overlay and on the copy driver', async () => {
		assert.equal(JSON.parse(readFileSync(join(root, 'containers', (await inspect('c1')).Id, 'container.json'), 'utf8')).driver, 'overlay');
		assert.equal(JSON.parse(readFileSync(join(root, 'containers', (await inspect('k1')).Id, 'container.json'), 'utf8')).driver, 'copy');
		assert.deepEqual((await ok(['diff', 'c1'])).trim().split('\n'), expectedDiff);
		assert.deepEqual((await ok(['container', 'diff', 'k1'])).trim().split('\n'), expectedDiff);
	});

	test('commit: a new layer with the changes, config with --change, history, parent', async () => {
		const stdout = await ok(['commit', '-a', 'Ann <ann@example.com>', '-m', 'my commit', '-c', 'ENV A=1', '-c', 'CMD ["cat", "/tmp/new"]', 'c1', 'c1:v1']);
		assert.match(stdout, /^sha256:[\da-f]{64}\n$/);
		const {config, record, store} = await storeImage('c1:v1');
		assert.equal(record.id, stdout.trim());
		assert.equal(record.parent, busyboxId);
		assert.equal(config.rootfs.diff_ids.length, 2);
		assert.deepEqual(config.config?.Cmd, ['cat', '/tmp/new']);
		assert.ok(config.config?.Env?.includes('A=1'), JSON.stringify(config.config?.Env));
		assert.equal(config.author, 'Ann <ann@example.com>');
		assert.deepEqual(config.history?.at(-1), {created: config.created, author: 'Ann <ann@example.com>', created_by: `sh -c ${changes}`, comment: 'my commit'});
		// The layer: Docker's overlay2 conversion of the upper dir, init files left out.
		const entries = await listTar(createReadStream(store.blobs.path(config.rootfs.diff_ids[1]!)));
		const names = entries.map(entry => entry.name);
		assert.deepEqual(names, ['etc/', 'etc/.wh.group', 'etc/passwd', 'opt/', 'opt/app/', 'opt/app/run', 'root/', 'root/.wh..wh..opq', 'root/.profile', 'tmp/', 'tmp/new']);
		// The image runs with the committed files and settings.
		assert.equal(await ok(['run', '--rm', '--network', 'none', 'c1:v1']), 'x\n');
		assert.equal(await ok(['run', '--rm', '--network', 'none', 'c1:v1', 'sh', '-c', 'echo $A']), '1\n');
		assert.equal(await ok(['run', '--rm', '--network', 'none', 'c1:v1', 'ls', '/etc']), 'hostname\nhosts\npasswd\nresolv.conf\n');
		assert.equal(await ok(['run', '--rm', '--network', 'none', 'c1:v1', 'cat', '/root/.profile']), 'h\n');
	});

	test('commit: the image\'s layers applied in order give the container\'s file system (export agrees)', async () => {
		for (const container of ['c1', 'k1']) {
			const reference = `${container}:applied`;
			await ok(['commit', container, reference]);
			const {config, store} = await storeImage(reference);
			const applied = join(work, `${container}-applied`);
			mkdirSync(applied);
			for (const diffID of config.rootfs.diff_ids) await extractLayer(createReadStream(store.blobs.path(diffID)), applied, diffID);
			await ok(['export', '-o', join(work, `${container}.tar`), container]);
			const exported = join(work, `${container}-exported`);
			mkdirSync(exported);
			spawnSync('tar', ['-xf', join(work, `${container}.tar`), '-C', exported], {stdio: 'inherit'});
			// The runtime's mount points are in the container's view, never in the image.
			const runtimeFiles = /(^|\.\/)(etc\/(hosts|hostname|resolv\.conf)|\.dockerenv)( |$)/;
			assert.deepEqual(treeListing(applied, runtimeFiles), treeListing(exported, runtimeFiles));
			assert.ok(!readdirSync(join(applied, 'etc')).includes('group'));
		}
	});

	test('commit: nothing changed adds no layer, only a history entry', async () => {
		await ok(['create', '--name', 'unchanged', 'busybox', 'true']);
		await ok(['commit', 'unchanged', 'unchanged:v1']);
		const {config, record} = await storeImage('unchanged:v1');
		assert.equal(record.parent, busyboxId);
		assert.equal(config.rootfs.diff_ids.length, 1);
		assert.deepEqual(config.history?.at(-1), {created: config.created, created_by: 'true', empty_layer: true});
		const history = (await ok(['history', 'unchanged:v1'])).trim().split('\n');
		assert.equal(history.length, 3);
		assert.match(history[1]!, /true\s+0B\s*$/);
	});

	test('commit: a running container is paused while its files are read, and runs on', async () => {
		await ok(['run', '-d', '--name', 'r1', '--network', 'none', 'busybox', 'sh', '-c', 'echo started > /tmp/r; exec sleep 600']);
		try {
			await eventually(async () => (await strata(['exec', 'r1', 'cat', '/tmp/r'])).stdout === 'started\n', 15_000, 'r1 to start');
			for (const flags of [[], ['--no-pause'], ['-p']]) {
				const id = (await ok(['commit', ...flags, 'r1'])).trim();
				assert.match(id, /^sha256:/);
			}
			assert.equal((await inspect('r1')).State?.Status, 'running');
			assert.equal(await ok(['exec', 'r1', 'cat', '/tmp/r']), 'started\n');
			const runc = spawnSync('runc', ['--root', join(root, 'runtime', 'runc'), 'state', (await inspect('r1')).Id], {encoding: 'utf8'});
			assert.equal(JSON.parse(runc.stdout).status, 'running');
		} finally {
			await strata(['rm', '-f', 'r1']);
		}
	});

	test('cp: both ways, into directories, /. contents, tar streams, and Docker\'s errors', async () => {
		await ok(['create', '--name', 'cp1', '--network', 'none', 'busybox', 'true']);
		const host = join(work, 'cp');
		mkdirSync(join(host, 'dir', 'sub'), {recursive: true});
		writeFileSync(join(host, 'file.txt'), 'hello\n');
		writeFileSync(join(host, 'dir', 'sub', 'f'), 'f\n');
		// Host to container: into a directory, renamed, a new directory, into an existing one, contents only.
		await ok(['cp', join(host, 'file.txt'), 'cp1:/tmp/']);
		await ok(['cp', join(host, 'file.txt'), 'cp1:/tmp/renamed.txt']);
		await ok(['cp', join(host, 'dir'), 'cp1:/opt']);
		await ok(['cp', join(host, 'dir'), 'cp1:/root']);
		await ok(['cp', `${join(host, 'dir')}/.`, 'cp1:/tmp']);
		assert.deepEqual((await ok(['diff', 'cp1'])).trim().split('\n'), [
			'A /opt', 'A /opt/sub', 'A /opt/sub/f', 'C /root', 'A /root/dir', 'A /root/dir/sub', 'A /root/dir/sub/f',
			'C /tmp', 'A /tmp/file.txt', 'A /tmp/renamed.txt', 'A /tmp/sub', 'A /tmp/sub/f',
		]);
		// Merging a directory's contents leaves the existing directory as it was (/tmp keeps its sticky bit).
		assert.equal((await ok(['run', '--rm', '--network', 'none', '--entrypoint', 'stat', (await ok(['commit', 'cp1'])).trim(), '-c', '%a', '/tmp'])).trim(), '1777');
		// Container to host.
		await ok(['cp', 'cp1:/tmp/file.txt', join(host, 'back.txt')]);
		assert.equal(readFileSync(join(host, 'back.txt'), 'utf8'), 'hello\n');
		await ok(['cp', 'cp1:/opt', join(host, 'opt-copy')]);
		assert.equal(readFileSync(join(host, 'opt-copy', 'sub', 'f'), 'utf8'), 'f\n');
		await ok(['cp', 'cp1:/etc/passwd', host]);
		assert.match(readFileSync(join(host, 'passwd'), 'utf8'), /^root:x:0:0/);
		// A symlink is copied as a link; -L copies its target.
		await ok(['cp', 'cp1:/bin/sh', join(host, 'sh-link')]);
		assert.equal(spawnSync('readlink', [join(host, 'sh-link')], {encoding: 'utf8'}).stdout, 'busybox\n');
		await ok(['cp', '-L', 'cp1:/bin/sh', join(host, 'sh-binary')]);
		assert.equal(statSync(join(host, 'sh-binary')).size, statSync('/bin/busybox').size);
		// A tar on stdout, and back in from stdin.
		const env = {...process.env, STRATA_ROOT: root};
		const tar = spawnSync(process.execPath, [CLI_PATH, 'cp', 'cp1:/opt', '-'], {env});
		assert.equal(tar.status, 0, tar.stderr.toString());
		assert.deepEqual((await listTar(Readable.from([tar.stdout]), true)).map(entry => `${entry.name} ${entry.content ?? ''}`), ['opt/ ', 'opt/sub/ ', 'opt/sub/f f\n']);
		const fromStdin = spawnSync(process.execPath, [CLI_PATH, 'cp', '-', 'cp1:/root'], {env, input: tar.stdout});
		assert.equal(fromStdin.status, 0, fromStdin.stderr.toString());
		await ok(['cp', 'cp1:/root/opt/sub/f', join(host, 'f-from-tar')]);
		assert.equal(readFileSync(join(host, 'f-from-tar'), 'utf8'), 'f\n');
		// Docker's errors, word for word.
		const failures: Array<[string[], string]> = [
			[['cp1:/nope', host], 'Error: Could not find the file /nope in container cp1\n'],
			[[join(host, 'nope'), 'cp1:/tmp'], `Error: lstat ${join(host, 'nope')}: no such file or directory\n`],
			[[join(host, 'file.txt'), 'cp1:/no/such/'], 'Error: no such directory\n'],
			[[join(host, 'file.txt'), 'cp1:/no/such'], 'Error: Could not find the file /no in container cp1\n'],
			[[join(host, 'dir'), 'cp1:/tmp/file.txt'], 'Error: cannot copy directory\n'],
			[['a', 'b'], 'Error: must specify at least one container source\n'],
			[['cp1:/a', 'cp1:/b'], 'Error: copying between containers is not supported\n'],
			[['nosuch:/a', host], 'Error: No such container: nosuch\n'],
		];
		for (const [args, message] of failures) {
			const result = await strata(['cp', ...args]);
			assert.deepEqual([result.code, result.stderr], [1, message], args.join(' '));
		}
	});

	test('cp into a running container: it sees the file at once', async () => {
		await ok(['run', '-d', '--name', 'cpr', '--network', 'none', 'busybox', 'sleep', '600']);
		try {
			const file = join(work, 'live.txt');
			writeFileSync(file, 'live\n');
			await ok(['cp', file, 'cpr:/tmp/live.txt']);
			assert.equal(await ok(['exec', 'cpr', 'cat', '/tmp/live.txt']), 'live\n');
			await ok(['exec', 'cpr', 'sh', '-c', 'echo from-inside > /tmp/inside']);
			await ok(['cp', 'cpr:/tmp/inside', join(work, 'inside')]);
			assert.equal(readFileSync(join(work, 'inside'), 'utf8'), 'from-inside\n');
		} finally {
			await strata(['rm', '-f', 'cpr']);
		}
	});

	test('cp into a container never writes through its symlinks onto the host', async () => {
		const outside = join(work, 'outside');
		mkdirSync(outside);
		// Links to a host path: inside the container they lead to a path it does not have.
		await ok(['run', '--name', 'evil', '--network', 'none', 'busybox', 'sh', '-c', `ln -s ${outside} /tmp/escape && ln -s ${outside}/victim /tmp/victim && mkdir /inside && ln -s /inside /tmp/in && ln -s ../../inside/x /tmp/rel`]);
		const file = join(work, 'payload');
		writeFileSync(file, 'payload\n');
		assert.equal((await strata(['cp', file, 'evil:/tmp/escape/'])).stderr, 'Error: no such directory\n');
		assert.equal((await strata(['cp', file, 'evil:/tmp/victim'])).stderr, `Error: Could not find the file ${outside} in container evil\n`);
		// Links inside the container are followed as the container follows them.
		await ok(['cp', file, 'evil:/tmp/in/']);
		await ok(['cp', file, 'evil:/tmp/rel']);
		assert.deepEqual(readdirSync(outside), []);
		assert.deepEqual((await ok(['diff', 'evil'])).trim().split('\n').filter(line => line.includes('/inside')), ['A /inside', 'A /inside/payload', 'A /inside/x']);
	});

	test('export: the container\'s merged file system, to a file or stdout', async () => {
		const file = join(work, 'c1-export.tar');
		await ok(['export', '-o', file, 'c1']);
		const names = (await listTar(createReadStream(file))).map(entry => entry.name);
		for (const name of ['tmp/new', 'opt/app/run', 'root/.profile', 'etc/passwd', 'bin/busybox']) assert.ok(names.includes(name), name);
		for (const name of ['etc/group', 'root/.wh..wh..opq']) assert.ok(!names.includes(name), name);
		assert.ok(!names.some(name => name.includes('.wh.')));
		const piped = spawnSync(process.execPath, [CLI_PATH, 'export', 'c1'], {env: {...process.env, STRATA_ROOT: root}, maxBuffer: 64 << 20});
		assert.equal(piped.status, 0, piped.stderr.toString());
		assert.deepEqual(piped.stdout, readFileSync(file));
		const missing = await strata(['export', '-o', file, 'nosuch']);
		assert.deepEqual([missing.code, missing.stderr], [1, 'Error: No such container: nosuch\n']);
	});

	test('faults: a missing or removed container; a bad reference or change costs nothing', async () => {
		await ok(['create', '--name', 'gone', 'busybox', 'true']);
		await ok(['rm', 'gone']);
		for (const name of ['gone', 'nosuch']) {
			const result = await strata(['commit', name, 'x:y']);
			assert.deepEqual([result.code, result.stderr], [1, `Error: No such container: ${name}\n`]);
		}
		const badReference = await strata(['commit', 'c1', 'Bad:Ref']);
		assert.equal(badReference.code, 1);
		assert.match(badReference.stderr, /^Error: invalid reference format/);
		const badChange = await strata(['commit', '-c', 'RUN true', 'c1']);
		assert.equal(badChange.code, 1);
		assert.match(badChange.stderr, /RUN is not a valid change instruction/);
	});

	test('faults: a commit killed midway leaves the store as it was; the next one works', async () => {
		// A big file makes the commit take long enough to be killed while it streams the layer.
		await ok(['run', '--name', 'big', '--network', 'none', 'busybox', 'sh', '-c', 'dd if=/dev/urandom of=/big bs=1M count=300 2>/dev/null']);
		const before = await ok(['images', '--no-trunc', '-q']);
		const store = await Store.open(root);
		const blobsBefore = readdirSync(store.paths.blobs).sort();
		const child = spawn(process.execPath, [CLI_PATH, 'commit', 'big', 'big:v1'], {env: {...process.env, STRATA_ROOT: root}, stdio: 'ignore'});
		await eventually(() => readdirSync(store.paths.tmp).some(name => name.includes(String(child.pid))) || child.exitCode !== null, 30_000, 'the commit to start writing');
		child.kill('SIGKILL');
		await new Promise(resolve => child.once('exit', resolve));
		assert.equal(await ok(['images', '--no-trunc', '-q']), before);
		const id = (await ok(['commit', 'big', 'big:v1'])).trim();
		assert.match(await ok(['images', 'big']), /big\s+v1/);
		// The dead commit's temp file was swept; only the new image's blobs were added.
		assert.deepEqual(readdirSync(store.paths.tmp).filter(name => name.includes(String(child.pid))), []);
		const added = readdirSync(store.paths.blobs).filter(name => !blobsBefore.includes(name));
		const {config} = await storeImage('big:v1');
		assert.equal(`sha256:${added.find(name => `sha256:${name}` === id)}`, id);
		assert.equal(added.length, 3, 'config, manifest, layer');
		assert.ok(added.includes(config.rootfs.diff_ids.at(-1)!.slice(7)));
	});
});
