// The build engine on real containers (runc), driven directly: its structured events, independent stages
// running at the same time, cancelling a running RUN, and in-process store writes queued, not timed out.
import assert from 'node:assert/strict';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {BuildEvent} from '../../source/engine/builder/build-events.js';
import {buildImage, type BuildOptions} from '../../source/engine/builder/executor/build-image.js';
import {listContainers} from '../../source/engine/containers/container-store.js';
import {StrataError} from '../../source/engine/errors.js';
import {drain} from '../../source/engine/progress.js';
import {Store} from '../../source/engine/store/store.js';
import {tempDir, writeTree} from '../support/tmp.js';
import {cleanUpStore, containerRoot, containerSkip, importBusybox} from './container-support.js';

/** Builds with the engine; returns the build events (and the result, or the error it ended with). */
async function build(store: Store, options: BuildOptions, onEvent: (event: BuildEvent) => void = () => {}) {
	const events: BuildEvent[] = [];
	try {
		const result = await drain(buildImage(store, options), event => {
			assert.equal(event.kind, 'build', 'a build emits only build events');
			if (event.kind !== 'build') return;
			events.push(event.event);
			onEvent(event.event);
		});
		return {events, result};
	} catch (error) {
		return {events, error};
	}
}

/**
 * An HTTP server where `/a` and `/b` meet: each request is answered only once the other has arrived, so
 * two RUN steps that fetch them both finish only when they run at the same time. Run one after the
 * other, the first waits until `boundMs`, gets a 504 and fails the build.
 */
function rendezvous(boundMs: number): Promise<Server> {
	const waiting = new Map<string, () => void>();
	const server = createServer((request, response) => {
		const name = request.url ?? '';
		const answer = (status: number) => response.writeHead(status).end(`${name}\n`);
		const other = waiting.get(name === '/a' ? '/b' : '/a');
		if (other) {
			other();
			answer(200);
			return;
		}
		const timer = setTimeout(() => answer(504), boundMs);
		waiting.set(name, () => {
			clearTimeout(timer);
			answer(200);
		});
	});
	return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('build engine: events, concurrent stages, cancel', {skip: containerSkip, timeout: 600_000}, () => {
	let root: string;
	let store: Store;
	let busyboxId: string;
	const work = tempDir('strata-build-events');

	const context = (name: string, files: Record<string, string>) => writeTree(join(work, name), files);

	before(async () => {
		root = containerRoot();
		busyboxId = await importBusybox(root);
		store = await Store.open(root);
	});

	after(() => cleanUpStore(root));

	test('structured events: the plan numbered across stages, each step started, its output, done with its layer size, then cached', {timeout: 180_000}, async () => {
		const dir = context('events', {
			Dockerfile: 'FROM busybox AS tools\nRUN echo made | tee /made && echo to-stderr >&2\nFROM scratch AS unused\nFROM busybox\nENV A=1\nCOPY --from=tools /made /made\nCMD ["cat", "/made"]\n',
		});
		const first = await build(store, {contextDir: dir, tags: ['events:1'], network: 'none', pull: true});
		assert.equal(first.error, undefined, String(first.error));
		const [plan, note] = first.events;
		assert.deepEqual(plan, {
			type: 'plan',
			file: 'Dockerfile',
			steps: [
				{number: 1, stage: 0, stageName: 'tools', text: 'FROM busybox AS tools', line: 1},
				{number: 2, stage: 0, stageName: 'tools', text: 'RUN echo made | tee /made && echo to-stderr >&2', line: 2},
				{number: 3, stage: 2, text: 'FROM busybox', line: 4},
				{number: 4, stage: 2, text: 'ENV A=1', line: 5},
				{number: 5, stage: 2, text: 'COPY --from=tools /made /made', line: 6},
				{number: 6, stage: 2, text: 'CMD ["cat", "/made"]', line: 7},
			],
			stages: [
				{index: 0, name: 'tools', steps: [1, 2], dependsOn: []},
				{index: 2, steps: [3, 4, 5, 6], dependsOn: [0]},
			],
		});
		assert.deepEqual(note, {type: 'note', message: '--pull: strata builds from local images only; nothing pulled'});
		const of = (step: number) => first.events.filter(event => 'step' in event && event.step === step);
		assert.deepEqual(of(1).map(event => event.type), ['step-started', 'step-done']);
		assert.deepEqual(of(1)[1], {...of(1)[1], imageId: busyboxId, layerSize: 0});
		const run = of(2);
		assert.deepEqual(run.map(event => event.type), ['step-started', 'step-container', 'step-output', 'step-output', 'step-done']);
		assert.match((run[1] as {containerId: string}).containerId, /^[\da-f]{64}$/);
		assert.deepEqual(run.filter(event => event.type === 'step-output').map(event => event.type === 'step-output' && `${event.stream}:${event.line}`).sort(), ['stderr:to-stderr', 'stdout:made']);
		const runDone = run[4] as Extract<BuildEvent, {type: 'step-done'}>;
		assert.ok(runDone.layerSize > 0 && runDone.durationMs >= 0, JSON.stringify(runDone));
		assert.equal((of(4)[1] as Extract<BuildEvent, {type: 'step-done'}>).layerSize, 0);
		const copyDone = of(5)[1] as Extract<BuildEvent, {type: 'step-done'}>;
		// Docker's layer size (docker history's SIZE): the content's bytes, here the one file `made\n`.
		assert.equal(copyDone.layerSize, 5, JSON.stringify(copyDone));
		assert.equal((of(6)[1] as {imageId: string}).imageId, first.result!.id);

		const again = await build(store, {contextDir: dir, tags: ['events:1'], network: 'none'});
		assert.deepEqual(again.events.filter(event => event.type === 'step-cached').map(event => 'step' in event && event.step), [2, 4, 5, 6]);
		assert.equal(again.result!.id, first.result!.id);
	});

	test('independent stages run at the same time (each RUN waits for the other one)', {timeout: 400_000}, async () => {
		const server = await rendezvous(240_000);
		try {
			const port = (server.address() as AddressInfo).port;
			const stage = (name: string) => `FROM busybox AS ${name}\nARG PORT\nRUN wget -q -O /${name} http://127.0.0.1:$PORT/${name}\n`;
			const dir = context('concurrent', {Dockerfile: `${stage('a')}${stage('b')}FROM busybox\nCOPY --from=a /a /a\nCOPY --from=b /b /b\nCMD ["cat", "/a", "/b"]\n`});
			const started: number[] = [];
			const {events, result, error} = await build(store, {contextDir: dir, tags: ['concurrent'], network: 'host', noCache: true, buildArgs: {PORT: String(port)}}, event => {
				if (event.type === 'step-started') started.push(event.step);
			});
			assert.equal(error, undefined, `${String(error)}: the stages did not run at the same time`);
			// b's RUN (step 6) started before a's RUN (step 3) ended.
			const aDone = events.findIndex(event => event.type === 'step-done' && event.step === 3);
			const bStarted = events.findIndex(event => event.type === 'step-started' && event.step === 6);
			assert.ok(bStarted < aDone, JSON.stringify(events.map(event => event.type)));
			const config = await store.config((await store.catalog()).records.get(result!.id)!);
			assert.deepEqual(config.config?.Cmd, ['cat', '/a', '/b']);
		} finally {
			server.close();
		}
	});

	test('cancel mid-RUN: the container is killed and removed, the step fails as cancelled, nothing is tagged, earlier steps stay as cache', {timeout: 300_000}, async () => {
		const dir = context('cancel', {Dockerfile: 'FROM busybox\nRUN echo one > /one\nRUN echo started && sleep 600\nCMD ["true"]\n'});
		const controller = new AbortController();
		const {events, error} = await build(store, {contextDir: dir, tags: ['cancelled'], network: 'none', signal: controller.signal}, event => {
			if (event.type === 'step-output' && event.line === 'started') controller.abort();
		});
		assert.ok(error instanceof StrataError && error.message === 'build cancelled', String(error));
		assert.deepEqual(events.at(-1), {type: 'step-failed', step: 3, message: 'cancelled'});
		assert.ok(!events.some(event => event.type === 'step-started' && event.step === 4));
		const catalog = await store.catalog();
		assert.equal(catalog.tags.has('docker.io/library/cancelled:latest'), false);
		assert.deepEqual(await listContainers(store), []);
		const stepTwo = events.find(event => event.type === 'step-done' && event.step === 2) as Extract<BuildEvent, {type: 'step-done'}>;
		assert.ok(catalog.records.has(stepTwo.imageId!), 'the finished step\'s image is kept as cache');
		const rebuilt = await build(store, {contextDir: dir, network: 'none', signal: AbortSignal.abort()});
		assert.ok(rebuilt.error instanceof StrataError && rebuilt.error.message === 'build cancelled', String(rebuilt.error));
	});

	test('concurrent writes of one process queue for the store, past the lock timeout', {timeout: 60_000}, async () => {
		process.env.STRATA_LOCK_TIMEOUT_MS = '300';
		try {
			const slow = store.write('test', async tx => {
				await new Promise(resolve => setTimeout(resolve, 1500));
				tx.setTag('docker.io/library/queued:slow', busyboxId as never);
			});
			const quick = Array.from({length: 5}, (_, index) => store.write('test', async tx => tx.setTag(`docker.io/library/queued:${index}`, busyboxId as never)));
			await Promise.all([slow, ...quick]);
		} finally {
			delete process.env.STRATA_LOCK_TIMEOUT_MS;
		}
		const tags = [...(await store.catalog()).tags.keys()].filter(tag => tag.startsWith('docker.io/library/queued:'));
		assert.equal(tags.length, 6);
	});
});
