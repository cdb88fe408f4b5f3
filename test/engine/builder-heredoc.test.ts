// Heredocs in RUN, COPY and ADD (BuildKit's dockerfile frontend is the reference; Docker 20.10's classic
// builder has none), built by strata on real containers through the built CLI: what runs, the files and
// modes they make, the history text, and the cache (same Dockerfile: all hits; a changed body: a miss).
import assert from 'node:assert/strict';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {ImageConfig} from '../../source/engine/image/types.js';
import {Store} from '../../source/engine/store/store.js';
import {tempDir} from '../support/tmp.js';
import {cleanUpStore, containerRoot, containerSkip, importBusybox, strataIn} from './container-support.js';

const runSteps = `RUN <<EOF
echo one > /one.txt
echo two >> /one.txt
EOF
RUN cat <<A > /a.txt && cat <<-'B' > /b.txt
hello $NAME
A
	literal $NAME
	B
RUN <<EOF
#!/bin/sh
echo "script $0 $NAME" > /script.txt
EOF
`;

const copySteps = `COPY <<EOF /etc/greeting
hello \${NAME} from $WHO
EOF
ADD --chmod=600 <<one <<'two' /notes/
first $NAME
one
second $NAME
two
COPY <<-EOF /tabs.txt
	stripped
EOF
`;

const dockerfile = `FROM busybox
ENV NAME=world
ARG WHO=builder
${runSteps}${copySteps}USER nobody
RUN <<EOF
#!/bin/sh
echo "$(id -u) $0" > /tmp/nobody.txt
EOF
`;

describe('heredocs in RUN, COPY and ADD', {skip: containerSkip, timeout: 600_000}, () => {
	let root: string;
	let strata: ReturnType<typeof strataIn>;
	let busyboxId: string;
	const work = tempDir('strata-heredoc-work');
	const dir = join(work, 'ctx');

	async function ok(args: string[]): Promise<string> {
		const result = await strata(args, {timeoutMs: 240_000});
		assert.equal(result.code, 0, `strata ${args.join(' ')}: ${result.stderr}`);
		return result.stdout;
	}

	const run = (...command: string[]) => ok(['run', '--rm', '--network', 'none', '--user', '0', 'heredoc', ...command]);

	async function history(reference: string): Promise<string[]> {
		const id = await imageId(reference);
		const store = await Store.open(root);
		const config: ImageConfig = await store.config((await store.catalog()).records.get(id as never)!);
		return config.history!.map(entry => entry.created_by ?? '');
	}

	async function imageIds(): Promise<Set<string>> {
		return new Set((await (await Store.open(root)).catalog()).records.keys());
	}

	/** Builds, then says for each step after FROM whether its image came from the cache (existed before). */
	async function buildCached(...args: string[]): Promise<boolean[]> {
		const before = await imageIds();
		await ok(['build', '-t', 'heredoc', ...args, dir]);
		const records = (await (await Store.open(root)).catalog()).records;
		const chain: string[] = [];
		for (let id = records.get((await imageId('heredoc')) as never)!.id; id !== busyboxId; ) {
			chain.unshift(id);
			id = records.get(id as never)!.parent!;
		}
		return chain.map(id => before.has(id));
	}

	async function imageId(reference: string): Promise<string> {
		return (JSON.parse(await ok(['inspect', reference])) as Array<{Id: string}>)[0]!.Id;
	}

	before(async () => {
		root = containerRoot();
		strata = strataIn(root);
		busyboxId = await importBusybox(root);
		mkdirSync(dir, {recursive: true});
		writeFileSync(join(dir, 'Dockerfile'), dockerfile);
	});

	after(() => cleanUpStore(root));

	test('RUN: a lone heredoc, heredocs the shell reads, a #! script (also as a user who cannot write /dev)', {timeout: 300_000}, async () => {
		await ok(['build', '-t', 'heredoc', dir]);
		assert.equal(await run('cat', '/one.txt', '/a.txt', '/b.txt', '/script.txt', '/tmp/nobody.txt'), 'one\ntwo\nhello world\nliteral $NAME\nscript /dev/pipes/EOF world\n65534 /dev/shm/pipes/EOF\n');
		const createdBy = await history('heredoc');
		assert.ok(createdBy.includes('|1 WHO=builder /bin/sh -c echo one > /one.txt\necho two >> /one.txt\n'), JSON.stringify(createdBy));
		assert.ok(createdBy.includes("|1 WHO=builder /bin/sh -c cat <<A > /a.txt && cat <<-'B' > /b.txt\nhello $NAME\nA\n\tliteral $NAME\nB"), JSON.stringify(createdBy));
		// A script's history is the RUN as written, body included: what it ran is a launcher.
		assert.ok(createdBy.includes('|1 WHO=builder /bin/sh -c <<EOF\n#!/bin/sh\necho "script $0 $NAME" > /script.txt\nEOF'), JSON.stringify(createdBy));
	});

	test('COPY/ADD: bodies as files named after the delimiter, expanded unless quoted, <<- stripped, --chmod', {timeout: 120_000}, async () => {
		assert.equal(await run('cat', '/etc/greeting', '/notes/one', '/notes/two', '/tabs.txt'), 'hello world from builder\nfirst world\nsecond $NAME\nstripped\n');
		assert.equal(await run('stat', '-c', '%n %a %u:%g', '/etc/greeting', '/notes/one', '/notes/two', '/tabs.txt'), '/etc/greeting 644 0:0\n/notes/one 600 0:0\n/notes/two 600 0:0\n/tabs.txt 644 0:0\n');
		const createdBy = await history('heredoc');
		assert.ok(createdBy.some(text => /^\/bin\/sh -c #\(nop\) COPY file:[\da-f]{64} in \/etc\/greeting $/.test(text)), JSON.stringify(createdBy));
		assert.ok(createdBy.some(text => /^\/bin\/sh -c #\(nop\) ADD multi:[\da-f]{64} in \/notes\/ $/.test(text)), JSON.stringify(createdBy));
	});

	test('the same Dockerfile again is all cache hits', {timeout: 120_000}, async () => {
		assert.deepEqual(await buildCached(), Array(10).fill(true));
	});

	test('a changed body misses from its step on; a changed build arg reaches the expanded body', {timeout: 300_000}, async () => {
		writeFileSync(join(dir, 'Dockerfile'), dockerfile.replace('echo "script $0 $NAME"', 'echo "changed $0 $NAME"'));
		assert.deepEqual(await buildCached(), [true, true, true, true, false, false, false, false, false, false]);
		assert.equal(await run('cat', '/script.txt'), 'changed /dev/pipes/EOF world\n');
		// The RUNs see WHO in their environment (their history names it), so they miss too.
		assert.deepEqual(await buildCached('--build-arg', 'WHO=someone'), [true, true, false, false, false, false, false, false, false, false]);
		assert.equal(await run('cat', '/etc/greeting'), 'hello world from someone\n');
		writeFileSync(join(dir, 'Dockerfile'), dockerfile.replace('second $NAME', 'second body'));
		assert.deepEqual(await buildCached(), [true, true, true, true, true, true, false, false, false, false]);
		assert.equal(await run('cat', '/notes/two'), 'second body\n');
	});

	test('a failing heredoc RUN names its line and shows the body on one line', {timeout: 120_000}, async () => {
		const failing = join(work, 'failing');
		mkdirSync(failing, {recursive: true});
		writeFileSync(join(failing, 'Dockerfile'), 'FROM busybox\nRUN <<EOF\necho failing\nexit 3\nEOF\n');
		const result = await strata(['build', '-t', 'heredoc-broken', failing], {timeoutMs: 240_000});
		assert.notEqual(result.code, 0);
		assert.match(result.stderr, /^Error: Dockerfile:2: The command '\/bin\/sh -c echo failing\\nexit 3\\n' returned a non-zero code: 3$/m);
	});

	test('a heredoc name that cannot be a file name is refused', {timeout: 60_000}, async () => {
		const bad = join(work, 'bad');
		mkdirSync(bad, {recursive: true});
		writeFileSync(join(bad, 'Dockerfile'), 'FROM busybox\nCOPY <<a/b /x\nbody\na/b\n');
		const result = await strata(['build', bad], {timeoutMs: 120_000});
		assert.notEqual(result.code, 0);
		assert.match(result.stderr, /Dockerfile:2: heredoc <<a\/b cannot be a file name/);
	});
});
