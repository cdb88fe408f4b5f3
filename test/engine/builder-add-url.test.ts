// ADD from a URL, served by an HTTP server this test starts on 127.0.0.1 (never another address): the same
// Dockerfile built by Docker 20.10's classic builder (its daemon downloads on the host, so loopback works)
// and by strata's engine must give the same image (files, modes, mtimes from Last-Modified, history with
// the download's content hash) and the same cache hits; failures are one line naming the line and URL.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdirSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {Differential, differentialSkip} from '../interop/build-differential-support.js';
import {mergedTree, strataImage} from '../support/image-compare.js';
import {tempDir} from '../support/tmp.js';

const hello = 'hello over http\n';
const lastModified = 'Wed, 21 Oct 2015 07:28:00 GMT';

/** What the server answers: path -> status, headers, body. */
function routes(archive: Buffer, changing: () => string): Record<string, {status?: number; headers?: Record<string, string>; body: string | Buffer}> {
	return {
		'/files/hello.txt': {headers: {'last-modified': lastModified}, body: hello},
		'/files/archive.tar': {body: archive},
		'/redirect': {status: 302, headers: {location: '/files/hello.txt'}, body: ''},
		'/disposed/': {headers: {'content-disposition': 'attachment; filename="named-by-header.txt"'}, body: 'from the header\n'},
		'/changing.txt': {body: changing()},
		'/plain/': {body: 'no name anywhere\n'},
		'/missing': {status: 404, body: 'no such thing\n'},
	};
}

function listen(server: Server): Promise<number> {
	return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('ADD from a URL', {skip: differentialSkip, timeout: 900_000}, () => {
	let diff: Differential;
	let server: Server;
	let base: string;
	let closedPort: number;
	let changing = 'first version\n';
	const work = tempDir('strata-add-url');

	before(async () => {
		const tarSource = join(work, 'tar-source');
		mkdirSync(tarSource, {recursive: true});
		writeFileSync(join(tarSource, 'inside.txt'), 'inside the archive\n');
		const archive = execFileSync('tar', ['-cf', '-', '--numeric-owner', '--owner=0', '--group=0', '-C', tarSource, 'inside.txt']);
		server = createServer((request, response) => {
			const route = routes(archive, () => changing)[request.url ?? ''];
			if (!route) {
				response.writeHead(404).end('not found\n');
				return;
			}
			response.writeHead(route.status ?? 200, route.headers ?? {});
			response.end(route.body);
		});
		base = `http://127.0.0.1:${await listen(server)}`;
		// A port that was just free and is closed again: connecting is refused.
		const probe = createServer();
		closedPort = await listen(probe);
		await new Promise(resolve => probe.close(resolve));
		diff = await Differential.start();
	});

	after(async () => {
		await diff?.stop();
		await new Promise(resolve => server?.close(resolve));
	});

	/**
	 * Docker's and strata's images differ only by the default PATH: the classic builder adds it to the
	 * config of a base without one (strata-test/busybox), strata's builder does not yet (not ADD's doing).
	 */
	async function differences(tag: string): Promise<string[]> {
		return (await diff.differences(tag)).filter(line => !line.startsWith('config.Env: docker ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], strata (unset)'));
	}

	const dockerfile = () => `FROM strata-test/busybox
ADD ${base}/files/hello.txt /downloads/
ADD ${base}/files/hello.txt /renamed.txt
ADD ${base}/files/archive.tar /downloads/
ADD ${base}/redirect /downloads/redirected/
ADD ${base}/disposed/ /downloads/
ADD ${base}/changing.txt /changing.txt
ADD ${base}/files/hello.txt ${base}/changing.txt /both/
`;

	test('the same image as docker build: names, 0600, Last-Modified, no unpacking, redirects, history', {timeout: 300_000}, async () => {
		const dir = diff.context('add-url', {Dockerfile: dockerfile()});
		await diff.buildBoth(dir, {tag: 'add-url/same'});
		assert.deepEqual(await differences('add-url/same'), []);
		const files = mergedTree((await strataImage(diff.store, 'add-url/same')).layers);
		for (const path of ['downloads/hello.txt', 'renamed.txt', 'downloads/archive.tar', 'downloads/redirected/redirect', 'downloads/named-by-header.txt', 'changing.txt', 'both/hello.txt', 'both/changing.txt']) {
			const entry = files.get(path);
			assert.ok(entry, `${path} in ${[...files.keys()].join(' ')}`);
			assert.equal(entry.type, 'file', path);
			assert.equal(entry.mode & 0o7777, 0o600, path);
			assert.equal(`${entry.uid}:${entry.gid}`, '0:0', path);
		}
		assert.equal(files.get('downloads/hello.txt')!.mtime, Date.parse(lastModified) / 1000);
		assert.equal(files.get('changing.txt')!.mtime, 0);
		assert.equal(files.has('downloads/inside.txt'), false, 'a downloaded archive is not unpacked');
		const sum = createHash('sha256').update(hello).digest('hex');
		assert.equal(files.get('renamed.txt')!.sha256, sum);
	});

	test('a rebuild is all cache hits; changed content at a URL rebuilds from its step, as docker does', {timeout: 300_000}, async () => {
		const dir = diff.context('add-url-cache', {Dockerfile: dockerfile()});
		await diff.buildBoth(dir, {tag: 'add-url/cache'});
		const again = await diff.buildBoth(dir, {tag: 'add-url/cache'});
		assert.deepEqual(again.docker.cachedSteps, [2, 3, 4, 5, 6, 7, 8]);
		assert.deepEqual(again.strata.cachedSteps, again.docker.cachedSteps);
		changing = 'second version\n';
		const changed = await diff.buildBoth(dir, {tag: 'add-url/cache'});
		assert.deepEqual(changed.docker.cachedSteps, [2, 3, 4, 5, 6]);
		assert.deepEqual(changed.strata.cachedSteps, changed.docker.cachedSteps);
		assert.deepEqual(await differences('add-url/cache'), []);
	});

	async function failure(name: string, text: string): Promise<string> {
		const dir = join(work, name);
		mkdirSync(dir, {recursive: true});
		writeFileSync(join(dir, 'Dockerfile'), text);
		const outcome = await diff.strataBuild(dir, {tag: `add-url/${name}`});
		assert.equal(outcome.ok, false, `${name} should fail`);
		return outcome.error!;
	}

	test('a 404, a refused connection and a wrong checksum fail in one line naming the line and the URL', {timeout: 120_000}, async () => {
		assert.equal(await failure('missing', `FROM strata-test/busybox\n\nADD ${base}/missing /x\n`), `Dockerfile:3: ADD ${base}/missing: the server answered 404 Not Found`);
		const closed = `http://127.0.0.1:${closedPort}/file.txt`;
		assert.equal(await failure('refused', `FROM strata-test/busybox\nADD ${closed} /x\n`), `Dockerfile:2: ADD ${closed}: connection refused (connect ECONNREFUSED 127.0.0.1:${closedPort})`);
		const wrong = `sha256:${'0'.repeat(64)}`;
		const actual = `sha256:${createHash('sha256').update(hello).digest('hex')}`;
		assert.equal(
			await failure('checksum', `FROM strata-test/busybox\nADD --checksum=${wrong} ${base}/files/hello.txt /x\n`),
			`Dockerfile:2: ADD ${base}/files/hello.txt: checksum mismatch: expected ${wrong}, downloaded ${actual}`,
		);
		assert.equal(await failure('checksum-local', 'FROM strata-test/busybox\nADD --checksum=sha256:00 Dockerfile /x\n'), "Dockerfile:2: checksum can't be specified for non-HTTP sources");
		assert.equal(await failure('unnamed', `FROM strata-test/busybox\nADD ${base}/plain/ /dir/\n`), `Dockerfile:2: ADD failed: cannot determine filename for source ${base}/plain/`);
		assert.equal(await failure('copy-url', `FROM strata-test/busybox\nCOPY ${base}/files/hello.txt /x\n`), "Dockerfile:2: COPY failed: source can't be a URL for COPY");
	});

	test('--checksum that matches, --chmod on a download', {timeout: 120_000}, async () => {
		const checksum = `sha256:${createHash('sha256').update(hello).digest('hex')}`;
		const dir = join(work, 'checksum-ok');
		mkdirSync(dir, {recursive: true});
		writeFileSync(join(dir, 'Dockerfile'), `FROM strata-test/busybox\nADD --checksum=${checksum} --chmod=644 ${base}/files/hello.txt /checked.txt\n`);
		const outcome = await diff.strataBuild(dir, {tag: 'add-url/checksum'});
		assert.ok(outcome.ok, outcome.error);
		const entry = mergedTree((await strataImage(diff.store, 'add-url/checksum')).layers).get('checked.txt');
		assert.equal((entry?.mode ?? 0) & 0o7777, 0o644);
		assert.equal(entry?.mtime, Date.parse(lastModified) / 1000);
	});
});
