// ONBUILD: an image with triggers, then a build FROM it. docker build (20.10's classic builder) and strata
// build must make the same two images (filesystem, layers, settings with OnBuild, history), and the
// trigger steps must be reported as steps-added after the FROM step, the classic output naming them.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {BuildEvent} from '../../source/engine/builder/build-events.js';
import {buildImage} from '../../source/engine/builder/executor/build-image.js';
import {drain} from '../../source/engine/progress.js';
import {PlainBuildOutput} from '../../source/cli/format/build-output-plain.js';
import {Differential, differentialSkip, useDifferential} from './build-differential-support.js';

describe('docker build and strata build: ONBUILD triggers', {skip: differentialSkip, timeout: 900_000}, () => {
	let diff!: Differential;
	useDifferential(started => (diff = started));

	test('a base with ONBUILD COPY and RUN, then a build FROM it', {timeout: 600_000}, async () => {
		await diff.same('onbuild-base', {
			Dockerfile: 'FROM strata-test/busybox\nONBUILD COPY app.txt /app/\nONBUILD RUN cat /app/app.txt > /app/copied && echo triggered\nCMD ["sh"]\n',
		}, {tag: 'diff/onbuild-base'});
		const child = diff.context('onbuild-child', {Dockerfile: 'FROM diff/onbuild-base\nENV CHILD=1\n', 'app.txt': 'from the child context\n'});
		const docker = await diff.dockerBuild(child, {tag: 'diff/onbuild-child'});
		assert.ok(docker.ok, docker.error);
		const events: BuildEvent[] = [];
		const lines: string[] = [];
		const output = new PlainBuildOutput(line => lines.push(line), () => {});
		await drain(buildImage(diff.store, {contextDir: child, tags: ['diff/onbuild-child'], network: 'none'}), event => {
			if (event.kind !== 'build') return;
			events.push(event.event);
			output.handle(event.event);
		});
		const differences = await diff.differences('diff/onbuild-child');
		assert.deepEqual(differences, []);
		const added = events.find(event => event.type === 'steps-added');
		assert.deepEqual(added, {
			type: 'steps-added',
			after: 1,
			steps: [
				{number: 3, stage: 0, text: 'COPY app.txt /app/', line: 1},
				{number: 4, stage: 0, text: 'RUN cat /app/app.txt > /app/copied && echo triggered', line: 1},
			],
		});
		assert.deepEqual(lines.slice(0, 3), ['Step 1/2 : FROM diff/onbuild-base', '# Executing 2 build triggers', lines[2]!.startsWith(' ---> Running in ') ? lines[2]! : '(a RUN trigger)']);
		assert.equal(lines[3], 'triggered');
		assert.ok(lines.includes('Step 2/2 : ENV CHILD=1'), lines.join('\n'));
		// A build FROM the child image runs no trigger any more: the first build cleared OnBuild.
		const grandchild = diff.context('onbuild-grandchild', {Dockerfile: 'FROM diff/onbuild-child\nCMD ["true"]\n'});
		const again: BuildEvent[] = [];
		await drain(buildImage(diff.store, {contextDir: grandchild, network: 'none'}), event => {
			if (event.kind === 'build') again.push(event.event);
		});
		assert.ok(!again.some(event => event.type === 'steps-added'));
	});
});
