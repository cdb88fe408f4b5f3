// The CLI's build renderers on scripted events (no containers): the classic lines, a concurrent build's
// lines printed as a sequential build's, ONBUILD triggers inside their FROM step, the live list, and the
// failure summary.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {BuildEvent, PlannedStep} from '../../source/engine/builder/build-events.js';
import type {Digest} from '../../source/engine/digest.js';
import {PlainBuildOutput} from '../../source/cli/format/build-output-plain.js';
import {TtyBuildOutput} from '../../source/cli/format/build-output-tty.js';

const id = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}` as Digest;
const container = (n: number) => `c${String(n).repeat(63).slice(0, 63)}`;

/** Two independent stages (steps 1-2 and 3-4) and a final one (5-6) that copies from both. */
const plan: BuildEvent = {
	type: 'plan',
	file: 'Dockerfile',
	steps: [
		{number: 1, stage: 0, stageName: 'a', text: 'FROM busybox AS a', line: 1},
		{number: 2, stage: 0, stageName: 'a', text: 'RUN make a', line: 2},
		{number: 3, stage: 1, stageName: 'b', text: 'FROM busybox AS b', line: 3},
		{number: 4, stage: 1, stageName: 'b', text: 'RUN make b', line: 4},
		{number: 5, stage: 2, text: 'FROM busybox', line: 5},
		{number: 6, stage: 2, text: 'COPY --from=a /a /a', line: 6},
	],
	stages: [
		{index: 0, name: 'a', steps: [1, 2], dependsOn: []},
		{index: 1, name: 'b', steps: [3, 4], dependsOn: []},
		{index: 2, steps: [5, 6], dependsOn: [0, 1]},
	],
};

/** A stage's FROM then a RUN with two output lines. */
function stageEvents(from: number, run: number, name: string): BuildEvent[] {
	return [
		{type: 'step-started', step: from, at: 0},
		{type: 'step-done', step: from, imageId: id(9), durationMs: 1, layerSize: 0},
		{type: 'step-started', step: run, at: 0},
		{type: 'step-container', step: run, containerId: container(run)},
		{type: 'step-output', step: run, stream: 'stdout', line: `${name} 1`},
		{type: 'step-output', step: run, stream: 'stderr', line: `${name} 2`},
		{type: 'step-done', step: run, imageId: id(run), durationMs: 5, layerSize: 100},
	];
}

const finalStage: BuildEvent[] = [
	{type: 'step-started', step: 5, at: 0},
	{type: 'step-done', step: 5, imageId: id(9), durationMs: 1, layerSize: 0},
	{type: 'step-started', step: 6, at: 0},
	{type: 'step-cached', step: 6, imageId: id(6)},
];

function plain(events: BuildEvent[]): {lines: string[]; notes: string[]; output: PlainBuildOutput} {
	const lines: string[] = [];
	const notes: string[] = [];
	const output = new PlainBuildOutput(line => lines.push(line), note => notes.push(note));
	for (const event of events) output.handle(event);
	output.finish();
	return {lines, notes, output};
}

/** Interleaves two event lists one by one (two stages running at once). */
function interleave(a: BuildEvent[], b: BuildEvent[]): BuildEvent[] {
	const mixed: BuildEvent[] = [];
	for (let i = 0; i < Math.max(a.length, b.length); i++) mixed.push(...(b[i] ? [b[i]!] : []), ...(a[i] ? [a[i]!] : []));
	return mixed;
}

describe('build output', () => {
	const a = stageEvents(1, 2, 'a');
	const b = stageEvents(3, 4, 'b');
	const sequential = plain([plan, ...a, ...b, ...finalStage]).lines;

	test('plain: the classic builder\'s lines', () => {
		assert.deepEqual(sequential, [
			'Step 1/6 : FROM busybox AS a',
			` ---> ${'9'.repeat(12)}`,
			'Step 2/6 : RUN make a',
			` ---> Running in ${container(2).slice(0, 12)}`,
			'a 1',
			'a 2',
			`Removing intermediate container ${container(2).slice(0, 12)}`,
			` ---> ${'2'.repeat(12)}`,
			'Step 3/6 : FROM busybox AS b',
			` ---> ${'9'.repeat(12)}`,
			'Step 4/6 : RUN make b',
			` ---> Running in ${container(4).slice(0, 12)}`,
			'b 1',
			'b 2',
			`Removing intermediate container ${container(4).slice(0, 12)}`,
			` ---> ${'4'.repeat(12)}`,
			'Step 5/6 : FROM busybox',
			` ---> ${'9'.repeat(12)}`,
			'Step 6/6 : COPY --from=a /a /a',
			' ---> Using cache',
			` ---> ${'6'.repeat(12)}`,
		]);
	});

	test('plain: stages that ran at the same time print as a sequential build', () => {
		// b starts first and finishes first: its lines wait for a's.
		assert.deepEqual(plain([plan, ...interleave(a, b), ...finalStage]).lines, sequential);
		assert.deepEqual(plain([plan, ...b, ...a, ...finalStage]).lines, sequential);
		// A later stage's lines are held back only while an earlier stage still runs: a's lines come at once.
		const live: string[] = [];
		const output = new PlainBuildOutput(line => live.push(line), () => {});
		for (const event of [plan, ...b.slice(0, 4), ...a.slice(0, 3)]) output.handle(event);
		assert.deepEqual(live, sequential.slice(0, 3));
	});

	test('plain: a failed build prints what was held back', () => {
		const failed: BuildEvent[] = [plan, ...b, ...a.slice(0, 5), {type: 'step-failed', step: 2, message: 'Dockerfile:2: The command \'/bin/sh -c make a\' returned a non-zero code: 2', exitCode: 2}];
		const {lines, output} = plain(failed);
		assert.deepEqual(lines, [...sequential.slice(0, 5), ...sequential.slice(8, 16)]);
		assert.deepEqual(output.steps.failureSummary(), ['Failed at Step 2/6 : RUN make a', 'Its last output line:', '  a 1']);
	});

	test('plain: ONBUILD triggers run inside their FROM step, its id after the last one; notes go aside', () => {
		const steps: PlannedStep[] = [
			{number: 1, stage: 0, text: 'FROM base', line: 1},
			{number: 2, stage: 0, text: 'CMD ["sh"]', line: 2},
		];
		const {lines, notes} = plain([
			{type: 'plan', file: 'Dockerfile', steps, stages: [{index: 0, steps: [1, 2], dependsOn: []}]},
			{type: 'note', message: 'remark'},
			{type: 'step-started', step: 1, at: 0},
			{type: 'steps-added', after: 1, steps: [{number: 3, stage: 0, text: 'COPY a /a', line: 1}, {number: 4, stage: 0, text: 'RUN echo hi', line: 1}]},
			{type: 'step-done', step: 1, imageId: id(1), durationMs: 0, layerSize: 0},
			{type: 'step-started', step: 3, at: 0},
			{type: 'step-cached', step: 3, imageId: id(3)},
			{type: 'step-started', step: 4, at: 0},
			{type: 'step-container', step: 4, containerId: container(4)},
			{type: 'step-output', step: 4, stream: 'stdout', line: 'hi'},
			{type: 'step-done', step: 4, imageId: id(4), durationMs: 0, layerSize: 10},
			{type: 'step-started', step: 2, at: 0},
			{type: 'step-done', step: 2, imageId: id(2), durationMs: 0, layerSize: 0},
		]);
		assert.deepEqual(notes, ['remark']);
		assert.deepEqual(lines, [
			'Step 1/2 : FROM base',
			'# Executing 2 build triggers',
			' ---> Using cache',
			` ---> Running in ${container(4).slice(0, 12)}`,
			'hi',
			`Removing intermediate container ${container(4).slice(0, 12)}`,
			` ---> ${'4'.repeat(12)}`,
			'Step 2/2 : CMD ["sh"]',
			` ---> ${'2'.repeat(12)}`,
		]);
	});

	test('plain: FROM scratch prints no image line', () => {
		const {lines} = plain([
			{type: 'plan', file: 'Dockerfile', steps: [{number: 1, stage: 0, text: 'FROM scratch', line: 1}], stages: [{index: 0, steps: [1], dependsOn: []}]},
			{type: 'step-started', step: 1, at: 0},
			{type: 'step-done', step: 1, durationMs: 0, layerSize: 0},
		]);
		assert.deepEqual(lines, ['Step 1/1 : FROM scratch']);
	});

	test('tty: a live step list redrawn in place, the final list left on the screen, no colour under NO_COLOR', async () => {
		let screen = '';
		const render = (colour: boolean) => {
			screen = '';
			const output = new TtyBuildOutput({write: text => (screen += text), columns: 60, rows: 24, colour}, () => 2500);
			return output;
		};
		const output = render(false);
		for (const event of [plan, ...a, ...b.slice(0, 5)]) output.handle(event);
		// The timer redraws (at most every 100 ms); wait for a frame rather than for a time.
		while (!screen.includes('b 1')) await new Promise(resolve => setTimeout(resolve, 20));
		assert.match(screen, /#2 done +0\.0s +100B {2}RUN make a/);
		assert.match(screen, /#4 running +2\.5s +RUN make b/);
		assert.match(screen, /#6 waiting/);
		assert.match(screen, /4\| b 1/);
		output.finish();
		const final = screen.slice(screen.lastIndexOf('\x1b[J') + 3);
		assert.equal(final.split('\n').length, 7, final);
		assert.ok(!final.includes('b 1'), final);
		assert.ok(screen.includes('\x1b[') && !/\x1b\[\d+m/.test(screen), 'cursor moves, but no colour');
		const coloured = render(true);
		coloured.handle(plan);
		coloured.finish();
		assert.match(screen, /\x1b\[2m +#1 waiting/);
		for (const line of final.split('\n')) assert.ok(line.length <= 59, line);
	});
});
