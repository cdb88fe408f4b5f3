// The build context: what `docker build` sends (listContext), what COPY can name in it (resolveCopySources)
// and the classic builder's content hash of COPY sources (copySourceHash). The expected listings and hashes
// are what Docker 28's classic builder (DOCKER_BUILDKIT=0) produced for the same trees
// (builder-context-docker.test.ts checks them against a live daemon when one can run).
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {chmodSync, linkSync, mkdirSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {describe, it} from 'node:test';
import {createBuildContext, loadBuildContext} from '../../source/engine/builder/context/build-context.js';
import {copySourceHash, headerText} from '../../source/engine/builder/context/copy-hash.js';
import {copiedEntries, resolveCopySources, type ContextSource} from '../../source/engine/builder/context/copy-sources.js';
import {resolveBuildInput} from '../../source/engine/builder/context/dockerfile-location.js';
import {readIgnorePatterns} from '../../source/engine/builder/context/dockerignore.js';
import {listContext} from '../../source/engine/builder/context/list-context.js';
import {loadOwnerNames} from '../../source/engine/builder/context/owner-names.js';
import {PatternMatcher} from '../../source/engine/builder/context/pattern-matcher.js';
import {tempDir} from '../support/tmp.js';

type Tree = Record<string, string | {mode?: number; content?: string; symlink?: string; dir?: true}>;

/** Writes a context: files (content or {content, mode}), {symlink: target}, {dir: true, mode}. */
function makeContext(tree: Tree): string {
	const root = tempDir('strata-context');
	for (const [path, spec] of Object.entries(tree)) {
		const full = join(root, path);
		mkdirSync(dirname(full), {recursive: true});
		if (typeof spec === 'string') {
			writeFileSync(full, spec);
			chmodSync(full, 0o644);
		} else if (spec.symlink !== undefined) {
			symlinkSync(spec.symlink, full);
		} else if (spec.dir) {
			mkdirSync(full, {recursive: true});
			chmodSync(full, spec.mode ?? 0o755);
		} else {
			writeFileSync(full, spec.content ?? '');
			chmodSync(full, spec.mode ?? 0o644);
		}
	}
	return root;
}

function paths(entries: Iterable<{path: string; type: string}>): string[] {
	return [...entries].map(entry => (entry.type === 'dir' ? `${entry.path}/` : entry.path)).sort();
}

describe('listContext', () => {
	it('lists dot files, does not follow symlinks, and describes each entry like a tar header', async () => {
		const root = makeContext({
			'.hidden': 'h',
			'bin/tool': {content: '#!/bin/sh\n', mode: 0o4755},
			'bin/link': {symlink: '../outside/target'},
			'data/': {dir: true, mode: 0o2770},
		});
		linkSync(join(root, '.hidden'), join(root, 'second-link'));
		utimesSync(join(root, 'bin/tool'), 1_700_000_000, 1_700_000_000);
		const entries = await listContext(root);
		assert.deepEqual(
			entries.map(({path, type, mode, size, linkname}) => ({path, type, mode, size, linkname})),
			[
				{path: '.hidden', type: 'file', mode: 0o644, size: 1, linkname: ''},
				{path: 'bin', type: 'dir', mode: 0o755, size: 0, linkname: ''},
				{path: 'bin/link', type: 'symlink', mode: 0o777, size: 0, linkname: '../outside/target'},
				{path: 'bin/tool', type: 'file', mode: 0o4755, size: 10, linkname: ''},
				{path: 'data', type: 'dir', mode: 0o2770, size: 0, linkname: ''},
				{path: 'second-link', type: 'hardlink', mode: 0o644, size: 0, linkname: '.hidden'},
			],
		);
		const tool = entries.find(entry => entry.path === 'bin/tool')!;
		assert.equal(tool.mtimeMs, 1_700_000_000_000);
		assert.equal(tool.uid, process.getuid!());
		assert.equal(tool.gid, process.getgid!());
	});

	it('walks in Go order: a directory before its contents, names compared bytewise', async () => {
		const root = makeContext({'a/c': '', 'a-b': '', B: '', 'a/b/d': ''});
		assert.deepEqual(
			(await listContext(root)).map(entry => entry.path),
			['B', 'a', 'a/b', 'a/b/d', 'a/c', 'a-b'],
		);
	});

	// Each listing is what Docker 28 put in the image for `COPY . /ctx/` with that .dockerignore.
	const filtering: Array<[ignore: string, files: string[], sent: string[]]> = [
		['**/*.go\n!keep.go\n', ['a.go', 'keep.go', 'sub/b.go', 'sub/keep.go', 'sub/c.txt'], ['keep.go', 'sub/', 'sub/c.txt']],
		['docs\n!docs/README.md\n', ['docs/README.md', 'docs/x.md', 'docs/sub/y.md', 'README.md'], ['README.md', 'docs/README.md']],
		['/abs\nabs2/\n', ['abs/x', 'abs2/y', 'sub/abs/z'], ['sub/', 'sub/abs/', 'sub/abs/z']],
		['a/**/b\n', ['a/b', 'a/x/b', 'a/x/y/b/c', 'a/x/c', 'b'], ['a/', 'a/x/', 'a/x/c', 'a/x/y/', 'b']],
		['*.md\n!README.md\n', ['README.md', 'CHANGES.md', 'sub/README.md', 'x.txt'], ['README.md', 'sub/', 'sub/README.md', 'x.txt']],
		// `*.tmp` has no `/`: it matches at the top only.
		['*\n!src\n*.tmp\n!important.tmp\n', ['src/a.tmp', 'src/b.c', 'important.tmp', 'x', 'y/z'], ['important.tmp', 'src/', 'src/a.tmp', 'src/b.c']],
		// The archiver only enters an excluded directory an exception names textually: `**/keep` does not.
		['*\n!**/keep\n', ['a/keep', 'keep', 'b/c'], ['keep']],
		['dir\n!dir/sub/file\n', ['dir/sub/file', 'dir/sub/other', 'dir/top'], ['dir/sub/file']],
		['node_modules\n**/.git\n', ['node_modules/x/y', 'src/.git/HEAD', '.git/config', 'src/a'], ['src/', 'src/a']],
	];
	for (const [ignore, files, sent] of filtering) {
		it(`.dockerignore ${JSON.stringify(ignore)}`, async () => {
			const root = makeContext(Object.fromEntries(files.map(file => [file, file])));
			const entries = await listContext(root, {ignore: new PatternMatcher(readIgnorePatterns(ignore))});
			assert.deepEqual(paths(entries), sent);
		});
	}

	it('always sends the Dockerfile and .dockerignore, unless the Dockerfile is outside or on stdin', async () => {
		const root = makeContext({'Dockerfile': 'FROM scratch', '.dockerignore': '*', 'build/app.Dockerfile': 'x', other: 'o'});
		const ignore = new PatternMatcher(['*', 'build']);
		assert.deepEqual(paths(await listContext(root, {ignore, dockerfilePath: 'Dockerfile'})), ['.dockerignore', 'Dockerfile']);
		assert.deepEqual(paths(await listContext(root, {ignore, dockerfilePath: join(root, 'build/app.Dockerfile')})), [
			'.dockerignore',
			'build/app.Dockerfile',
		]);
		assert.deepEqual(paths(await listContext(root, {ignore, dockerfilePath: '-'})), ['.dockerignore']);
		assert.deepEqual(paths(await listContext(root, {ignore, dockerfilePath: '../elsewhere/Dockerfile'})), ['.dockerignore']);
	});
});

describe('loadBuildContext', () => {
	it('drops the Dockerfile and .dockerignore when .dockerignore excludes them, as the daemon does', async () => {
		const root = makeContext({'Dockerfile': 'FROM scratch', '.dockerignore': 'Dockerfile\n.dockerignore\n', x: 'x'});
		const context = await loadBuildContext(root, {dockerfilePath: 'Dockerfile'});
		assert.deepEqual(paths(context.entries.values()), ['x']);
		const kept = await loadBuildContext(makeContext({'Dockerfile': 'FROM scratch', x: 'x'}), {dockerfilePath: 'Dockerfile'});
		assert.deepEqual(paths(kept.entries.values()), ['Dockerfile', 'x']);
	});

	it('adds the parents extraction creates for re-included files', async () => {
		const root = makeContext({'.dockerignore': 'dir\n!dir/sub/file\n', 'dir/sub/file': 'f'});
		const context = await loadBuildContext(root);
		assert.deepEqual(
			[...context.entries.values()].map(({path, type, synthetic}) => ({path, type, synthetic})),
			[
				{path: '.dockerignore', type: 'file', synthetic: undefined},
				{path: 'dir/sub/file', type: 'file', synthetic: undefined},
				{path: 'dir/sub', type: 'dir', synthetic: true},
				{path: 'dir', type: 'dir', synthetic: true},
			],
		);
		assert.deepEqual(context.order, ['.dockerignore', 'dir', 'dir/sub', 'dir/sub/file']);
	});
});

/** The tree Docker built for the hashes below (same names, modes and contents). */
const hashedTree: Tree = {
	'a.txt': 'hello\n',
	'exec.sh': {content: '#!/bin/sh\necho hi\n', mode: 0o755},
	empty: '',
	'dir/': {dir: true},
	'dir/one': '1',
	'dir/sub/': {dir: true, mode: 0o750},
	'dir/sub/two': {content: '2', mode: 0o600},
	'dir/link': {symlink: 'one'},
	'dir/up': {symlink: '../a.txt'},
	'dir/abs': {symlink: '/etc/passwd'},
	alink: {symlink: 'a.txt'},
	'ignored/x': 'x',
	'ignored/keep': 'k',
	'docs/': {dir: true},
	'docs/README.md': 'r',
	'docs/other.md': 'o',
	'b.md': 'b',
	'.dockerignore': 'ignored\n!ignored/keep\n*.md\n!docs/README.md\n',
};

const hashedCopies: Array<[sources: string[], destination: string, hash: string]> = [
	[['a.txt'], '/a', 'file:00ec16333078d287782d462baefc8bb9eb0231dc3aefba3ca3e2f7e5cf0cadda'],
	[['exec.sh'], '/e', 'file:87082cd5934f491d5b924801adfc90a50c1b02f887c1f21d18c239bebad98496'],
	[['empty'], '/empty', 'file:545cac804bb64dccc8334bcc23561d7663ca64e2f918b852e482f5e5c0ee5966'],
	[['dir'], '/d', 'dir:d3f85afa750bfdb503cecf852aec91cf2e57451650214eeb8eb39eb04915ef7d'],
	[['dir/sub'], '/ds', 'dir:e113ef76be85f4bc3e7ad6fdef5b8bf3768f7fd60a43a4b4e0ae7094e55c3d5c'],
	// A symlink source hashes (and copies) its target.
	[['alink'], '/al', 'file:00ec16333078d287782d462baefc8bb9eb0231dc3aefba3ca3e2f7e5cf0cadda'],
	[['hard.txt'], '/h', 'file:1aab892c98de07006f49ccf4abc0a623e75485abeb47a4aa3c90b77ba7bf4af8'],
	[['a.txt', 'exec.sh'], '/m/', 'multi:f760cc073da9f4e02a0a3c08759baf138d49bb029a4005b5a80aa24aa6bae980'],
	[['*.txt'], '/w/', 'multi:bd4cfc5971e4b848e1639ff6bda1af8c33e6dfe590890d95ce686e21a4abbf4d'],
	// `ignored` was not sent itself (only ignored/keep was): its hash is its path.
	[['ignored'], '/ig', 'dir:246dc10caae0c36042aee686f0cdd4310e1d73c5c5fdb9a5a8986cdc3cee4a11'],
	[['docs'], '/docs', 'dir:402cce7cbd043096e6f4404a17c5c5777cf1f78a3cd18903289e11c117bc9a26'],
	[['dir/link'], '/dl', 'file:5f524786268fef7a960a84cdde69820982c27ed22bff62665c986c9048d76d30'],
	[['d*'], '/dstar/', 'multi:9f2f0f9aeb7724ce7b5f1c9d63f3dadcdf78f276ab1fe4c5d2c0ba150f1cb080'],
];

/** The Dockerfile of that build (`COPY .` hashes it too), with `COPY . /all` where it was. */
const hashedDockerfile = `FROM scratch\n${[
	...hashedCopies.slice(0, 11).map(([sources, destination]) => `COPY ${sources.join(' ')} ${destination}\n`),
	'COPY . /all\n',
	...hashedCopies.slice(11).map(([sources, destination]) => `COPY ${sources.join(' ')} ${destination}\n`),
].join('')}`;

async function hashedContext() {
	const root = makeContext({...hashedTree, Dockerfile: hashedDockerfile});
	linkSync(join(root, 'a.txt'), join(root, 'hard.txt'));
	return {root, context: await loadBuildContext(root, {dockerfilePath: 'Dockerfile'})};
}

describe('copySourceHash', () => {
	for (const [sources, destination, hash] of hashedCopies) {
		it(`COPY ${sources.join(' ')} ${destination} is ${hash.slice(0, 17)}...`, async () => {
			const {context} = await hashedContext();
			assert.equal(await copySourceHash(resolveCopySources(context, sources, {destination})), hash);
		});
	}

	it('hashes the whole context for COPY .', async () => {
		const {context} = await hashedContext();
		assert.equal(
			await copySourceHash(resolveCopySources(context, ['.'])),
			'dir:1d0cf9b426ca33ac6f8fe7d90475611b07d65e34ec18f932325d54bd52f4ef27',
		);
	});

	it('ignores mtimes and owners, but not content or mode', async () => {
		const {root, context} = await hashedContext();
		const before = await copySourceHash(resolveCopySources(context, ['dir']));
		utimesSync(join(root, 'dir/one'), 1, 1);
		const touched = await loadBuildContext(root, {dockerfilePath: 'Dockerfile'});
		assert.equal(await copySourceHash(resolveCopySources(touched, ['dir'])), before);

		writeFileSync(join(root, 'dir/one'), '2');
		const edited = await loadBuildContext(root, {dockerfilePath: 'Dockerfile'});
		const afterEdit = await copySourceHash(resolveCopySources(edited, ['dir']));
		assert.notEqual(afterEdit, before);

		chmodSync(join(root, 'dir/one'), 0o600);
		const chmodded = await loadBuildContext(root, {dockerfilePath: 'Dockerfile'});
		assert.notEqual(await copySourceHash(resolveCopySources(chmodded, ['dir'])), afterEdit);
	});

	it('writes the tarsum header fields in their order, owners reset to 0 for a context', () => {
		const entry = {path: 'd', type: 'dir' as const, mode: 0o755, size: 0, uid: 1000, gid: 1000, mtimeMs: 5, linkname: '', devmajor: 0, devminor: 0};
		assert.equal(headerText(entry, 'context'), 'named/mode493uid0gid0size0typeflag5linknameunamegnamedevmajor0devminor0');
		// A stage's header is Go's FileInfoHeader: the file type bits in the mode (0o40755), the owners' names.
		assert.equal(
			headerText({...entry, xattrs: {'user.b': '2', 'security.capability': 'x'}}, 'stage', {uname: 'u', gname: 'g'}),
			'named/mode16877uid1000gid1000size0typeflag5linknameunameugnamegdevmajor0devminor0security.capabilityxuser.b2',
		);
	});

	// Measured: `COPY --from=builder ...` after `RUN mkdir -p /out/sub && echo hello > /out/a && echo x >
	// /out/sub/x && ln -s a /out/link && ln -s nowhere /out/broken && chmod 640 /out/a && chmod 1777 /out/sub
	// && mkfifo -m 600 /out/fifo` (as root), in Docker 20.10's history. Owned by root, whose name every host has.
	const stageCopies: Array<[sources: string[], hash: string]> = [
		[['/out/a'], 'file:d6846b0e419d212068700434a94eab14388cda8cd5376e84d6e7ea6c009fd944'],
		[['/out'], 'dir:db0e631c34ee14b1bc169a287e4551e622bbf309d74c40161986609734f9db96'],
		[['/out/a', '/out/link'], 'multi:3609f89226a468883751acabc10d7dbdcd1d1c871aaa8bb512a24f3fd8f19cfd'],
	];
	for (const [sources, hash] of stageCopies) {
		it(`hashes COPY --from ${sources.join(' ')} as Docker 20.10 does: ${hash.slice(0, 17)}...`, {skip: process.getuid?.() !== 0 && 'needs root (files owned by 0:0)'}, async () => {
			const root = makeContext({'out/a': {content: 'hello\n', mode: 0o640}, 'out/sub/x': 'x\n', 'out/link': {symlink: 'a'}, 'out/broken': {symlink: 'nowhere'}});
			chmodSync(join(root, 'out/sub'), 0o1777);
			execFileSync('mkfifo', ['-m', '600', join(root, 'out/fifo')]);
			const stage = createBuildContext(root, await listContext(root, {detectHardlinks: false}), 'stage');
			assert.equal(await copySourceHash(resolveCopySources(stage, sources, {destination: '/d/'})), hash);
		});
	}
});

describe('loadOwnerNames', () => {
	it('names owners as Go\'s os/user reads /etc/passwd and /etc/group', async () => {
		const root = makeContext({
			passwd: '# comment\n\n+nis:x:7:7::/:/bin/sh\nroot:x:0:0:root:/root:/bin/sh\nshort:x:8:8\n  games:x:5:60:games:/usr/games:/bin/false  \nagain:x:5:5::/:/bin/sh\npadded:x:09:9::/:/bin/sh\n',
			group: 'root:x:0:\ndisk:x:6:\n:x:7:\n-nis:x:8:\n',
		});
		const names = await loadOwnerNames(join(root, 'passwd'), join(root, 'group'));
		assert.deepEqual([0, 5, 7, 8, 9].map(uid => names.user(uid)), ['root', 'games', '', '', '']);
		assert.deepEqual([0, 6, 7, 8].map(gid => names.group(gid)), ['root', 'disk', '', '']);
		const none = await loadOwnerNames(join(root, 'missing'), join(root, 'missing'));
		assert.equal(none.user(0), '');
	});
});

describe('resolveCopySources', () => {
	const failures: Array<[sources: string[], destination: string, message: string]> = [
		[['missing'], '/x', 'COPY failed: file not found in build context or excluded by .dockerignore: stat missing: file does not exist'],
		[['../x'], '/x', 'COPY failed: forbidden path outside the build context: ../x ()'],
		[['sub/../../x'], '/x', 'COPY failed: forbidden path outside the build context: sub/../../x ()'],
		[['a/b'], '/x', 'COPY failed: forbidden path outside the build context: a/b ()'],
		[['http://example.com/x'], '/x', "COPY failed: source can't be a URL for COPY"],
		[['*.nothing'], '/x/', 'COPY failed: no source files were specified'],
		[['a', 'b'], '/x', 'When using COPY with more than one source file, the destination must be a directory and end with a /'],
		// A link leading out of the context is followed inside it: /../../etc is the context's etc.
		[['esc'], '/x', 'COPY failed: file not found in build context or excluded by .dockerignore: stat esc: file does not exist'],
		[['broken'], '/x', 'COPY failed: file not found in build context or excluded by .dockerignore: stat broken: file does not exist'],
		[['excluded.log'], '/x', 'COPY failed: file not found in build context or excluded by .dockerignore: stat excluded.log: file does not exist'],
	];
	async function errorsContext() {
		const root = makeContext({
			a: 'a',
			b: 'b',
			'excluded.log': 'l',
			'.dockerignore': '*.log\n',
			esc: {symlink: '/../../etc'},
			broken: {symlink: 'nowhere'},
		});
		return loadBuildContext(root);
	}
	for (const [sources, destination, message] of failures) {
		it(message, async () => {
			const context = await errorsContext();
			assert.throws(() => resolveCopySources(context, sources, {destination}), {message});
		});
	}

	it('follows symlinks inside the context, keeping the written name', async () => {
		const root = makeContext({'real/file': 'f', 'etc/passwd': 'p', 'link-dir': {symlink: 'real'}, esc: {symlink: '/../../etc/passwd'}});
		const context = await loadBuildContext(root);
		const [viaDir, escaped] = resolveCopySources(context, ['/link-dir/file', './esc'], {destination: '/d/'}) as ContextSource[];
		assert.deepEqual({source: viaDir!.source, path: viaDir!.path, name: viaDir!.name}, {source: 'link-dir/file', path: 'real/file', name: 'file'});
		assert.deepEqual({source: escaped!.source, path: escaped!.path, name: escaped!.name}, {source: 'esc', path: 'etc/passwd', name: 'esc'});
	});

	it('matches wildcards with filepath.Match against every path, in walk order', async () => {
		const root = makeContext({'a.go': '', 'b.go': '', 'sub/c.go': '', 'x.txt': '', 'sub/deep/d.go': ''});
		const context = await loadBuildContext(root);
		const sources = (names: string[]) => (resolveCopySources(context, names, {destination: '/d/'}) as ContextSource[]).map(source => source.path);
		assert.deepEqual(sources(['*.go']), ['a.go', 'b.go']);
		assert.deepEqual(sources(['*/*.go']), ['sub/c.go']);
		assert.deepEqual(sources(['[ab].go', 'sub']), ['a.go', 'b.go', 'sub']);
		assert.deepEqual(sources(['s?b/*']), ['sub/c.go', 'sub/deep']);
	});

	it('lists what a directory source copies, symlinks unfollowed', async () => {
		const root = makeContext({'dir/a': 'a', 'dir/sub/b': 'b', 'dir/link': {symlink: '../outside'}, 'dir-x': 'x', other: 'o'});
		const context = await loadBuildContext(root);
		const [dir] = resolveCopySources(context, ['dir/']) as ContextSource[];
		assert.deepEqual(
			copiedEntries(dir!).map(({path, type}) => `${type}:${path}`),
			['file:dir/a', 'symlink:dir/link', 'dir:dir/sub', 'file:dir/sub/b'],
		);
		const [file] = resolveCopySources(context, ['other']) as ContextSource[];
		assert.deepEqual(copiedEntries(file!).map(entry => entry.path), ['other']);
	});

	it('gives ADD its URLs and the whole context for `.`', async () => {
		const context = await loadBuildContext(makeContext({f: 'f'}));
		const sources = resolveCopySources(context, ['https://example.com/a.tgz', '.'], {instruction: 'ADD', destination: '/d/'});
		assert.deepEqual(sources[0], {kind: 'url', url: 'https://example.com/a.tgz'});
		assert.deepEqual((sources[1] as ContextSource).path, '');
		assert.equal((sources[1] as ContextSource).entry.type, 'dir');
	});

	it('words a missing file without the context hint for a stage', async () => {
		const root = makeContext({x: 'x'});
		const stage = createBuildContext(root, await listContext(root, {detectHardlinks: false}), 'stage');
		assert.throws(() => resolveCopySources(stage, ['/missing']), {message: 'COPY failed: stat missing: file does not exist'});
	});
});

describe('resolveBuildInput', () => {
	it('finds DIR/Dockerfile, else DIR/dockerfile', async () => {
		const upper = makeContext({Dockerfile: 'x'});
		assert.deepEqual((await resolveBuildInput(upper, undefined)).dockerfile.kind, 'context');
		assert.equal(((await resolveBuildInput(upper, undefined)).dockerfile as {path: string}).path, 'Dockerfile');
		const lower = makeContext({dockerfile: 'x'});
		assert.equal(((await resolveBuildInput(lower, undefined)).dockerfile as {path: string}).path, 'dockerfile');
	});

	it('takes -f relative to the current directory, `-` as stdin, and notices a Dockerfile outside', async () => {
		const root = makeContext({'ctx/docker/app.Dockerfile': 'x', 'elsewhere/Dockerfile': 'y'});
		const inside = await resolveBuildInput('ctx', 'ctx/docker/app.Dockerfile', {cwd: root});
		assert.deepEqual(inside.dockerfile, {kind: 'context', path: 'docker/app.Dockerfile', absolute: join(inside.contextDir, 'docker/app.Dockerfile')});
		assert.deepEqual((await resolveBuildInput(join(root, 'ctx'), '-')).dockerfile, {kind: 'stdin'});
		const outside = await resolveBuildInput('ctx', 'elsewhere/Dockerfile', {cwd: root});
		assert.equal(outside.dockerfile.kind, 'outside');
	});

	it('reports a missing context or Dockerfile the way the Docker CLI does', async () => {
		const root = makeContext({file: 'x'});
		await assert.rejects(resolveBuildInput('nope', undefined, {cwd: root}), {message: 'unable to prepare context: path "nope" not found'});
		await assert.rejects(resolveBuildInput(join(root, 'file'), undefined), {
			message: `unable to prepare context: context must be a directory: ${join(root, 'file')}`,
		});
		await assert.rejects(resolveBuildInput(root, undefined), {
			message: `unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat ${join(root, 'Dockerfile')}: no such file or directory`,
		});
	});
});
