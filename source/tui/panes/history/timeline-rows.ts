// The history timeline as plain lines of toned text: what HistoryTimeline draws, decided without Ink so
// the layout (what goes on which line at which width) is unit-tested. Colours come later, from the tones.
import {displayWidth} from '../../../cli/format/display-width.js';
import {ellipsis} from '../../../cli/format/ellipsis.js';
import {historyCreatedSince, humanSize, rfc3339Seconds} from '../../../cli/format/units.js';
import type {HistoryItem} from '../../../engine/images/history.js';
import {wrapText} from './wrap-text.js';

/** One history step, with everything it displays already formatted. */
export type TimelineStep = {
	/** Position in the newest-first list. */
	index: number;
	emptyLayer: boolean;
	/** `created_by` on one line, builder noise removed; see `displayCommand`. */
	command: string;
	/** `created_by` as recorded, for the expanded view. */
	fullCommand: string;
	/** `2 weeks ago`, or `N/A` for missing and reproducible-build (pre-2000) times, as `docker history`. */
	relativeTime: string;
	/** RFC 3339 in the local zone; empty when the relative time is N/A. */
	absoluteTime: string;
	size: number;
	sizeText: string;
	/** The size over the largest step's, 0..1, for the bar. */
	sizeFraction: number;
	/** 12 hex digits of the image ID, or `<missing>` (Docker's rule for steps not built here). */
	imageId: string;
	fullImageId: string;
	layer?: {index: number; shortDiffID: string; diffID: string; chainID: string};
	author: string;
	comment: string;
	tags: string[];
};

export type TimelineTone =
	| 'rail'
	| 'layerMarker'
	| 'emptyMarker'
	| 'command'
	| 'emptyCommand'
	| 'detail'
	| 'size'
	| 'bar'
	| 'barTrack'
	| 'label';

export type TimelineSegment = {text: string; tone: TimelineTone};

/** One terminal row of the timeline; `step` is the TimelineStep it belongs to. */
export type TimelineLine = {step: number; segments: TimelineSegment[]};

export const layerMarker = '●';
export const emptyMarker = '○';
const railGlyph = '│';
/** Wide enough for any humanSize (`999.9MB`, `1e+03kB`) plus a space. */
const sizeColumnWidth = 8;

/** 12 hex digits of a digest, as Docker's short IDs. */
export function shortDigest(digest: string): string {
	return digest.replace(/^sha256:/, '').slice(0, 12);
}

/**
 * `created_by` for one line: whitespace runs (multi-line RUNs) become one space, and the legacy
 * builder's shell wrapper is dropped the way dive does (`/bin/sh -c #(nop) CMD ...` is the instruction
 * `CMD ...`; a plain `/bin/sh -c X` was a `RUN X`).
 */
export function displayCommand(createdBy: string): string {
	const flat = createdBy.replace(/\s+/g, ' ').trim();
	const nop = /^\/bin\/sh -c #\(nop\) ?(.*)$/.exec(flat);
	if (nop) return nop[1].trim();
	const shell = /^\/bin\/sh -c (.*)$/.exec(flat);
	if (shell) return `RUN ${shell[1]}`;
	return flat;
}

export function timelineSteps(items: readonly HistoryItem[], now: number = Date.now()): TimelineStep[] {
	let largest = 0;
	for (const item of items) largest = Math.max(largest, item.size);
	return items.map((item, index): TimelineStep => {
		const created = item.created ? Date.parse(item.created) : Number.NaN;
		const relativeTime = Number.isNaN(created) ? 'N/A' : historyCreatedSince(created, now);
		const step: TimelineStep = {
			index,
			emptyLayer: item.emptyLayer,
			command: displayCommand(item.createdBy),
			fullCommand: item.createdBy,
			relativeTime,
			// A reproducible build's epoch is a placeholder, not a date worth printing.
			absoluteTime: relativeTime === 'N/A' ? '' : rfc3339Seconds(created),
			size: item.size,
			sizeText: humanSize(item.size),
			sizeFraction: largest === 0 ? 0 : item.size / largest,
			imageId: item.id === '<missing>' ? '<missing>' : shortDigest(item.id),
			fullImageId: item.id,
			author: item.author ?? '',
			comment: item.comment,
			tags: item.tags,
		};
		if (item.layer) {
			step.layer = {
				index: item.layer.index,
				shortDiffID: shortDigest(item.layer.diffID),
				diffID: item.layer.diffID,
				chainID: item.layer.chainID,
			};
		}
		return step;
	});
}

/** A bar of `width` cells, filled in proportion; any non-zero size shows at least one cell. */
export function sizeBar(fraction: number, width: number): {filled: string; track: string} {
	if (width <= 0) return {filled: '', track: ''};
	let cells = Math.round(Math.min(Math.max(fraction, 0), 1) * width);
	if (cells === 0 && fraction > 0) cells = 1;
	return {filled: '█'.repeat(cells), track: '░'.repeat(width - cells)};
}

function barWidthFor(width: number): number {
	if (width >= 70) return 14;
	if (width >= 50) return 8;
	return 0;
}

function padEnd(text: string, width: number): string {
	return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Joins the non-empty parts with ` · `. */
function joined(parts: string[]): string {
	return parts.filter(part => part !== '').join(' · ');
}

export type TimelineLayout = {
	width: number;
	/** The step shown in full: the whole command wrapped, full IDs, author and comment. */
	expandedStep?: number;
};

/**
 * Lines of the timeline, newest step first. A step takes a command line (rail glyph, command, size,
 * bar), a detail line (times, IDs) and, when it has any, a note line (author, comment, tags); the
 * expanded step takes its full text instead of the one-line forms. Every line fits `width`.
 */
export function timelineLines(steps: readonly TimelineStep[], layout: TimelineLayout): TimelineLine[] {
	const width = Math.max(layout.width, 10);
	const barWidth = barWidthFor(width);
	const lines: TimelineLine[] = [];
	for (const step of steps) {
		const isOldest = step.index === steps.length - 1;
		// The rail runs down to the next (older) step; the oldest step ends it.
		const rail: TimelineSegment = {text: `${isOldest ? ' ' : railGlyph} `, tone: 'rail'};
		const text = (content: string, tone: TimelineTone = 'detail'): TimelineLine => ({
			step: step.index,
			segments: [rail, {text: ellipsis(content, width - 2), tone}],
		});

		const sizeText = step.emptyLayer ? '' : step.sizeText;
		const trailerWidth = sizeColumnWidth + (barWidth > 0 ? 1 + barWidth : 0);
		const commandWidth = Math.max(width - 2 - trailerWidth, 4);
		const command = step.command === '' ? '(no created-by)' : step.command;
		const bar = step.emptyLayer ? {filled: '', track: ' '.repeat(barWidth)} : sizeBar(step.sizeFraction, barWidth);
		const head: TimelineSegment[] = [
			{text: `${step.emptyLayer ? emptyMarker : layerMarker} `, tone: step.emptyLayer ? 'emptyMarker' : 'layerMarker'},
			{text: padEnd(ellipsis(command, commandWidth), commandWidth), tone: step.emptyLayer ? 'emptyCommand' : 'command'},
			{text: sizeText.padStart(sizeColumnWidth), tone: 'size'},
		];
		if (barWidth > 0) head.push({text: ' ', tone: 'detail'}, {text: bar.filled, tone: 'bar'}, {text: bar.track, tone: 'barTrack'});
		lines.push({step: step.index, segments: head});

		const time = step.absoluteTime ? `${step.relativeTime} (${step.absoluteTime})` : step.relativeTime;
		const layer = step.layer ? `layer ${step.layer.index} ${step.layer.shortDiffID}` : 'no layer';
		if (step.index !== layout.expandedStep) {
			lines.push(text(joined([time, step.imageId, layer])));
			const note = joined([step.author && `by ${step.author}`, step.comment, step.tags.length > 0 ? `tags ${step.tags.join(', ')}` : '']);
			if (note) lines.push(text(note));
			continue;
		}

		const inner = width - 2;
		for (const row of wrapText(step.fullCommand || '(no created-by)', inner)) lines.push(text(row, 'command'));
		lines.push(text(`created ${time}`));
		lines.push(text(`image ${step.fullImageId}`));
		if (step.layer) {
			lines.push(text(`layer ${step.layer.index}  diff ${step.layer.diffID}`));
			lines.push(text(`chain ${step.layer.chainID}`));
		} else {
			lines.push(text('no layer: a metadata step'));
		}
		if (!step.emptyLayer) lines.push(text(`size ${step.sizeText} (${step.size} bytes)`));
		for (const [label, value] of [
			['author', step.author],
			['comment', step.comment],
			['tags', step.tags.join(', ')],
		] as const) {
			if (value) for (const row of wrapText(`${label} ${value}`, inner)) lines.push(text(row));
		}
	}
	return lines;
}

/** The rows [start, end) that `step` occupies in `lines`. */
export function stepLineRange(lines: readonly TimelineLine[], step: number): {start: number; end: number} {
	let start = -1;
	let end = -1;
	for (let index = 0; index < lines.length; index++) {
		if (lines[index].step !== step) continue;
		if (start < 0) start = index;
		end = index + 1;
	}
	return start < 0 ? {start: 0, end: 0} : {start, end};
}
