// docker build next to strata build for the build cache (issue 5, point 6): after the same first build, each
// rebuild (no change, a touched file, one changed file, a changed build arg, an added file in a copied dir)
// must take the same steps from the cache in both builders (docker's "Using cache" lines, strata's
// step-cached events), and still make the same image.
import assert from 'node:assert/strict';
import {utimesSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {Differential, differentialSkip, type BuildRequest, useDifferential} from './build-differential-support.js';

const dockerfile = `FROM strata-test/busybox
ARG VERSION=1
ENV APP=/app
COPY config.txt /app/
COPY src /app/src/
RUN echo "version $VERSION" > /app/version && ls /app/src > /app/listing
RUN cat /app/config.txt > /app/copied
LABEL stage=final
CMD ["cat", "/app/version"]
`;

describe('docker build and strata build take the same steps from the cache', {skip: differentialSkip, timeout: 900_000}, () => {
	let diff!: Differential;
	let dir!: string;
	useDifferential(started => {
		diff = started;
		dir = diff.context('cache', {Dockerfile: dockerfile, 'config.txt': 'config v1\n', 'src/a.c': 'a\n', 'src/b.c': 'b\n'});
	});

	/** Builds with both, asserts the same cached steps and the same image; returns the cached steps. */
	async function rebuild(request: Partial<BuildRequest> = {}): Promise<number[]> {
		const full = {tag: 'diff/cache', ...request};
		const {docker, strata} = await diff.buildBoth(dir, full);
		assert.deepEqual(strata.cachedSteps, docker.cachedSteps, 'the steps taken from the cache (docker first)');
		const differences = await diff.differences(full.tag);
		assert.deepEqual(differences, []);
		return docker.cachedSteps;
	}

	test('a first build uses no cache', {timeout: 300_000}, async () => {
		assert.deepEqual(await rebuild(), []);
	});

	test('a rebuild with no change takes every step from the cache', {timeout: 300_000}, async () => {
		assert.deepEqual(await rebuild(), [2, 3, 4, 5, 6, 7, 8, 9]);
	});

	test('a touched file (same content, new mtime) keeps the cache', {timeout: 300_000}, async () => {
		const later = new Date(Date.now() + 60_000);
		utimesSync(join(dir, 'src', 'a.c'), later, later);
		assert.deepEqual(await rebuild(), [2, 3, 4, 5, 6, 7, 8, 9]);
	});

	test('one changed file rebuilds from its COPY on', {timeout: 300_000}, async () => {
		diff.write(dir, {'config.txt': 'config v2\n'});
		assert.deepEqual(await rebuild(), [2, 3]);
	});

	test('a file added to a copied dir rebuilds from that COPY on', {timeout: 300_000}, async () => {
		diff.write(dir, {'src/c.c': 'c\n'});
		assert.deepEqual(await rebuild(), [2, 3, 4]);
	});

	test('a changed build arg rebuilds the RUN steps that see it', {timeout: 300_000}, async () => {
		await rebuild({buildArgs: {VERSION: '2'}});
	});

	test('the same build arg again is taken from the cache', {timeout: 300_000}, async () => {
		assert.deepEqual(await rebuild({buildArgs: {VERSION: '2'}}), [2, 3, 4, 5, 6, 7, 8, 9]);
	});
});
