// requireWithCodeCache: a CommonJS bundle loaded through V8's code cache, the way dist/cli.js loads the
// CLI. The cache is made when missing, used when V8 accepts it (then left alone), and made anew when V8
// refuses it; a cache that cannot be written leaves the bundle working, only uncached. Each load runs in
// a new process, as each strata command is one.
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import {execFileSync} from 'node:child_process';

const codeCache = join(import.meta.dirname, '..', '..', 'source', 'startup', 'code-cache.ts');

/**
 * Loads the bundle in a new Node process, as each strata command does: V8 keeps what it compiled for
 * the rest of a process, so a second load in the same one would never look at the cache file.
 */
function requireWithCodeCache(bundle: string): unknown {
	const script = `const {requireWithCodeCache} = await import(${JSON.stringify(codeCache)}); const loaded = requireWithCodeCache(process.argv[1]); console.log(JSON.stringify({...loaded, double21: loaded.double(21)}));`;
	const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, bundle], {encoding: 'utf8'});
	const {double21, ...loaded} = JSON.parse(output) as Omit<Bundle, 'double'> & {double21: number};
	return {...loaded, double: (value: number) => (value === 21 ? double21 : Number.NaN)};
}

type Bundle = {answer: number; strict: boolean; filename: string; dirname: string; separator: string; double(value: number): number};

const bundleSource = `'use strict';
const path = require('node:path');
module.exports = {
	answer: 42,
	strict: (function () { return this === undefined; })(),
	filename: __filename,
	dirname: __dirname,
	separator: path.sep,
	double(value) { return value * 2; },
};
`;

describe('requireWithCodeCache', () => {
	const dir = mkdtempSync(join(tmpdir(), 'strata-code-cache-'));
	const bundle = join(dir, 'bundle.cjs');
	writeFileSync(bundle, bundleSource);
	const cacheFiles = () => readdirSync(dir).filter(name => name.endsWith('.v8cache'));
	after(() => rmSync(dir, {recursive: true, force: true}));

	test('runs the bundle as CommonJS: its exports, require, __filename, __dirname, strict mode', () => {
		const loaded = requireWithCodeCache(bundle) as Bundle;
		assert.equal(loaded.answer, 42);
		assert.equal(loaded.double(21), 42);
		assert.equal(loaded.strict, true);
		assert.equal(loaded.filename, bundle);
		assert.equal(loaded.dirname, dir);
		assert.equal(loaded.separator, '/');
	});

	test('the first load writes the cache beside the bundle, named for this Node; the next one uses it as it is', () => {
		const [name] = cacheFiles();
		assert.equal(name, `bundle.cjs.${process.version}-${process.arch}.v8cache`);
		const cache = join(dir, name!);
		const before = statSync(cache);
		assert.ok(before.size > 0);
		assert.equal((requireWithCodeCache(bundle) as Bundle).answer, 42);
		// Accepted by V8: not written again (a rewrite would be a new file renamed over it).
		assert.equal(statSync(cache).ino, before.ino);
		assert.deepEqual(cacheFiles(), [name]);
	});

	test('a cache V8 refuses (corrupt) is replaced by a good one; the bundle still loads', () => {
		const cache = join(dir, cacheFiles()[0]!);
		writeFileSync(cache, Buffer.from('not a V8 code cache'));
		assert.equal((requireWithCodeCache(bundle) as Bundle).answer, 42);
		assert.notEqual(readFileSync(cache).toString('latin1'), 'not a V8 code cache');
		const replaced = statSync(cache).ino;
		requireWithCodeCache(bundle);
		assert.equal(statSync(cache).ino, replaced);
	});

	test('a cache that cannot be written: the bundle loads, and no temp file is left', () => {
		const cache = join(dir, cacheFiles()[0]!);
		rmSync(cache);
		// A directory where the cache goes: it can be neither read nor replaced (as root too).
		mkdirSync(join(cache, 'in-the-way'), {recursive: true});
		assert.equal((requireWithCodeCache(bundle) as Bundle).answer, 42);
		assert.ok(statSync(cache).isDirectory());
		assert.deepEqual(readdirSync(dir).sort(), ['bundle.cjs', cacheFiles()[0]!].sort());
		rmSync(cache, {recursive: true});
	});

	test('the build (npm test runs it first) leaves the CLI bundle and its cache in dist/', () => {
		const dist = join(import.meta.dirname, '..', '..', 'dist');
		assert.ok(existsSync(join(dist, 'cli-core.cjs')));
		assert.ok(existsSync(join(dist, `cli-core.cjs.${process.version}-${process.arch}.v8cache`)));
	});
});
