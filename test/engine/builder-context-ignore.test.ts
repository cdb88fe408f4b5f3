// .dockerignore: reading (moby/patternmatcher/ignorefile) and matching (moby/patternmatcher). The tables
// are patternmatcher_test.go's, so a pattern excludes here exactly what it excludes for `docker build`.
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {StrataError} from '../../source/engine/errors.js';
import {loadDockerignore, readIgnorePatterns} from '../../source/engine/builder/context/dockerignore.js';
import {goClean, goMatch} from '../../source/engine/builder/context/go-path.js';
import {PatternMatcher, type MatchInfo} from '../../source/engine/builder/context/pattern-matcher.js';
import {tempDir} from '../support/tmp.js';

describe('readIgnorePatterns', () => {
	it('strips the BOM, skips # lines and blanks, trims, cleans, drops one leading slash', () => {
		const text = '\ufefftest1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! \n  spaced  \n  # not a comment\r\ndir/../other/./x/\n//twice\n';
		assert.deepEqual(readIgnorePatterns(text), [
			'test1',
			'test2',
			'a/file/here',
			'lastfile',
			'!inverted/abs/path',
			'!',
			'!',
			'spaced',
			'# not a comment',
			'other/x',
			'twice',
		]);
	});
});

describe('loadDockerignore', () => {
	it('matches nothing without a .dockerignore', async () => {
		const matcher = await loadDockerignore(tempDir('strata-ignore'));
		assert.equal(matcher.patterns.length, 0);
		assert.equal(matcher.matches('anything'), false);
	});

	it("reports bad patterns as Docker's CLI does", async () => {
		const dir = tempDir('strata-ignore');
		writeFileSync(join(dir, '.dockerignore'), 'ok\n!\n');
		await assert.rejects(loadDockerignore(dir), {message: 'error checking context: illegal exclusion pattern: "!"'});
		writeFileSync(join(dir, '.dockerignore'), 'a[\n');
		await assert.rejects(loadDockerignore(dir), {message: 'error checking context: syntax error in pattern'});
		writeFileSync(join(dir, '.dockerignore'), '[Local-Only]\n');
		await assert.rejects(loadDockerignore(dir), {message: 'error checking context: syntax error in pattern'});
	});
});

/** patternmatcher's walk-based check: the parent directories' results handed down, as the archiver does. */
function matchesWalking(matcher: PatternMatcher, path: string): boolean {
	const parent = goClean(path.slice(0, Math.max(0, path.lastIndexOf('/'))) || '.');
	let info: MatchInfo | undefined;
	if (parent !== '.') {
		const dirs = parent.split('/');
		for (let length = 1; length <= dirs.length; length++) info = matcher.matchesWithParent(dirs.slice(0, length).join('/'), info).info;
	}
	return matcher.matchesWithParent(path, info).excluded;
}

describe('PatternMatcher (patternmatcher_test.go TestMatches)', () => {
	const single: Array<[pattern: string, path: string, excluded: boolean]> = [
		['**', 'file', true],
		['**', 'file/', true],
		['**/', 'file', true],
		['**/', 'file/', true],
		['**', '/', true],
		['**/', '/', true],
		['**', 'dir/file', true],
		['**/', 'dir/file', true],
		['**', 'dir/file/', true],
		['**/', 'dir/file/', true],
		['**/**', 'dir/file', true],
		['**/**', 'dir/file/', true],
		['dir/**', 'dir/file', true],
		['dir/**', 'dir/file/', true],
		['dir/**', 'dir/dir2/file', true],
		['dir/**', 'dir/dir2/file/', true],
		['**/dir', 'dir', true],
		['**/dir', 'dir/file', true],
		['**/dir2/*', 'dir/dir2/file', true],
		['**/dir2/*', 'dir/dir2/file/', true],
		['**/dir2/**', 'dir/dir2/dir3/file', true],
		['**/dir2/**', 'dir/dir2/dir3/file/', true],
		['**file', 'file', true],
		['**file', 'dir/file', true],
		['**/file', 'dir/file', true],
		['**file', 'dir/dir/file', true],
		['**/file', 'dir/dir/file', true],
		['**/file*', 'dir/dir/file', true],
		['**/file*', 'dir/dir/file.txt', true],
		['**/file*txt', 'dir/dir/file.txt', true],
		['**/file*.txt', 'dir/dir/file.txt', true],
		['**/file*.txt*', 'dir/dir/file.txt', true],
		['**/**/*.txt', 'dir/dir/file.txt', true],
		['**/**/*.txt2', 'dir/dir/file.txt', false],
		['**/*.txt', 'file.txt', true],
		['**/**/*.txt', 'file.txt', true],
		['a**/*.txt', 'a/file.txt', true],
		['a**/*.txt', 'a/dir/file.txt', true],
		['a**/*.txt', 'a/dir/dir/file.txt', true],
		['a/*.txt', 'a/dir/file.txt', false],
		['a/*.txt', 'a/file.txt', true],
		['a/*.txt**', 'a/file.txt', true],
		['a[b-d]e', 'ae', false],
		['a[b-d]e', 'ace', true],
		['a[b-d]e', 'aae', false],
		['a[^b-d]e', 'aze', true],
		['.*', '.foo', true],
		['.*', 'foo', false],
		['abc.def', 'abcdef', false],
		['abc.def', 'abc.def', true],
		['abc.def', 'abcZdef', false],
		['abc?def', 'abcZdef', true],
		['abc?def', 'abcdef', false],
		['a\\\\', 'a\\', true],
		['**/foo/bar', 'foo/bar', true],
		['**/foo/bar', 'dir/foo/bar', true],
		['**/foo/bar', 'dir/dir2/foo/bar', true],
		['abc/**', 'abc', false],
		['abc/**', 'abc/def', true],
		['abc/**', 'abc/def/ghi', true],
		['**/.foo', '.foo', true],
		['**/.foo', 'bar.foo', false],
		['a(b)c/def', 'a(b)c/def', true],
		['a(b)c/def', 'a(b)c/xyz', false],
		['a.|)$(}+{bc', 'a.|)$(}+{bc', true],
		['dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true],
		['dist/*.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true],
		['a\\*b', 'a*b', true],
	];
	for (const [pattern, path, excluded] of single) {
		it(`${pattern} ${excluded ? 'excludes' : 'keeps'} ${path}`, () => {
			const matcher = new PatternMatcher([pattern]);
			assert.equal(matcher.matches(path), excluded, 'matches');
			assert.equal(matcher.matchesWithParent(path).excluded, excluded, 'matchesWithParent without parent results');
			if (!path.endsWith('/')) assert.equal(matchesWalking(matcher, path), excluded, 'walking');
		});
	}

	const multiple: Array<[patterns: string[], path: string, excluded: boolean]> = [
		[['**', '!util/docker/web'], 'util/docker/web/foo', false],
		[['**', '!util/docker/web', 'util/docker/web/foo'], 'util/docker/web/foo', true],
		[['**', '!dist/*.whl'], 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', false],
		// The cases strata's issue asks for.
		[['**/*.go'], 'cmd/main.go', true],
		[['**/*.go'], 'main.go', true],
		[['**/*.go', '!keep.go'], 'keep.go', false],
		[['**/*.go', '!keep.go'], 'sub/keep.go', true],
		[['*', '!keep.txt'], 'keep.txt', false],
		[['docs'], 'docs/guide/index.md', true],
		[['docs', '!docs/README.md'], 'docs/README.md', false],
		[['docs', '!docs/README.md'], 'docs/other.md', true],
		[['docs/', '!docs/README.md'], 'docs/README.md', false],
		[['docs/*', '!docs/README.md'], 'docs/README.md', false],
		[['/abs'], 'abs/file', true],
		[['/abs'], 'sub/abs', false],
		[['a/**/b'], 'a/b', true],
		[['a/**/b'], 'a/x/y/b/c', true],
		[['a/**/b'], 'a/x/c', false],
		[['*.md', '!README.md'], 'README.md', false],
		[['*.md', '!README.md'], 'CHANGES.md', true],
		[['*.md', '!README.md'], 'sub/README.md', false],
		// The last matching pattern wins.
		[['!fileutils.go', '*.go'], 'fileutils.go', true],
		[['*.go', '!fileutils.go'], 'fileutils.go', false],
		[['*.go', '!fileutils.go', 'file*'], 'fileutils.go', true],
	];
	for (const [patterns, path, excluded] of multiple) {
		it(`${patterns.join(' ')} ${excluded ? 'excludes' : 'keeps'} ${path}`, () => {
			// As lines of a .dockerignore, which is where a leading `/` is dropped.
			const matcher = new PatternMatcher(readIgnorePatterns(patterns.join('\n')));
			assert.equal(matcher.matches(path), excluded, 'matches');
			assert.equal(matchesWalking(matcher, path), excluded, 'walking');
		});
	}

	it('cleans and trims patterns and skips empty ones', () => {
		const matcher = new PatternMatcher(['docs', '  !docs/README.md  ', '', 'a//b/./c/']);
		assert.deepEqual(matcher.source, ['docs', '!docs/README.md', 'a/b/c']);
		assert.equal(matcher.hasExclusions, true);
	});

	it('checks only as deep a parent as the pattern in the shallow (deprecated) form the CLI uses', () => {
		const matcher = new PatternMatcher(['**/b']);
		assert.equal(matcher.matches('x/y/b/Dockerfile'), true);
		assert.equal(matcher.matchesShallow('x/y/b/Dockerfile'), false);
		assert.equal(new PatternMatcher(['*.go']).matchesShallow('.'), false);
	});

	it('tells when an excluded directory may be skipped without looking inside', () => {
		assert.equal(new PatternMatcher(['docs']).excludedDirCanBeSkipped('docs'), true);
		assert.equal(new PatternMatcher(['docs', '!docs/README.md']).excludedDirCanBeSkipped('docs'), false);
		assert.equal(new PatternMatcher(['dir', '!dir/sub/file']).excludedDirCanBeSkipped('dir/sub'), false);
		// The check is textual: an exception that could match inside, but does not start with the path, does not count.
		assert.equal(new PatternMatcher(['*', '!**/keep']).excludedDirCanBeSkipped('a'), true);
	});
});

describe('goMatch (Go filepath.Match, patternmatcher_test.go TestMatch)', () => {
	const table: Array<[pattern: string, name: string, result: boolean | 'bad pattern']> = [
		['abc', 'abc', true],
		['*', 'abc', true],
		['*c', 'abc', true],
		['a*', 'a', true],
		['a*', 'abc', true],
		['a*', 'ab/c', false],
		['a*/b', 'abc/b', true],
		['a*/b', 'a/c/b', false],
		['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
		['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
		['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
		['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
		['a*b?c*x', 'abxbbxdbxebxczzx', true],
		['a*b?c*x', 'abxbbxdbxebxczzy', false],
		['ab[c]', 'abc', true],
		['ab[b-d]', 'abc', true],
		['ab[e-g]', 'abc', false],
		['ab[^c]', 'abc', false],
		['ab[^b-d]', 'abc', false],
		['ab[^e-g]', 'abc', true],
		['a\\*b', 'a*b', true],
		['a\\*b', 'ab', false],
		['a?b', 'a☺b', true],
		['a[^a]b', 'a☺b', true],
		['a???b', 'a☺b', false],
		['a[^a][^a][^a]b', 'a☺b', false],
		['[a-ζ]*', 'α', true],
		['*[a-ζ]', 'A', false],
		['a?b', 'a/b', false],
		['a*b', 'a/b', false],
		['[\\]a]', ']', true],
		['[\\-]', '-', true],
		['[x\\-]', 'x', true],
		['[x\\-]', '-', true],
		['[x\\-]', 'z', false],
		['[\\-x]', 'x', true],
		['[\\-x]', '-', true],
		['[\\-x]', 'a', false],
		['[]a]', ']', 'bad pattern'],
		['[-]', '-', 'bad pattern'],
		['[x-]', 'x', 'bad pattern'],
		['[x-]', '-', 'bad pattern'],
		['[x-]', 'z', 'bad pattern'],
		['[-x]', 'x', 'bad pattern'],
		['[-x]', '-', 'bad pattern'],
		['[-x]', 'a', 'bad pattern'],
		['\\', 'a', 'bad pattern'],
		['[a-b-c]', 'a', 'bad pattern'],
		['[', 'a', 'bad pattern'],
		['[^', 'a', 'bad pattern'],
		['[^bc', 'a', 'bad pattern'],
		['a[', 'a', 'bad pattern'],
		['a[', 'ab', 'bad pattern'],
		['*x', 'xxx', true],
	];
	for (const [pattern, name, result] of table) {
		it(`${pattern} ~ ${name}: ${result}`, () => {
			if (result === 'bad pattern') {
				assert.throws(() => goMatch(pattern, name), {message: 'syntax error in pattern'});
				assert.throws(() => new PatternMatcher([pattern]), StrataError);
			} else {
				assert.equal(goMatch(pattern, name), result);
			}
		});
	}
});
