import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {displayWidth} from '../../source/cli/format/display-width.js';
import type {Digest} from '../../source/engine/digest.js';
import type {HistoryItem} from '../../source/engine/images/history.js';
import {
	displayCommand,
	emptyMarker,
	layerMarker,
	shortDigest,
	sizeBar,
	stepLineRange,
	timelineLines,
	timelineSteps,
	type TimelineLine,
} from '../../source/tui/panes/history/timeline-rows.js';
import {initialTimelineState, timelineKey, timelineModel, timelineView, type TimelineOutcome, type TimelineState} from '../../source/tui/panes/history/timeline-state.js';
import {clampRows, wrapText} from '../../source/tui/panes/history/wrap-text.js';

const digest = (character: string) => `sha256:${character.repeat(64)}` as Digest;
const now = Date.parse('2024-03-15T12:00:00Z');
const created = '2024-03-01T12:00:00Z';

/** Newest first, as imageHistory returns: a CMD, a 4 MB RUN, the 10 MB base. */
const items: HistoryItem[] = [
	{id: digest('c'), created, createdBy: '/bin/sh -c #(nop)  CMD ["sh"]', comment: '', emptyLayer: true, size: 0, tags: ['x:latest']},
	{
		id: '<missing>',
		created,
		createdBy: '/bin/sh -c apt-get update \\\n\t&& apt-get install -y curl',
		author: 'Ada',
		comment: 'buildkit.dockerfile.v0',
		emptyLayer: false,
		size: 4_000_000,
		layer: {index: 1, diffID: digest('b'), chainID: digest('e')},
		tags: [],
	},
	{
		id: '<missing>',
		created: '1970-01-01T00:00:00Z',
		createdBy: '/bin/sh -c #(nop) ADD file:abc in / ',
		comment: '',
		emptyLayer: false,
		size: 10_000_000,
		layer: {index: 0, diffID: digest('a'), chainID: digest('a')},
		tags: [],
	},
];

const text = (line: TimelineLine) => line.segments.map(segment => segment.text).join('');

describe('timeline steps', () => {
	test('drop the legacy builder shell wrapper and flatten whitespace', () => {
		assert.equal(displayCommand('/bin/sh -c #(nop)  CMD ["sh"]'), 'CMD ["sh"]');
		assert.equal(displayCommand('/bin/sh -c apt-get update \\\n\t&& true'), 'RUN apt-get update \\ && true');
		assert.equal(displayCommand('RUN /bin/sh -c make # buildkit'), 'RUN /bin/sh -c make # buildkit');
		assert.equal(displayCommand(''), '');
	});

	test('format times, sizes, IDs and proportions', () => {
		const steps = timelineSteps(items, now);
		assert.equal(steps.length, 3);
		assert.equal(steps[0].relativeTime, '2 weeks ago');
		assert.equal(steps[0].imageId, 'cccccccccccc');
		assert.equal(steps[1].imageId, '<missing>');
		assert.equal(steps[1].sizeText, '4MB');
		assert.equal(steps[1].sizeFraction, 0.4);
		assert.equal(steps[2].sizeFraction, 1);
		assert.deepEqual(steps[1].layer, {index: 1, shortDiffID: 'bbbbbbbbbbbb', diffID: digest('b'), chainID: digest('e')});
		// Reproducible builds set the epoch: Docker shows N/A for anything up to 2000.
		assert.equal(steps[2].relativeTime, 'N/A');
		assert.equal(shortDigest(digest('f')), 'ffffffffffff');
	});

	test('a size bar fills in proportion, never empty for a non-zero size', () => {
		assert.deepEqual(sizeBar(0.5, 10), {filled: '█████', track: '░░░░░'});
		assert.deepEqual(sizeBar(0.001, 10), {filled: '█', track: '░░░░░░░░░'});
		assert.deepEqual(sizeBar(0, 4), {filled: '', track: '░░░░'});
		assert.deepEqual(sizeBar(1, 0), {filled: '', track: ''});
	});
});

describe('timeline lines', () => {
	const steps = timelineSteps(items, now);

	test('a step is a command line, a detail line and, when it has them, a note line', () => {
		const lines = timelineLines(steps, {width: 80});
		const rendered = lines.map(text);
		assert.match(rendered[0], new RegExp(`^${emptyMarker} CMD \\["sh"\\]`));
		assert.match(rendered[1], /^│ 2 weeks ago \(2024-03-01T.*\) · cccccccccccc · no layer$/);
		assert.equal(rendered[2], '│ tags x:latest');
		assert.match(rendered[3], new RegExp(`^${layerMarker} RUN apt-get update .*4MB ██████░{8}$`));
		assert.match(rendered[4], /<missing> · layer 1 bbbbbbbbbbbb/);
		assert.equal(rendered[5], '│ by Ada · buildkit.dockerfile.v0');
		// The oldest step ends the rail, and has no note line.
		assert.match(rendered[6], /^● ADD file:abc in \/ +10MB █+$/);
		assert.match(rendered[7], /^ {2}N\/A · <missing> · layer 0 aaaaaaaaaaaa$/);
		assert.equal(lines.length, 8);
		for (const line of rendered) assert.ok(displayWidth(line) <= 80, line);
		assert.deepEqual(stepLineRange(lines, 1), {start: 3, end: 6});
	});

	test('metadata steps are toned apart from layer steps', () => {
		const lines = timelineLines(steps, {width: 80});
		assert.equal(lines[0].segments[0].tone, 'emptyMarker');
		assert.equal(lines[0].segments[1].tone, 'emptyCommand');
		assert.equal(lines[3].segments[0].tone, 'layerMarker');
		assert.equal(lines[3].segments[1].tone, 'command');
	});

	test('every line fits a narrow width, and the bar goes first', () => {
		for (const width of [30, 45, 60]) {
			for (const line of timelineLines(steps, {width, expandedStep: 1})) assert.ok(displayWidth(text(line)) <= width, `${width}: ${text(line)}`);
		}
		assert.doesNotMatch(text(timelineLines(steps, {width: 40})[3]), /█/);
	});

	test('the expanded step shows its whole command, full IDs, author and comment', () => {
		const lines = timelineLines(steps, {width: 40, expandedStep: 1});
		const range = stepLineRange(lines, 1);
		const rendered = lines.slice(range.start, range.end).map(text);
		assert.ok(rendered.includes('│ /bin/sh -c apt-get update \\'), rendered.join('\n'));
		assert.ok(rendered.includes('│  && apt-get install -y curl'), rendered.join('\n'));
		assert.ok(rendered.some(line => line.startsWith('│ image <missing>')));
		assert.ok(rendered.some(line => line.startsWith('│ chain sha256:eeee')));
		assert.ok(rendered.includes('│ author Ada'));
		assert.ok(rendered.includes('│ comment buildkit.dockerfile.v0'));
	});
});

describe('wrapText', () => {
	test('wraps at spaces, breaks words wider than a row, keeps newlines', () => {
		assert.deepEqual(wrapText('one two three', 7), ['one two', 'three']);
		assert.deepEqual(wrapText('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
		assert.deepEqual(wrapText('a\n  b', 10), ['a', '  b']);
		assert.deepEqual(wrapText('', 10), ['']);
	});

	test('clampRows marks what it leaves out', () => {
		assert.deepEqual(clampRows(['a', 'b', 'c'], 2, 5), ['a', 'b…']);
		assert.deepEqual(clampRows(['a'], 2, 5), ['a']);
		assert.deepEqual(clampRows(['a'], 0, 5), []);
	});
});

describe('timeline keys (timelineKey)', () => {
	const model = timelineModel(timelineSteps(items, now), 80, 4);
	const apply = (state: TimelineState, ...keys: string[]) => {
		let outcome: TimelineOutcome = {state};
		for (const key of keys) outcome = timelineKey(outcome.state, key, model);
		return outcome;
	};

	test('moves, scrolls the window to the selected step, and clamps', () => {
		const down = apply(initialTimelineState, 'j');
		assert.equal(down.state.selected, 1);
		// Step 1 takes lines 3-5 of a 4-line window.
		assert.equal(timelineView(down.state, model).top, 2);
		assert.equal(apply(initialTimelineState, 'G', 'j').state.selected, 2);
		assert.equal(apply(initialTimelineState, 'k').state.selected, 0);
	});

	test('enter expands the step, esc collapses it before going back', () => {
		const open = apply(initialTimelineState, 'j', 'enter');
		assert.equal(open.state.expandedStep, 1);
		assert.ok(timelineView(open.state, model).lines.length > model.linesFor(undefined).length);
		const closed = apply(open.state, 'escape');
		assert.equal(closed.state.expandedStep, undefined);
		assert.equal(closed.back, undefined);
		assert.equal(apply(closed.state, 'escape').back, true);
	});

	test('l asks for the step\'s layer, or explains a metadata step', () => {
		assert.equal(apply(initialTimelineState, 'j', 'l').jumpToLayer, 1);
		assert.equal(apply(initialTimelineState, 'G', 'l').jumpToLayer, 0);
		const metadata = apply(initialTimelineState, 'l');
		assert.equal(metadata.jumpToLayer, undefined);
		assert.match(metadata.state.notice, /no layer/);
		assert.equal(apply(metadata.state, 'j').state.notice, '');
	});
});
