// Cases are taken from distribution/reference's normalize_test.go and reference_test.go, so that a
// reference means here what it means to `docker`.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {StrataError} from '../../source/engine/errors.js';
import {
	familiarName,
	familiarReference,
	fullReference,
	matchesReferencePattern,
	parseReference,
	parseReferenceWithDefaultTag,
	repositoryName,
	tryParseReference,
	validateTag,
	type Reference,
} from '../../source/engine/reference/reference.js';

const hex = 'e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582';
const digest = `sha256:${hex}` as const;

function assertInvalid(input: string, message: RegExp) {
	assert.throws(
		() => parseReference(input),
		(error: unknown) => {
			assert.ok(error instanceof StrataError, `expected a StrataError for ${JSON.stringify(input)}`);
			assert.match(error.message, message);
			assert.ok(!error.message.includes('\n'), 'error messages are one line');
			return true;
		},
	);
	assert.equal(tryParseReference(input), undefined);
}

describe('parseReference normalization', () => {
	const table: Array<[input: string, expected: Reference]> = [
		['busybox', {domain: 'docker.io', path: 'library/busybox'}],
		['busybox:latest', {domain: 'docker.io', path: 'library/busybox', tag: 'latest'}],
		['library/busybox:1', {domain: 'docker.io', path: 'library/busybox', tag: '1'}],
		['docker.io/busybox', {domain: 'docker.io', path: 'library/busybox'}],
		['docker.io/library/busybox', {domain: 'docker.io', path: 'library/busybox'}],
		['index.docker.io/library/busybox', {domain: 'docker.io', path: 'library/busybox'}],
		['index.docker.io/busybox', {domain: 'docker.io', path: 'library/busybox'}],
		['index.docker.io/fooo/bar', {domain: 'docker.io', path: 'fooo/bar'}],
		['docker.io/library/foo/bar', {domain: 'docker.io', path: 'library/foo/bar'}],
		['dmcgowan/myapp:latest', {domain: 'docker.io', path: 'dmcgowan/myapp', tag: 'latest'}],
		['store/foo/bar', {domain: 'docker.io', path: 'store/foo/bar'}],
		['test_com/foo', {domain: 'docker.io', path: 'test_com/foo'}],
		['localhost/foo', {domain: 'localhost', path: 'foo'}],
		['localhost/fooo/bar', {domain: 'localhost', path: 'fooo/bar'}],
		['localhost:5000/foo/bar:tag', {domain: 'localhost:5000', path: 'foo/bar', tag: 'tag'}],
		['127.0.0.1:5000/x@' + digest, {domain: '127.0.0.1:5000', path: 'x', digest}],
		['foo.com/bar', {domain: 'foo.com', path: 'bar'}],
		['test-com:8080/foo', {domain: 'test-com:8080', path: 'foo'}],
		['xn--n3h.com:18080/foo', {domain: 'xn--n3h.com:18080', path: 'foo'}],
		['sub-dom1.foo.com/bar/baz/quux:some-long-tag', {domain: 'sub-dom1.foo.com', path: 'bar/baz/quux', tag: 'some-long-tag'}],
		['[2001:db8::1]/repo', {domain: '[2001:db8::1]', path: 'repo'}],
		['[fc00::1]:5000/docker/docker', {domain: '[fc00::1]:5000', path: 'docker/docker'}],
		// An uppercase first component cannot be a Hub namespace, so Docker takes it for a registry host.
		['Foo/bar', {domain: 'Foo', path: 'bar'}],
		['LOCALDOMAIN/fooo/bar', {domain: 'LOCALDOMAIN', path: 'fooo/bar'}],
		// A single component is always a Hub name: this is library/localhost tagged 5000.
		['localhost:5000', {domain: 'docker.io', path: 'library/localhost', tag: '5000'}],
		['localhost', {domain: 'docker.io', path: 'library/localhost'}],
		// Uppercase is fine in tags, and in the algorithm-less "sha256:<hex>", hex is just a tag.
		['lowercase:Uppercase', {domain: 'docker.io', path: 'library/lowercase', tag: 'Uppercase'}],
		['sha256:' + hex, {domain: 'docker.io', path: 'library/sha256', tag: hex}],
		// 63 hex characters are a valid name; only exactly 64 look like an image ID.
		[hex.slice(1), {domain: 'docker.io', path: 'library/' + hex.slice(1)}],
		['docker.io/' + hex, {domain: 'docker.io', path: 'library/' + hex}],
		['busybox:latest@' + digest, {domain: 'docker.io', path: 'library/busybox', tag: 'latest', digest}],
		['docker---rules/dock__er.x_y', {domain: 'docker.io', path: 'docker---rules/dock__er.x_y'}],
		['example.com/' + 'a'.repeat(255) + ':tag', {domain: 'example.com', path: 'a'.repeat(255), tag: 'tag'}],
		// Docker's length limit is on the path, not the host.
		['a/'.repeat(127) + 'a:tag-puts-this-over-max', {domain: 'docker.io', path: 'a/'.repeat(127) + 'a', tag: 'tag-puts-this-over-max'}],
		// Not a valid host (underscore), yet a valid path component: Docker reads it as a domain-less path.
		['a_b.com/foo', {domain: '', path: 'a_b.com/foo'}],
	];
	for (const [input, expected] of table) {
		it(input.length > 80 ? input.slice(0, 77) + '...' : input, () => {
			assert.deepEqual(parseReference(input), expected);
			assert.deepEqual(tryParseReference(input), expected);
		});
	}

	it('does not add a tag; parseReferenceWithDefaultTag adds latest only without tag and digest', () => {
		assert.equal(parseReference('busybox').tag, undefined);
		assert.deepEqual(parseReferenceWithDefaultTag('busybox'), {domain: 'docker.io', path: 'library/busybox', tag: 'latest'});
		assert.deepEqual(parseReferenceWithDefaultTag('gcr.io/library/busybox'), {domain: 'gcr.io', path: 'library/busybox', tag: 'latest'});
		assert.equal(parseReferenceWithDefaultTag('busybox:1.36').tag, '1.36');
		assert.deepEqual(parseReferenceWithDefaultTag('busybox@' + digest), {domain: 'docker.io', path: 'library/busybox', digest});
		assert.equal(parseReferenceWithDefaultTag('busybox:1@' + digest).tag, '1');
	});
});

describe('parseReference rejects what Docker rejects', () => {
	it('uppercase repository names, with Docker\'s message', () => {
		assertInvalid('Busybox', /^invalid reference format: repository name \(library\/Busybox\) must be lowercase$/);
		assertInvalid('Uppercase:tag', /repository name \(library\/Uppercase\) must be lowercase/);
		assertInvalid('docker/Docker', /repository name \(docker\/Docker\) must be lowercase/);
		assertInvalid('docker.io/docker/Docker', /repository name \(docker\/Docker\) must be lowercase/);
		assertInvalid('test:5000/Uppercase/lowercase:tag', /repository name \(Uppercase\/lowercase\) must be lowercase/);
		assertInvalid('localhost:5000/Foo', /repository name \(Foo\) must be lowercase/);
	});

	it('a 64-hex-character name, which would be an image ID', () => {
		assertInvalid(hex, /^invalid repository name \(e6693c.*\), cannot specify 64-byte hexadecimal strings$/);
	});

	it('empty and missing parts, naming the input', () => {
		assertInvalid('', /^invalid reference format: "" — repository name must not be empty$/);
		assertInvalid('busybox:', /^invalid reference format: "busybox:" — tag must not be empty$/);
		assertInvalid(':tag', /^invalid reference format: ":tag" — repository name must not be empty$/);
		assertInvalid(':justtag', /":justtag"/);
		assertInvalid('@' + digest, /repository name must not be empty/);
		assertInvalid('docker/', /"docker\/" — repository name must not contain empty path components/);
		assertInvalid('foo//bar', /"foo\/\/bar" — repository name must not contain empty path components/);
		assertInvalid('docker///docker', /empty path components/);
		assertInvalid('docker.io/docker///docker', /empty path components/);
		assertInvalid('busybox@', /^invalid reference format: "busybox@"/);
	});

	it('malformed path components', () => {
		for (const input of ['-foo', '-docker/docker', 'docker-/docker', '-docker-/docker', '____/____', '_docker/_docker', 'docker/dock_.er', 'docker/dock-.er', 'aa/asdf$$^/aa', 'foo bar', 'docker/dock..er']) {
			assertInvalid(input, /^invalid reference format: ".*" — invalid repository name component/);
		}
		assertInvalid('-foo', /component "-foo"/);
		// With a dot the first component is taken for a registry host, as in Docker.
		assertInvalid('dock..er/docker', /"dock\.\.er" is not a valid registry host/);
	});

	it('malformed registry hosts', () => {
		assertInvalid('-docker.io/docker/docker', /"-docker\.io" is not a valid registry host/);
		assertInvalid('https://github.com/docker/docker', /"https:" is not a valid registry host/);
		assertInvalid('fc00::1:5000/debian', /not a valid registry host/);
		assertInvalid('[fe80::1%eth0]:5000/debian', /not a valid registry host/);
		assertInvalid('[2001:db8:3:4::192.0.2.33]:5000/debian', /not a valid registry host/);
		assertInvalid('[fc00::1]', /invalid reference format/);
		assertInvalid('[fc00::1]:5000', /invalid reference format/);
		assertInvalid('[2001:db8::1]:tag', /invalid reference format/);
	});

	it('names longer than 255 characters', () => {
		assertInvalid('a'.repeat(256), /must not be more than 255 characters/);
		assertInvalid('example.com/' + 'a'.repeat(256), /must not be more than 255 characters/);
		assertInvalid('domain/' + 'a'.repeat(256) + ':tag', /must not be more than 255 characters/);
		assertInvalid(Array(4).fill('this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255').join('_') + '/docker', /255 characters/);
	});

	it('bad tags', () => {
		assert.ok(parseReference('busybox:' + 'a'.repeat(128)));
		assertInvalid('busybox:' + 'a'.repeat(129), /tag must be at most 128 characters/);
		assertInvalid('busybox:-foo', /tag must start with a letter, digit or "_"/);
		assertInvalid('busybox:.foo', /tag must start/);
		assertInvalid('busybox:a+b', /tag may contain only/);
		assertInvalid('busybox:a:b', /tag may contain only/);
	});

	it('bad digests, with go-digest\'s reasons', () => {
		assertInvalid('repo@sha256:ffffffffffffffffffffffffffffffffff', /"repo@sha256:f+" — invalid checksum digest length$/);
		assertInvalid('busybox@sha256:' + hex + 'ff', /invalid checksum digest length/);
		assertInvalid('busybox@sha256:' + hex.toUpperCase(), /invalid checksum digest format/);
		assertInvalid('validname@invaliddigest:' + 'f'.repeat(64), /unsupported digest algorithm "invaliddigest"/);
		assertInvalid('validname@sha512:' + 'f'.repeat(128), /unsupported digest algorithm "sha512"/);
		assertInvalid('busybox@sha256:abc', /invalid digest format/);
		assertInvalid('busybox@' + hex, /invalid digest format/);
	});

	it('tryParseReference returns undefined instead of throwing', () => {
		assert.equal(tryParseReference('Busybox'), undefined);
		assert.equal(tryParseReference(hex), undefined);
	});

	it('stays fast on long hostile input', () => {
		const started = performance.now();
		for (const input of ['a-'.repeat(5000) + '!', 'a.'.repeat(5000) + '!/x', 'a'.repeat(10_000) + ':' + 'b'.repeat(10_000) + '!']) {
			assert.equal(tryParseReference(input), undefined);
		}
		assert.ok(performance.now() - started < 2000);
	});
});

describe('formatting', () => {
	const table: Array<[input: string, repository: string, full: string, familiar: string, familiarFull: string]> = [
		['busybox', 'docker.io/library/busybox', 'docker.io/library/busybox', 'busybox', 'busybox'],
		['busybox:latest', 'docker.io/library/busybox', 'docker.io/library/busybox:latest', 'busybox', 'busybox:latest'],
		['index.docker.io/library/busybox:1', 'docker.io/library/busybox', 'docker.io/library/busybox:1', 'busybox', 'busybox:1'],
		['fooo/bar', 'docker.io/fooo/bar', 'docker.io/fooo/bar', 'fooo/bar', 'fooo/bar'],
		['library/foo/bar', 'docker.io/library/foo/bar', 'docker.io/library/foo/bar', 'library/foo/bar', 'library/foo/bar'],
		['other/library', 'docker.io/other/library', 'docker.io/other/library', 'other/library', 'other/library'],
		['localhost/fooo', 'localhost/fooo', 'localhost/fooo', 'localhost/fooo', 'localhost/fooo'],
		['localhost:5000/x/y:tag', 'localhost:5000/x/y', 'localhost:5000/x/y:tag', 'localhost:5000/x/y', 'localhost:5000/x/y:tag'],
		['127.0.0.1:8000/private/moonbase', '127.0.0.1:8000/private/moonbase', '127.0.0.1:8000/private/moonbase', '127.0.0.1:8000/private/moonbase', '127.0.0.1:8000/private/moonbase'],
		['example.com/busybox', 'example.com/busybox', 'example.com/busybox', 'example.com/busybox', 'example.com/busybox'],
		['FOO/bar', 'FOO/bar', 'FOO/bar', 'FOO/bar', 'FOO/bar'],
		['busybox@' + digest, 'docker.io/library/busybox', 'docker.io/library/busybox@' + digest, 'busybox', 'busybox@' + digest],
		['busybox:latest@' + digest, 'docker.io/library/busybox', 'docker.io/library/busybox:latest@' + digest, 'busybox', 'busybox:latest@' + digest],
	];
	for (const [input, repository, full, familiar, familiarFull] of table) {
		it(input, () => {
			const reference = parseReference(input);
			assert.equal(repositoryName(reference), repository);
			assert.equal(fullReference(reference), full);
			assert.equal(familiarName(reference), familiar);
			assert.equal(familiarReference(reference), familiarFull);
			// Both printed forms parse back to the same reference.
			assert.deepEqual(parseReference(full), reference);
			assert.deepEqual(parseReference(familiarFull), reference);
		});
	}

	it('the default tag shows in both forms', () => {
		const reference = parseReferenceWithDefaultTag('busybox');
		assert.equal(fullReference(reference), 'docker.io/library/busybox:latest');
		assert.equal(familiarReference(reference), 'busybox:latest');
	});
});

describe('validateTag', () => {
	it('accepts Docker tags', () => {
		for (const tag of ['latest', '1.36.1', 'v1_2-rc.3', '_x', 'Uppercase', 'a'.repeat(128)]) {
			assert.equal(validateTag(tag), undefined, tag);
		}
	});

	it('explains what is wrong', () => {
		assert.equal(validateTag(''), 'tag must not be empty');
		assert.match(validateTag('a'.repeat(129))!, /at most 128 characters \(has 129\)/);
		assert.match(validateTag('-x')!, /must start with/);
		assert.match(validateTag('.x')!, /must start with/);
		assert.match(validateTag('a/b')!, /may contain only/);
		assert.match(validateTag('a b')!, /may contain only/);
		assert.match(validateTag('é')!, /must start with/);
	});
});

describe('matchesReferencePattern', () => {
	function matches(input: string, pattern: string) {
		return matchesReferencePattern(parseReference(input), pattern);
	}

	it('follows distribution/reference TestMatch', () => {
		assert.equal(matches('foo', 'foo/**/ba[rz]'), false);
		assert.equal(matches('foo/any/bat', 'foo/**/ba[rz]'), false);
		assert.equal(matches('foo/a/bar', 'foo/**/ba[rz]'), true);
		assert.equal(matches('foo/b/baz', 'foo/**/ba[rz]'), true);
		assert.equal(matches('foo/c/baz:tag', 'foo/**/ba[rz]'), true);
		assert.equal(matches('foo/c/baz:tag', 'foo/*/baz:tag'), true);
		assert.equal(matches('foo/c/baz:tag', 'foo/c/baz:tag'), true);
		assert.equal(matches('example.com/foo/c/baz:tag', '*/foo/c/baz'), true);
		assert.equal(matches('example.com/foo/c/baz:tag', 'example.com/foo/c/baz'), true);
	});

	it('matches the familiar name, or name:tag when the pattern has a tag', () => {
		assert.equal(matches('busybox:latest', 'busybox'), true);
		assert.equal(matches('busybox:latest', 'busybox:latest'), true);
		assert.equal(matches('busybox:latest', 'busybox:1.36'), false);
		assert.equal(matches('busybox:1.36.1', 'busybox:1.*'), true);
		assert.equal(matches('busybox:latest', 'busy*'), true);
		assert.equal(matches('busybox:latest', 'busybo?'), true);
		assert.equal(matches('busybox:latest', 'busybox:?atest'), true);
		assert.equal(matches('busybox:latest', 'alpine'), false);
	});

	it('does not let * or ? cross a slash', () => {
		assert.equal(matches('busybox', '*'), true);
		assert.equal(matches('user/app', '*'), false);
		assert.equal(matches('user/app', '*/*'), true);
		assert.equal(matches('user/app', 'user?app'), false);
		assert.equal(matches('localhost:5000/x/y:tag', 'localhost:5000/*'), false);
		assert.equal(matches('localhost:5000/x/y:tag', 'localhost:5000/*/*'), true);
	});

	it('also matches the full name', () => {
		assert.equal(matches('busybox:latest', 'docker.io/library/busybox'), true);
		assert.equal(matches('busybox:latest', 'docker.io/library/*'), true);
		assert.equal(matches('busybox:latest', 'docker.io/library/busybox:lat*'), true);
		assert.equal(matches('user/app', 'docker.io/*/app'), true);
		assert.equal(matches('user/app', 'library/*'), false);
	});

	it('supports classes, negation, ranges and escapes', () => {
		assert.equal(matches('app1', 'app[0-9]'), true);
		assert.equal(matches('appx', 'app[0-9]'), false);
		assert.equal(matches('appx', 'app[^0-9]'), true);
		assert.equal(matches('app1', 'app[^0-9]'), false);
		assert.equal(matches('app-1', 'app[\\-]1'), true);
		assert.equal(matches('app-1', 'app\\-1'), true);
		assert.equal(matches('app.1', 'app?1'), true);
		assert.equal(matches('appx1', 'app.1'), false);
		assert.equal(matches('app1', 'app[9-0]'), false);
	});

	it('treats a malformed pattern as matching nothing', () => {
		for (const pattern of ['[-x]', '[]', 'busybox[', 'busybox\\', '[a-]', '[]a]']) {
			assert.equal(matches('busybox', pattern), false, pattern);
		}
	});
});
