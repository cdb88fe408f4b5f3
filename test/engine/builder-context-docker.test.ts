// Checks the build-context code against a live Docker daemon's classic builder (DOCKER_BUILDKIT=0): the
// `COPY <hash> in <dest>` history strata would write, the files `COPY . /ctx/` puts in the image for a given
// .dockerignore, and COPY's error messages. Skipped where no private daemon can run (see support/docker.ts).
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {chmodSync, linkSync, mkdirSync, symlinkSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {loadBuildContext} from '../../source/engine/builder/context/build-context.js';
import {copySourceHash} from '../../source/engine/builder/context/copy-hash.js';
import {resolveCopySources} from '../../source/engine/builder/context/copy-sources.js';
import {dockerSkip, startDocker, type DockerDaemon} from '../support/docker.js';
import {tempDir} from '../support/tmp.js';

function write(root: string, files: Record<string, string>): void {
	for (const [path, content] of Object.entries(files)) {
		mkdirSync(dirname(join(root, path)), {recursive: true});
		writeFileSync(join(root, path), content);
		chmodSync(join(root, path), 0o644);
	}
}

async function classicBuild(docker: DockerDaemon, context: string, tag: string) {
	return docker.docker(['build', '-q', '-t', tag, context], {env: {DOCKER_BUILDKIT: '0'}});
}

describe('build context against Docker', {skip: dockerSkip()}, () => {
	let docker: DockerDaemon;
	before(async () => {
		docker = await startDocker();
	});
	after(async () => {
		await docker?.stop();
	});

	it('writes the same COPY history as the classic builder', async () => {
		const root = tempDir('strata-docker-copy');
		write(root, {'a.txt': 'hello\n', 'dir/one': '1', 'dir/sub/two': '2', 'skip/x': 'x', 'skip/keep': 'k', '.dockerignore': 'skip\n!skip/keep\n'});
		chmodSync(join(root, 'dir/sub/two'), 0o600);
		symlinkSync('../a.txt', join(root, 'dir/up'));
		symlinkSync('/nowhere', join(root, 'dir/abs'));
		symlinkSync('a.txt', join(root, 'alink'));
		linkSync(join(root, 'a.txt'), join(root, 'hard.txt'));
		const copies: Array<[string[], string]> = [
			[['a.txt'], '/a'],
			[['dir'], '/d'],
			[['alink'], '/al'],
			[['hard.txt'], '/h'],
			[['*.txt', 'dir/one'], '/m/'],
			[['skip'], '/s'],
			[['.'], '/all'],
		];
		writeFileSync(join(root, 'Dockerfile'), `FROM scratch\n${copies.map(([sources, dest]) => `COPY ${sources.join(' ')} ${dest}\n`).join('')}`);
		const context = await loadBuildContext(root, {dockerfilePath: 'Dockerfile'});
		const expected: string[] = [];
		for (const [sources, destination] of copies) {
			expected.push(`/bin/sh -c #(nop) COPY ${await copySourceHash(resolveCopySources(context, sources, {destination}))} in ${destination} `);
		}
		const build = await classicBuild(docker, root, 'strata-copy-hash');
		assert.equal(build.code, 0, build.stderr);
		const history = await docker.docker(['history', '--no-trunc', '--format', '{{json .CreatedBy}}', 'strata-copy-hash'], {check: true});
		const createdBy = history.stdout.trim().split('\n').map(line => JSON.parse(line) as string).reverse();
		assert.deepEqual(createdBy, expected);
	});

	it('sends the same files for a .dockerignore', async () => {
		const cases: Array<[ignore: string, files: string[]]> = [
			['**/*.go\n!keep.go\n', ['a.go', 'keep.go', 'sub/b.go', 'sub/keep.go']],
			['docs\n!docs/README.md\n*.md\n!README.md\n', ['docs/README.md', 'docs/x.md', 'README.md', 'CHANGES.md']],
			['*\n!**/keep\n!src\n', ['a/keep', 'keep', 'src/x']],
			['a/**/b\nDockerfile\n', ['a/b', 'a/x/y/b/c', 'a/x/c']],
		];
		for (const [index, [ignore, files]] of cases.entries()) {
			const root = tempDir('strata-docker-ignore');
			write(root, {...Object.fromEntries(files.map(file => [file, file])), '.dockerignore': ignore, Dockerfile: 'FROM scratch\nCOPY . /ctx/\n'});
			const context = await loadBuildContext(root, {dockerfilePath: 'Dockerfile'});
			const ours = [...context.entries.values()].map(entry => entry.path + (entry.type === 'dir' ? '/' : '')).sort();
			const tag = `strata-ignore-${index}`;
			const build = await classicBuild(docker, root, tag);
			assert.equal(build.code, 0, build.stderr);
			const container = (await docker.docker(['create', tag, 'none'], {check: true})).stdout.trim();
			const tar = join(root, '..', `${tag}.tar`);
			await docker.docker(['export', '-o', tar, container], {check: true});
			await docker.docker(['rm', container], {check: true});
			const theirs = execFileSync('tar', ['-tf', tar], {encoding: 'utf8'})
				.split('\n')
				.filter(line => line.startsWith('ctx/') && line !== 'ctx/')
				.map(line => line.slice('ctx/'.length))
				.sort();
			assert.deepEqual(ours, theirs, ignore);
		}
	});

	it('fails COPY with the same messages', async () => {
		const root = tempDir('strata-docker-errors');
		write(root, {a: 'a'});
		symlinkSync('/../../etc', join(root, 'esc'));
		const context = await loadBuildContext(root);
		for (const line of ['missing /x', '../x /x', 'a/b /x', 'esc /x', '*.none /x/', 'http://example.com/x /x']) {
			const words = line.split(' ');
			let ours = '';
			try {
				resolveCopySources(context, words.slice(0, -1), {destination: words[words.length - 1]});
			} catch (error) {
				ours = (error as Error).message;
			}
			writeFileSync(join(root, 'Dockerfile'), `FROM scratch\nCOPY ${line}\n`);
			const build = await classicBuild(docker, root, 'strata-copy-error');
			assert.notEqual(build.code, 0);
			assert.equal(ours, build.stderr.trim().split('\n').pop(), line);
		}
	});
});
