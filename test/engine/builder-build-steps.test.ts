// The build executor's pure pieces (no containers): config steps and their history text, RUN's history
// text, COPY's destination rules and layer entries, the cache's config comparison.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Readable} from 'node:stream';
import {describe, test} from 'node:test';
import tarStream from 'tar-stream';
import {loadBuildContext} from '../../source/engine/builder/context/build-context.js';
import {resolveCopySources, type ContextSource} from '../../source/engine/builder/context/copy-sources.js';
import {BuildArgs} from '../../source/engine/builder/dockerfile/build-args.js';
import {parseDockerfile} from '../../source/engine/builder/dockerfile/parse-dockerfile.js';
import {scratchConfig, type StageState} from '../../source/engine/builder/executor/build-state.js';
import {configStep} from '../../source/engine/builder/executor/config-step.js';
import {absoluteDestination, copyLayerTar} from '../../source/engine/builder/executor/copy-layer.js';
import {runCreatedBy} from '../../source/engine/builder/executor/run-step.js';
import {stableJson} from '../../source/engine/builder/executor/step-cache.js';
import {tempDir} from '../support/tmp.js';

function state(): StageState {
	return {image: scratchConfig(), buildArgs: new BuildArgs(), cmdSet: false};
}

/** Applies each line of a Dockerfile (after FROM) as config steps; returns the final settings and the history texts. */
function apply(lines: string) {
	const current = state();
	const createdBy: string[] = [];
	for (const instruction of parseDockerfile(`FROM scratch\n${lines}`, {file: 'Dockerfile'}).stages[0]!.instructions) {
		const step = configStep(current, instruction)!;
		createdBy.push(step.createdBy);
		current.image = {...current.image, config: step.settings};
	}
	return {settings: current.image.config!, createdBy};
}

async function tarEntries(readable: Readable): Promise<Array<{name: string; type: string; mode: number; uid: number; gid: number; content: string}>> {
	const entries: Array<{name: string; type: string; mode: number; uid: number; gid: number; content: string}> = [];
	const extract = tarStream.extract();
	const done = new Promise<void>((resolve, reject) => {
		extract.on('entry', (header, content, next) => {
			const chunks: Buffer[] = [];
			content.on('data', (chunk: Buffer) => chunks.push(chunk));
			content.on('end', () => {
				entries.push({name: header.name, type: header.type ?? 'file', mode: header.mode ?? 0, uid: header.uid ?? 0, gid: header.gid ?? 0, content: Buffer.concat(chunks).toString()});
				next();
			});
		});
		extract.on('finish', resolve);
		extract.on('error', reject);
	});
	readable.pipe(extract);
	await done;
	return entries;
}

describe('build steps', {timeout: 30_000}, () => {
	test('config steps: settings and the classic builder\'s #(nop) history text', () => {
		const {settings, createdBy} = apply('ENV A=1 B=2\nENV A=3\nWORKDIR /app\nWORKDIR sub\nCMD echo hi\nENTRYPOINT ["/bin/tini"]\nEXPOSE 80 53/udp\nUSER nobody\nLABEL k=v\nSTOPSIGNAL SIGTERM\nVOLUME /data\n');
		assert.deepEqual(settings.Env, ['A=3', 'B=2']);
		assert.equal(settings.WorkingDir, '/app/sub');
		assert.deepEqual(settings.Cmd, ['/bin/sh', '-c', 'echo hi']);
		assert.deepEqual(settings.Entrypoint, ['/bin/tini']);
		assert.deepEqual(settings.ExposedPorts, {'80/tcp': {}, '53/udp': {}});
		assert.deepEqual(settings.Volumes, {'/data': {}});
		assert.deepEqual(createdBy, [
			'/bin/sh -c #(nop)  ENV A=1 B=2',
			'/bin/sh -c #(nop)  ENV A=3',
			'/bin/sh -c #(nop) WORKDIR /app',
			'/bin/sh -c #(nop) WORKDIR /app/sub',
			'/bin/sh -c #(nop)  CMD ["/bin/sh" "-c" "echo hi"]',
			'/bin/sh -c #(nop)  ENTRYPOINT ["/bin/tini"]',
			'/bin/sh -c #(nop)  EXPOSE 53/udp 80',
			'/bin/sh -c #(nop)  USER nobody',
			'/bin/sh -c #(nop)  LABEL k=v',
			'/bin/sh -c #(nop)  STOPSIGNAL SIGTERM',
			'/bin/sh -c #(nop)  VOLUME [/data]',
		]);
	});

	test('HEALTHCHECK\'s history text is Go\'s %q of Docker 20.10\'s *HealthConfig', () => {
		assert.deepEqual(apply('HEALTHCHECK --interval=90s --timeout=1500ms --retries=10 CMD true\nHEALTHCHECK NONE\nHEALTHCHECK --start-period=2h CMD ["a", "b"]\n').createdBy, [
			'/bin/sh -c #(nop)  HEALTHCHECK &{["CMD-SHELL" "true"] "1m30s" "1.5s" "0s" \'\\n\'}',
			'/bin/sh -c #(nop)  HEALTHCHECK &{["NONE"] "0s" "0s" "0s" \'\\x00\'}',
			'/bin/sh -c #(nop)  HEALTHCHECK &{["CMD" "a" "b"] "0s" "0s" "2h0m0s" \'\\x00\'}',
		]);
		// The daemon fills a new healthcheck's zero fields from the image's (the text above shows them as given).
		assert.deepEqual(apply('HEALTHCHECK --interval=90s --retries=3 CMD true\nHEALTHCHECK --timeout=2s NONE\n').settings.Healthcheck, {Test: ['NONE'], Interval: 90e9, Retries: 3});
	});

	test('ENTRYPOINT clears a Cmd the stage did not set', () => {
		assert.equal(apply('ENTRYPOINT ["x"]\n').settings.Cmd, null);
		assert.deepEqual(apply('CMD ["a"]\nENTRYPOINT ["x"]\n').settings.Cmd, ['a']);
	});

	test('RUN history: the argv, after |N k=v when build args are in its environment', () => {
		assert.equal(runCreatedBy(['/bin/sh', '-c', 'make'], []), '/bin/sh -c make');
		assert.equal(runCreatedBy(['/bin/sh', '-c', 'make'], ['A=1', 'B=2']), '|2 A=1 B=2 /bin/sh -c make');
	});

	test('COPY destinations: relative to WORKDIR, `.` and a trailing / mean a directory', () => {
		assert.equal(absoluteDestination('.', '/app'), '/app/');
		assert.equal(absoluteDestination('x', '/app'), '/app/x');
		assert.equal(absoluteDestination('x/', undefined), '/x/');
		assert.equal(absoluteDestination('/opt/y', '/app'), '/opt/y');
		assert.equal(absoluteDestination('/', '/app'), '/');
	});

	test('COPY layer: a file to a name or into a directory, a directory\'s contents, missing parents, --chown/--chmod', async () => {
		const dir = tempDir('strata-build-steps');
		mkdirSync(join(dir, 'd', 'sub'), {recursive: true});
		writeFileSync(join(dir, 'f'), 'file\n');
		writeFileSync(join(dir, 'd', 'sub', 'b'), 'b\n');
		const context = await loadBuildContext(dir);
		const sources = (names: string[]) => resolveCopySources(context, names) as ContextSource[];
		const names = async (options: Parameters<typeof copyLayerTar>[0]) => (await tarEntries(await copyLayerTar(options))).map(entry => entry.name);
		assert.deepEqual(await names({sources: sources(['f']), destination: '/opt/g'}), ['opt/', 'opt/g']);
		assert.deepEqual(await names({sources: sources(['f']), destination: '/opt/'}), ['opt/', 'opt/f']);
		assert.deepEqual(await names({sources: sources(['d']), destination: '/x/y'}), ['x/', 'x/y/', 'x/y/sub/', 'x/y/sub/b']);
		const entries = await tarEntries(await copyLayerTar({sources: sources(['f']), destination: '/g', owner: {uid: 5, gid: 6}, mode: 0o700}));
		assert.deepEqual(entries.map(({name, mode, uid, gid, content}) => ({name, mode, uid, gid, content})), [{name: 'g', mode: 0o700, uid: 5, gid: 6, content: 'file\n'}]);
	});

	test('cache comparison ignores key order', () => {
		assert.equal(stableJson({b: 1, a: {d: [1, {f: 1, e: 2}], c: 2}}), stableJson({a: {c: 2, d: [1, {e: 2, f: 1}]}, b: 1}));
	});

	test('ADD unpacks a local tar, plain or gzipped, into the destination; other files are copied', async () => {
		const dir = tempDir('strata-build-add');
		mkdirSync(join(dir, 'src', 'pkg'), {recursive: true});
		writeFileSync(join(dir, 'src', 'pkg', 'x'), 'x\n');
		mkdirSync(join(dir, 'ctx'));
		execFileSync('tar', ['--numeric-owner', '--owner=7', '--group=8', '-C', join(dir, 'src'), '-cf', join(dir, 'ctx', 'a.tar'), 'pkg'], {timeout: 10_000});
		execFileSync('sh', ['-c', `gzip -c ${join(dir, 'ctx', 'a.tar')} > ${join(dir, 'ctx', 'a.tgz')}`], {timeout: 10_000});
		writeFileSync(join(dir, 'ctx', 'plain'), 'p\n');
		const context = await loadBuildContext(join(dir, 'ctx'));
		for (const name of ['a.tar', 'a.tgz']) {
			const entries = await tarEntries(await copyLayerTar({sources: resolveCopySources(context, [name]) as ContextSource[], destination: '/opt', unpackArchives: true}));
			assert.deepEqual(entries.map(({name, uid, gid, content}) => ({name, uid, gid, content})), [
				{name: 'opt/', uid: 0, gid: 0, content: ''},
				{name: 'opt/pkg/', uid: 7, gid: 8, content: ''},
				{name: 'opt/pkg/x', uid: 7, gid: 8, content: 'x\n'},
			]);
		}
		const plain = await tarEntries(await copyLayerTar({sources: resolveCopySources(context, ['plain']) as ContextSource[], destination: '/p', unpackArchives: true}));
		assert.deepEqual(plain.map(entry => entry.name), ['p']);
	});
});
