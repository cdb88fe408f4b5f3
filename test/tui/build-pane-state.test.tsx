// The build pane's pure parts: the reducer over build events (batches, concurrent steps, ONBUILD steps,
// bounded output, failure and cancel), the step status column, and the form's checks and completion.
import assert from 'node:assert/strict';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import type {BuildEvent, PlannedStep} from '../../source/engine/builder/build-events.js';
import type {Digest} from '../../source/engine/digest.js';
import {checkForm, checkTags, completePath, formOptions, initialForm, parseBuildArgs} from '../../source/tui/panes/build/build-form-state.js';
import {type BuildRun, buildRunReducer, shownStep, startedRun, stepCounts, stepOutputLimit} from '../../source/tui/panes/build/build-run-state.js';
import {elapsedText, stepStatusText} from '../../source/tui/panes/build/StepList.js';
import {tempDir} from '../support/tmp.js';

const id = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}` as Digest;
const step = (number: number, text: string, stage = 0): PlannedStep => ({number, stage, text, line: number});
const plan: BuildEvent = {type: 'plan', file: 'Dockerfile', steps: [step(1, 'FROM busybox'), step(2, 'RUN make'), step(3, 'COPY . /app')], stages: [{index: 0, steps: [1, 2, 3], dependsOn: []}]};

function apply(run: BuildRun, events: BuildEvent[], now = 1000): BuildRun {
	return buildRunReducer(run, {type: 'events', events, now});
}

describe('the build run reducer', () => {
	test('plan, start, output, done and cached steps, in one batch', () => {
		let run = apply(startedRun(0), [plan, {type: 'step-started', step: 1, at: 1}, {type: 'step-cached', step: 1, imageId: id(1)}, {type: 'step-started', step: 2, at: 2}, {type: 'step-container', step: 2, containerId: 'c0ffee'}, {type: 'step-output', step: 2, stream: 'stdout', line: 'compiling'}, {type: 'step-output', step: 2, stream: 'stderr', line: 'warning: x'}]);
		assert.deepEqual(run.steps.map(item => item.status), ['cached', 'running', 'pending']);
		assert.equal(run.steps[1]!.containerId, 'c0ffee');
		assert.deepEqual(run.steps[1]!.output.lines, [{stream: 'stdout', text: 'compiling'}, {stream: 'stderr', text: 'warning: x'}]);
		assert.equal(shownStep(run)?.number, 2, 'the running step is shown');
		run = apply(run, [{type: 'step-done', step: 2, imageId: id(2), durationMs: 1500, layerSize: 2048}, {type: 'step-started', step: 3, at: 3}, {type: 'step-done', step: 3, imageId: id(3), durationMs: 10, layerSize: 0}]);
		run = buildRunReducer(run, {type: 'succeeded', imageId: id(3), now: 5000});
		assert.equal(run.phase, 'succeeded');
		assert.deepEqual(stepCounts(run), {pending: 0, running: 0, cached: 1, done: 2, failed: 0});
		assert.deepEqual(stepStatusText(run.steps[1]!, 0, 0), {symbol: '✓', right: '1.5s 2.05kB'});
		assert.deepEqual(stepStatusText(run.steps[2]!, 0, 0), {symbol: '✓', right: '0.0s no layer'});
		assert.equal(stepStatusText(run.steps[0]!, 0, 0).right, 'cached');
	});

	test('concurrent stages: several steps run at once; the latest started is shown unless one is chosen', () => {
		// A step's start is the engine's time in its event, not the time the pane took the batch in.
		let run = apply(startedRun(0), [plan, {type: 'step-started', step: 1, at: 100}], 130);
		run = apply(run, [{type: 'step-started', step: 3, at: 200}], 230);
		assert.equal(stepCounts(run).running, 2);
		assert.equal(shownStep(run)?.number, 3);
		assert.equal(stepStatusText(run.steps[0]!, 1600, 2).right, '1.5s', 'elapsed since it started');
		run = buildRunReducer(run, {type: 'choose', step: 1});
		assert.equal(shownStep(run)?.number, 1);
	});

	test('ONBUILD steps are listed after the step they follow, whatever their numbers', () => {
		const run = apply(startedRun(0), [plan, {type: 'steps-added', after: 1, steps: [step(4, 'ONBUILD RUN x')]}]);
		assert.deepEqual(run.steps.map(item => item.number), [1, 4, 2, 3]);
	});

	test('output is bounded per step: 12,000 lines keep the newest 5,000 and count the rest', () => {
		const lines: BuildEvent[] = Array.from({length: 12_000}, (_, index) => ({type: 'step-output', step: 2, stream: 'stdout', line: `line ${index + 1}`}));
		let run = apply(startedRun(0), [plan, {type: 'step-started', step: 2, at: 1}, ...lines.slice(0, 7000)]);
		run = apply(run, lines.slice(7000));
		const output = run.steps[1]!.output;
		assert.equal(output.lines.length, stepOutputLimit);
		assert.equal(output.dropped, 7000);
		assert.equal(output.lines.at(-1)!.text, 'line 12000');
		assert.equal(output.lines[0]!.text, 'line 7001');
	});

	test('a failure shows the failed step and its exit code; a step stopped because of it is not chosen', () => {
		let run = apply(startedRun(0), [plan, {type: 'step-started', step: 2, at: 1}, {type: 'step-started', step: 3, at: 1}, {type: 'step-output', step: 2, stream: 'stderr', line: 'boom'}, {type: 'step-failed', step: 3, message: 'cancelled'}, {type: 'step-failed', step: 2, message: 'exit code 2', exitCode: 2}]);
		run = buildRunReducer(run, {type: 'failed', error: 'The command /bin/sh -c make returned a non-zero code: 2', cancelled: false, now: 9});
		assert.equal(run.phase, 'failed');
		assert.equal(run.chosen, 2);
		assert.equal(shownStep(run)?.output.lines[0]!.text, 'boom');
		assert.equal(stepStatusText(run.steps[1]!, 0, 0).right, 'exit 2');
		assert.equal(stepStatusText(run.steps[2]!, 0, 0).right, 'cancelled');
	});

	test('cancel: asked, then ended; no step is left running', () => {
		let run = apply(startedRun(0), [plan, {type: 'step-started', step: 2, at: 1}]);
		run = buildRunReducer(run, {type: 'cancelling'});
		assert.equal(run.cancelling, true);
		run = buildRunReducer(run, {type: 'failed', error: 'build cancelled', cancelled: true, now: 9});
		assert.equal(run.phase, 'cancelled');
		assert.equal(run.cancelling, false);
		assert.equal(stepCounts(run).running, 0);
	});

	test('elapsed times read as seconds, then minutes', () => {
		assert.equal(elapsedText(400), '0.4s');
		assert.equal(elapsedText(12_340), '12.3s');
		assert.equal(elapsedText(125_000), '2m05s');
	});
});

describe('the build form', () => {
	const dir = tempDir('strata-build-form');
	mkdirSync(join(dir, 'ctx', 'sub'), {recursive: true});
	mkdirSync(join(dir, 'context-two'));
	mkdirSync(join(dir, '.hidden'));
	writeFileSync(join(dir, 'ctx', 'Dockerfile'), 'FROM busybox\n');
	writeFileSync(join(dir, 'ctx', 'Dockerfile.dev'), 'FROM busybox\n');
	writeFileSync(join(dir, 'cfile'), '');

	test('Tab completes directories: a unique one with its slash, several to their common prefix with the list', () => {
		assert.deepEqual(completePath('ctx', dir), {value: 'ctx/', candidates: []});
		assert.deepEqual(completePath('c', dir), {value: 'c', candidates: ['context-two/', 'ctx/']});
		assert.deepEqual(completePath('co', dir), {value: 'context-two/', candidates: []});
		assert.deepEqual(completePath('ctx/', dir), {value: 'ctx/sub/', candidates: []});
		assert.deepEqual(completePath(`${dir}/ct`, '/'), {value: `${dir}/ctx/`, candidates: []});
		assert.deepEqual(completePath('.h', dir), {value: '.hidden/', candidates: []});
		assert.deepEqual(completePath('nothing', dir), {value: 'nothing', candidates: []});
		assert.deepEqual(completePath('ctx/Dockerfile.', dir, {files: true}), {value: 'ctx/Dockerfile.dev', candidates: []});
	});

	test('the fields are checked live; the first bad one stops the build', () => {
		const form = {...initialForm(dir), context: 'ctx'};
		const checks = checkForm(form, dir, undefined);
		assert.equal(checks.context?.ok, true);
		assert.equal(checks.dockerfile?.message, join(dir, 'ctx', 'Dockerfile'));
		assert.equal(checkForm({...form, context: 'missing'}, dir, undefined).context?.ok, false);
		assert.equal(checkForm({...form, dockerfile: 'ctx/nope'}, dir, undefined).dockerfile?.ok, false);
		assert.deepEqual(checkTags('app:1, Bad:x', undefined), {ok: false, message: 'Bad:x: invalid reference format: repository name (library/Bad) must be lowercase'});
		assert.equal(checkTags('app:1 registry.local:5000/team/app', undefined).ok, true);
		assert.match(checkTags('', undefined).message, /untagged/);
		assert.deepEqual(parseBuildArgs('A=1 B=two=2'), {ok: true, args: {A: '1', B: 'two=2'}});
		assert.equal(parseBuildArgs('1A=x').ok, false);
		const bad = formOptions({...form, tags: 'UPPER'}, dir, undefined);
		assert.equal(bad.ok, false);
		assert.equal(!bad.ok && bad.field, 'tags');
		const good = formOptions({...form, tags: 'app:1 app:2', buildArgs: 'A=1', target: 'final', noCache: true}, dir, undefined);
		assert.ok(good.ok);
		assert.deepEqual(good.options, {contextDir: join(dir, 'ctx'), dockerfile: undefined, tags: ['app:1', 'app:2'], buildArgs: {A: '1'}, target: 'final', noCache: true, cwd: dir});
	});
});
