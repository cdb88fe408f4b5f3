// planStages: FROM lines expanded with the ARGs before the first FROM and --build-arg, stage references
// (FROM name, COPY --from=name|index|image), the stages a target needs, their order and concurrent groups,
// and the classic builder's build-argument rules.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {parseDockerfile} from '../../source/engine/builder/dockerfile/parse-dockerfile.js';
import {planStages, type PlanOptions} from '../../source/engine/builder/dockerfile/plan-stages.js';

function plan(text: string, options: PlanOptions = {}) {
	return planStages(parseDockerfile(text, {file: 'Dockerfile'}), options);
}

describe('planStages: FROM expansion', () => {
	it('expands global ARGs, with --build-arg overriding their defaults', () => {
		const text = 'ARG BASE=alpine\nARG TAG=3\nFROM --platform=${PLATFORM:-linux/amd64} ${BASE}:${TAG}\n';
		assert.deepEqual(plan(text).stages[0]!.base, {kind: 'image', reference: 'alpine:3'});
		assert.equal(plan(text).stages[0]!.platform, 'linux/amd64');
		assert.deepEqual(plan(text, {buildArgs: {TAG: 'edge'}}).stages[0]!.base, {kind: 'image', reference: 'alpine:edge'});
	});

	it('lets a global ARG use the ones before it, but not those on its own line (classic builder)', () => {
		const text = 'ARG A=x\nARG B=${A}y C=1 D=${C}z\nFROM ${B}-${D}\n';
		assert.deepEqual(plan(text).stages[0]!.base, {kind: 'image', reference: 'xy-z'});
	});

	it('ignores --build-args without an ARG, except the predefined proxy ones', () => {
		const text = 'FROM ${HTTP_PROXY:-scratch}${OTHER}\n';
		assert.deepEqual(plan(text, {buildArgs: {OTHER: 'o'}}).stages[0]!.base, {kind: 'scratch'});
		assert.deepEqual(plan(text, {buildArgs: {HTTP_PROXY: 'proxy'}}).stages[0]!.base, {kind: 'image', reference: 'proxy'});
	});

	it('treats a bare --build-arg (no value) as not given', () => {
		const text = 'ARG TAG=3\nFROM alpine:$TAG\n';
		assert.deepEqual(plan(text, {buildArgs: {TAG: undefined}}).stages[0]!.base, {kind: 'image', reference: 'alpine:3'});
	});

	it('refuses a FROM that expands to nothing, or fails to expand, naming its line', () => {
		assert.throws(() => plan('ARG EMPTY\n\nFROM ${EMPTY}\n'), {message: 'Dockerfile:3: base name (${EMPTY}) should not be blank'});
		assert.throws(() => plan('FROM ${BASE:?set_BASE}\n'), {
			message: 'Dockerfile:1: failed to process "${BASE:?set_BASE}": BASE: set_BASE',
		});
	});
});

describe('planStages: stage references', () => {
	const text = [
		'FROM alpine AS Base', // 0
		'FROM base AS a', // 1
		'COPY --from=BASE /x /x',
		'FROM base AS b', // 2
		'FROM debian AS unused', // 3
		'FROM scratch', // 4
		'COPY --from=a /a /a',
		'COPY --from=2 /b /b',
		'COPY --from=busybox:1.36 /bin/busybox /busybox',
		'',
	].join('\n');

	it('resolves bases and COPY --from to earlier stages (case-insensitive), indexes, scratch or images', () => {
		const {stages} = plan(text);
		assert.deepEqual(
			stages.map(stage => stage.base),
			[
				{kind: 'image', reference: 'alpine'},
				{kind: 'stage', index: 0},
				{kind: 'stage', index: 0},
				{kind: 'image', reference: 'debian'},
				{kind: 'scratch'},
			],
		);
		assert.deepEqual(
			stages[4]!.copyFrom.map(copy => copy.source),
			[
				{kind: 'stage', index: 1},
				{kind: 'stage', index: 2},
				{kind: 'image', reference: 'busybox:1.36'},
			],
		);
		assert.deepEqual(
			stages.map(stage => stage.dependencies),
			[[], [0], [0], [], [1, 2]],
		);
	});

	it('builds only what the target needs, dependencies first, in concurrent groups', () => {
		const full = plan(text);
		assert.equal(full.target, 4);
		assert.deepEqual(full.order, [0, 1, 2, 4]);
		assert.deepEqual(full.groups, [[0], [1, 2], [4]]);
		const partial = plan(text, {target: 'A'});
		assert.equal(partial.target, 1);
		assert.deepEqual(partial.order, [0, 1]);
		assert.deepEqual(partial.groups, [[0], [1]]);
		assert.deepEqual(plan(text, {target: 'unused'}).order, [3]);
	});

	it('groups independent stages together', () => {
		const independent = plan('FROM a AS x\nFROM b AS y\nFROM c AS z\nFROM scratch\nCOPY --from=x / /\nCOPY --from=y / /\nCOPY --from=z / /\n');
		assert.deepEqual(independent.groups, [[0, 1, 2], [3]]);
	});

	it('takes a FROM naming a later stage, or scratch after a stage named so, as written', () => {
		const later = plan('FROM later\nFROM alpine AS later\n');
		assert.deepEqual(later.stages[0]!.base, {kind: 'image', reference: 'later'});
		const shadow = plan('FROM alpine AS scratch\nFROM scratch\n');
		assert.deepEqual(shadow.stages[1]!.base, {kind: 'stage', index: 0});
	});

	const errors: Array<[dockerfile: string, options: PlanOptions, message: string]> = [
		['FROM a\n', {target: 'nope'}, 'target stage "nope" could not be found'],
		['FROM a AS x\nFROM b\nCOPY --from=$X / /\n', {}, 'Dockerfile:3: variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround'],
		['FROM a AS x\nCOPY --from=later / /\nFROM b AS later\n', {}, 'Dockerfile:2: cannot copy from stage "later", it needs to be defined before current stage "x"'],
		['FROM a\nCOPY --from=0 / /\n', {}, 'Dockerfile:2: invalid from flag value 0: refers to current build stage'],
		['FROM a\nFROM b\nCOPY --from=5 / /\n', {}, 'Dockerfile:3: invalid from flag value 5: index out of bounds'],
		['FROM a\nFROM b\nCOPY --from=-1 / /\n', {}, 'Dockerfile:3: invalid from flag value -1: index out of bounds'],
	];
	for (const [dockerfile, options, message] of errors) {
		it(message, () => assert.throws(() => plan(dockerfile, options), {message}));
	}
});

describe('planStages: build arguments', () => {
	it('lists --build-args no ARG of the built stages declares', () => {
		const text = 'ARG GLOBAL\nFROM a AS skipped\nARG ONLY_SKIPPED\nFROM b\nARG USED\n';
		const result = plan(text, {buildArgs: {GLOBAL: '1', USED: '2', ONLY_SKIPPED: '3', TYPO: '4', HTTP_PROXY: '5'}});
		assert.deepEqual(result.unusedBuildArgs, ['ONLY_SKIPPED', 'TYPO']);
	});

	it('gives each stage the global values for ARGs it declares without a default', () => {
		const result = plan('ARG VERSION=1.0\nARG OTHER=x\nFROM a\n', {buildArgs: {OTHER: 'cli'}});
		const stage = result.buildArgs.forStage();
		assert.deepEqual([...stage.allAllowed()], []);
		stage.addArg('VERSION', undefined);
		stage.addArg('OTHER', undefined);
		stage.addArg('OWN', 'default');
		assert.deepEqual([...stage.allAllowed()].sort(), [
			['OTHER', 'cli'],
			['OWN', 'default'],
			['VERSION', '1.0'],
		]);
		assert.deepEqual(stage.filterAllowed(['PATH=/bin', 'OWN=from-env']), ['OTHER=cli', 'VERSION=1.0']);
		assert.equal(stage.isReferencedOrNotBuiltin('HTTP_PROXY'), false);
		assert.equal(stage.isReferencedOrNotBuiltin('OWN'), true);
	});

	it('makes proxy --build-args visible to every stage without an ARG', () => {
		const result = plan('FROM a\n', {buildArgs: {https_proxy: 'http://proxy:3128'}});
		assert.deepEqual([...result.buildArgs.forStage().allAllowed()], [['https_proxy', 'http://proxy:3128']]);
	});
});
