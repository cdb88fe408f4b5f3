// `strata build` on real containers (runc), through the built CLI: steps, cache, a failing RUN, multi-stage.
import assert from 'node:assert/strict';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {Digest} from '../../source/engine/digest.js';
import type {ImageConfig} from '../../source/engine/image/types.js';
import {Store} from '../../source/engine/store/store.js';
import {tempDir, writeTree} from '../support/tmp.js';
import {cleanUpStore, containerRoot, containerSkip, importBusybox, strataIn} from './container-support.js';

const appDockerfile = `FROM busybox
ENV GREETING=hi
WORKDIR /app
COPY file.txt .
COPY dir /app/dir/
RUN echo "$GREETING there" > /app/out.txt
CMD ["cat", "/app/out.txt"]
`;

describe('strata build (classic builder) on real containers', {skip: containerSkip, timeout: 300_000}, () => {
	let root: string;
	let strata: ReturnType<typeof strataIn>;
	let busyboxId: string;
	const work = tempDir('strata-build-work');

	async function ok(args: string[]): Promise<string> {
		const result = await strata(args);
		assert.equal(result.code, 0, `strata ${args.join(' ')}: ${result.stderr}`);
		return result.stdout;
	}

	async function imageConfig(reference: string): Promise<{id: Digest; parent?: Digest; config: ImageConfig}> {
		const id = (JSON.parse(await ok(['inspect', reference])) as Array<{Id: Digest}>)[0]!.Id;
		const store = await Store.open(root);
		const record = (await store.catalog()).records.get(id)!;
		return {id, parent: record.parent, config: await store.config(record)};
	}

	const context = (name: string, files: Record<string, string>) => writeTree(join(work, name), files);

	const app = () => join(work, 'app');

	before(async () => {
		root = containerRoot();
		strata = strataIn(root);
		busyboxId = await importBusybox(root);
		context('app', {Dockerfile: appDockerfile, 'file.txt': 'hello\n', 'dir/a': 'a\n', 'dir/sub/b': 'b\n'});
	});

	after(() => cleanUpStore(root));

	test('builds every step: Docker\'s lines, config, files and history', {timeout: 120_000}, async () => {
		const stdout = await ok(['build', '-t', 'busybox-app', app()]);
		const lines = stdout.trim().split('\n');
		assert.equal(lines[0], 'Step 1/7 : FROM busybox');
		assert.equal(lines[1], ` ---> ${busyboxId.slice(7, 19)}`);
		assert.ok(lines.includes('Step 6/7 : RUN echo "$GREETING there" > /app/out.txt'), stdout);
		const running = lines.findIndex(line => /^ ---> Running in [\da-f]{12}$/.test(line));
		assert.ok(running > 0, stdout);
		assert.equal(lines[running + 1], `Removing intermediate container ${lines[running]!.slice(-12)}`);
		const {id, config} = await imageConfig('busybox-app');
		assert.equal(lines.at(-2), `Successfully built ${id.slice(7, 19)}`);
		assert.equal(lines.at(-1), 'Successfully tagged busybox-app:latest');
		assert.deepEqual(config.config?.Cmd, ['cat', '/app/out.txt']);
		assert.equal(config.config?.WorkingDir, '/app');
		assert.ok(config.config?.Env?.includes('GREETING=hi'), JSON.stringify(config.config?.Env));
		assert.equal(await ok(['run', '--rm', '--network', 'none', 'busybox-app']), 'hi there\n');
		assert.equal(await ok(['run', '--rm', '--network', 'none', 'busybox-app', 'cat', '/app/file.txt', '/app/dir/a', '/app/dir/sub/b']), 'hello\na\nb\n');
		const createdBy = config.history!.slice(-6).map(entry => entry.created_by);
		assert.equal(createdBy[0], '/bin/sh -c #(nop)  ENV GREETING=hi');
		assert.equal(createdBy[1], '/bin/sh -c #(nop) WORKDIR /app');
		assert.match(createdBy[2]!, /^\/bin\/sh -c #\(nop\) COPY file:[\da-f]{64} in \. $/);
		assert.match(createdBy[3]!, /^\/bin\/sh -c #\(nop\) COPY dir:[\da-f]{64} in \/app\/dir\/ $/);
		assert.equal(createdBy[4], '/bin/sh -c echo "$GREETING there" > /app/out.txt');
		assert.equal(createdBy[5], '/bin/sh -c #(nop)  CMD ["cat" "/app/out.txt"]');
		// WORKDIR /app made the directory: a layer, as Docker 20.10 commits it.
		assert.deepEqual(config.history!.slice(-6).map(entry => entry.empty_layer ?? false), [true, false, false, false, false, true]);
		assert.equal(config.rootfs.diff_ids.length, 5);
	});

	test('a rebuild takes every step from the cache', {timeout: 60_000}, async () => {
		const before = await imageConfig('busybox-app');
		const stdout = await ok(['build', '-t', 'busybox-app', app()]);
		assert.equal(stdout.split('\n').filter(line => line === ' ---> Using cache').length, 6, stdout);
		assert.ok(!stdout.includes('Running in'), stdout);
		assert.equal((await imageConfig('busybox-app')).id, before.id);
	});

	test('changed content of a copied file rebuilds from its step', {timeout: 120_000}, async () => {
		writeFileSync(join(app(), 'dir', 'a'), 'A\n');
		const stdout = await ok(['build', '-t', 'busybox-app', app()]);
		const steps = stdout.split('Step ').slice(1);
		assert.deepEqual(steps.map(step => step.includes(' ---> Using cache')), [false, true, true, true, false, false, false]);
		assert.equal(await ok(['run', '--rm', '--network', 'none', 'busybox-app', 'cat', '/app/dir/a']), 'A\n');
	});

	test('a failing RUN names its line, exits non-zero and tags nothing', {timeout: 60_000}, async () => {
		const dir = context('failing', {Dockerfile: 'FROM busybox\nRUN echo before\nRUN exit 3\nCMD ["true"]\n'});
		const result = await strata(['build', '-t', 'broken', dir]);
		assert.notEqual(result.code, 0);
		assert.match(result.stderr, /Dockerfile:3: .*returned a non-zero code: 3/);
		assert.match(result.stdout, /^before$/m);
		assert.notEqual((await strata(['inspect', 'broken'])).code, 0);
	});

	test('multi-stage: COPY --from an earlier stage, and --target', {timeout: 120_000}, async () => {
		const dir = context('multi', {
			Dockerfile: 'FROM busybox AS builder\nRUN mkdir /out && echo built > /out/artifact\n\nFROM busybox\nCOPY --from=builder /out/artifact /artifact\nCMD ["cat", "/artifact"]\n',
		});
		await ok(['build', '-t', 'multi', dir]);
		assert.equal(await ok(['run', '--rm', '--network', 'none', 'multi']), 'built\n');
		const {config} = await imageConfig('multi');
		assert.match(config.history!.at(-2)!.created_by!, /^\/bin\/sh -c #\(nop\) COPY file:[\da-f]{64} in \/artifact $/);
		const stdout = await ok(['build', '--target', 'builder', '-t', 'multi:builder', dir]);
		assert.ok(stdout.startsWith('Step 1/2 : FROM busybox AS builder'), stdout);
		assert.equal(await ok(['run', '--rm', '--network', 'none', 'multi:builder', 'cat', '/out/artifact']), 'built\n');
	});

	test('multi-stage: a scratch stage gets only the files copied into it', {timeout: 120_000}, async () => {
		const dir = context('scratch', {
			Dockerfile: 'FROM busybox\nWORKDIR /made/x\nRUN touch here\nFROM scratch\nCOPY --from=0 /made /copied\nFROM busybox\nCOPY --from=1 / /s/\nCMD ["find", "/s"]\n',
		});
		await ok(['build', '-t', 'scratchy', dir]);
		assert.equal(await ok(['run', '--rm', '--network', 'none', 'scratchy']), '/s\n/s/copied\n/s/copied/x\n/s/copied/x/here\n');
		const stdout = await ok(['build', '-t', 'scratchy', dir]);
		assert.equal(stdout.split('\n').filter(line => line === ' ---> Using cache').length, 5, stdout);
	});

	test('ARG and --build-arg, COPY --chown/--chmod, --label, -q and --iidfile', {timeout: 120_000}, async () => {
		const dir = context('args', {
			Dockerfile: 'FROM busybox\nARG VERSION=1\nCOPY --chown=nobody:nogroup --chmod=700 f /opt/\nCOPY --chown=5:6 f /opt/g\nRUN echo "v=$VERSION" > /v\nUSER nobody\nCMD ["sh", "-c", "cat /v; ls -ln /opt; id -u"]\n',
			f: 'x\n',
		});
		const iidfile = join(work, 'iid');
		const stdout = await ok(['build', '-q', '--iidfile', iidfile, '--build-arg', 'VERSION=2', '--label', 'team=a', '--network', 'none', dir]);
		assert.match(stdout, /^sha256:[\da-f]{64}\n$/);
		assert.equal(readFileSync(iidfile, 'utf8'), stdout.trim());
		const output = await ok(['run', '--rm', '--network', 'none', stdout.trim()]);
		assert.match(output, /^v=2\n/);
		assert.match(output, /-rwx------ +1 65534 +65534 +2 .* f\n/);
		assert.match(output, /-rw-r--r-- +1 5 +6 +2 .* g\n/);
		assert.match(output, /\n65534\n$/);
		const {config} = await imageConfig(stdout.trim());
		assert.deepEqual(config.config?.Labels, {team: 'a'});
		assert.ok(config.history!.some(entry => entry.created_by === '|1 VERSION=2 /bin/sh -c echo "v=$VERSION" > /v'), JSON.stringify(config.history));
		assert.ok(config.history!.some(entry => entry.created_by === '/bin/sh -c #(nop)  ARG VERSION=1'));
	});

	test('-f - reads the Dockerfile from stdin', {timeout: 60_000}, async () => {
		const dir = context('stdin', {'note.txt': 'n\n'});
		const result = await strata(['build', '-f', '-', '-t', 'from-stdin', dir], {input: 'FROM busybox\nCOPY note.txt /\nCMD ["cat", "/note.txt"]\n'});
		assert.equal(result.code, 0, result.stderr);
		assert.equal(await ok(['run', '--rm', '--network', 'none', 'from-stdin']), 'n\n');
	});
});
