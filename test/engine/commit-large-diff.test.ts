// The shape of the commit benchmark's work, checked for correctness on busybox: a container that wrote
// 2,000 files and deleted a directory commits them all, with the whiteout. Its speed is measured by
// bench/ on the Debian minbase image, not asserted here: tests stay deterministic. Also: a running
// container really is paused while its files are read.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {commitContainer} from '../../source/engine/containers/commit.js';
import {withContainerPaused} from '../../source/engine/containers/commit-pause.js';
import {readContainer} from '../../source/engine/containers/container-store.js';
import {drain} from '../../source/engine/progress.js';
import {Store} from '../../source/engine/store/store.js';
import {containerSkip, eventually, useBusyboxStore, withExitedContainer} from './container-support.js';

const writeAndDelete = 'mkdir /data && i=0 && while [ $i -lt 2000 ]; do echo "file $i" > /data/f$i; i=$((i+1)); done && rm -rf /root';

describe('commit of a large diff', {skip: containerSkip}, () => {
	const context = withExitedContainer('writer', writeAndDelete);

	test('2,000 written files and a deleted directory are all in the committed layer', async t => {
		const diff = await context.strata(['diff', 'writer']);
		assert.equal(diff.stdout.split('\n').filter(line => line.startsWith('A /data/')).length, 2000);
		assert.match(diff.stdout, /^D \/root$/m);
		const store = await Store.open(context.root);
		const timings: number[] = [];
		for (let attempt = 0; attempt < 3; attempt++) {
			const started = performance.now();
			const image = await drain(commitContainer(store, {container: 'writer', reference: `writer:${attempt}`}));
			timings.push(performance.now() - started);
			const layer = await store.layers.index(image.diffIDs.at(-1)!);
			assert.equal(layer.entries.filter(entry => entry.path.startsWith('data/') && entry.type === 'file').length, 2000);
			assert.ok(layer.entries.some(entry => entry.type === 'whiteout' && entry.path === 'root'));
		}
		t.diagnostic(`commit times (ms): ${timings.map(time => time.toFixed(0)).join(', ')} (load average ${spawnSync('cat', ['/proc/loadavg'], {encoding: 'utf8'}).stdout.trim()})`);
	});
});

describe('commit --pause', {skip: containerSkip}, () => {
	const fixture = useBusyboxStore();

	test('a running container is frozen while the commit reads it, and resumed after', async () => {
		const run = await fixture.strata(['run', '-d', '--name', 'live', '--network', 'none', 'busybox', 'sleep', '600']);
		assert.equal(run.code, 0, run.stderr);
		const store = await Store.open(fixture.root);
		const container = await readContainer(store, 'live');
		await eventually(async () => (await readContainer(store, 'live')).state.status === 'running', 15_000, 'live to run');
		const runcState = () => JSON.parse(spawnSync('runc', ['--root', join(fixture.root, 'runtime', 'runc'), 'state', container.record.id], {encoding: 'utf8'}).stdout).status as string;
		const seen = await withContainerPaused(store, await readContainer(store, 'live'), true, () => {}, async () => runcState());
		assert.equal(seen, 'paused');
		assert.equal(runcState(), 'running');
		assert.equal(await withContainerPaused(store, await readContainer(store, 'live'), false, () => {}, async () => runcState()), 'running');
		await fixture.strata(['rm', '-f', 'live']);
	});
});
