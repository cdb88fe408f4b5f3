import {shortId} from '../../../engine/digest.js';
import {filterImages, imageRows, type ImageSummary} from '../../../engine/images/list.js';
import {createdSince, humanSize} from '../../../cli/format/units.js';
import type {TableColumn} from '../../components/table-layout.js';

/** One line of the images table: a tag of an image, or the image itself when it has none. */
export type ImageTableRow = {
	key: string;
	repository: string;
	tag: string;
	summary: ImageSummary;
	/** What the CLI verbs take for this row: `name:tag`, or the full ID of an untagged image. */
	ref: string;
	kind: 'tagged' | 'dangling' | 'intermediate';
};

export type ImageSortColumn = 'repository' | 'tag' | 'id' | 'created' | 'size' | 'shared';
export type ImageSort = {column: ImageSortColumn; descending: boolean};

export const defaultImageSort: ImageSort = {column: 'created', descending: true};

/** Rows as `docker images [-a]` lists them (newest first), dangling images included. */
export function imageTableRows(summaries: ImageSummary[], options: {showAll: boolean}): ImageTableRow[] {
	return imageRows(filterImages(summaries, {all: options.showAll})).map(row => {
		const untagged = row.summary.repoTags.length === 0;
		const kind = row.summary.intermediate ? 'intermediate' : row.summary.dangling ? 'dangling' : 'tagged';
		return {
			key: `${row.summary.record.id} ${row.repository}:${row.tag}`,
			repository: row.repository,
			tag: row.tag,
			summary: row.summary,
			ref: untagged || row.repository === '<none>' ? row.summary.record.id : `${row.repository}:${row.tag}`,
			kind,
		};
	});
}

/**
 * The rows matching every word of `query` (case-insensitive) in `repository:tag` or the image ID;
 * the words "dangling" and "intermediate" also match rows of that kind.
 */
export function filterImageRows(rows: ImageTableRow[], query: string): ImageTableRow[] {
	const words = query.toLowerCase().split(/\s+/).filter(Boolean);
	if (words.length === 0) return rows;
	return rows.filter(row => {
		const haystack = `${row.repository}:${row.tag} ${row.summary.record.id.slice(7)} ${row.kind === 'tagged' ? '' : row.kind}`.toLowerCase();
		return words.every(word => haystack.includes(word));
	});
}

const byText = (a: string, b: string) => a.localeCompare(b);

function compare(column: ImageSortColumn, a: ImageTableRow, b: ImageTableRow): number {
	switch (column) {
		case 'repository':
			return byText(a.repository, b.repository) || byText(a.tag, b.tag);
		case 'tag':
			return byText(a.tag, b.tag) || byText(a.repository, b.repository);
		case 'id':
			return byText(a.summary.record.id, b.summary.record.id);
		case 'created':
			return byText(a.summary.record.created ?? '', b.summary.record.created ?? '') || byText(a.summary.record.addedAt, b.summary.record.addedAt);
		case 'size':
			return a.summary.record.size - b.summary.record.size;
		case 'shared':
			return a.summary.sharedSize - b.summary.sharedSize;
	}
}

/** A stable sort: rows that compare equal keep Docker's order. */
export function sortImageRows(rows: ImageTableRow[], sort: ImageSort): ImageTableRow[] {
	const direction = sort.descending ? -1 : 1;
	return rows.map((row, index) => ({row, index})).sort((a, b) => direction * compare(sort.column, a.row, b.row) || a.index - b.index).map(({row}) => row);
}

export const imageSortOrder: readonly ImageSortColumn[] = ['repository', 'tag', 'id', 'created', 'size', 'shared'];

/** The next sort column for `s`, in its natural direction: names A→Z, dates newest first, sizes largest first. */
export function nextImageSort(sort: ImageSort): ImageSort {
	const column = imageSortOrder[(imageSortOrder.indexOf(sort.column) + 1) % imageSortOrder.length]!;
	return {column, descending: column === 'created' || column === 'size' || column === 'shared'};
}

/** The table's columns; `sharedKnown` is false until the layer sizes are read (the column shows "…"). */
export function imageColumns(options: {sharedKnown: boolean; now: number}): TableColumn<ImageTableRow>[] {
	return [
		{id: 'repository', title: 'REPOSITORY', cell: row => row.repository, grow: 3, minWidth: 10},
		{id: 'tag', title: 'TAG', cell: row => row.tag, grow: 1, minWidth: 6, maxWidth: 20},
		{id: 'id', title: 'IMAGE ID', cell: row => shortId(row.summary.record.id), hidePriority: 2},
		{id: 'created', title: 'CREATED', cell: row => (row.summary.record.created ? createdSince(new Date(row.summary.record.created), options.now) : 'N/A'), maxWidth: 18, hidePriority: 1},
		{id: 'size', title: 'SIZE', cell: row => humanSize(row.summary.record.size), align: 'right'},
		{id: 'shared', title: 'SHARED', cell: row => (options.sharedKnown ? humanSize(row.summary.sharedSize) : '…'), align: 'right', hidePriority: 3},
	];
}
