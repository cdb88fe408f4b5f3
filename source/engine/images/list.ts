import type {Digest} from '../digest.js';
import {StrataError} from '../errors.js';
import {familiarName, matchesReferencePattern, tryParseReference} from '../reference/reference.js';
import {familiarTag, type ImageCatalog, type ImageRecord} from '../store/image-catalog.js';
import {byCodeUnits} from '../ordering.js';

export type ImageSummary = {
	record: ImageRecord;
	/** Familiar `name:tag` strings, sorted. Empty for `<none>:<none>` images. */
	repoTags: string[];
	/** Untagged and without children: what `image prune` removes. */
	dangling: boolean;
	/** Untagged with children: Docker hides these unless `-a`. */
	intermediate: boolean;
	/** Bytes of this image's layers that other images share. */
	sharedSize: number;
	/** Bytes only this image holds. */
	uniqueSize: number;
};

export type ImageFilters = {dangling?: boolean; references?: string[]};

/** Parses Docker's `--filter key=value` arguments for `images`. */
export function parseImageFilters(filters: string[]): ImageFilters {
	const result: ImageFilters = {};
	for (const filter of filters) {
		const equals = filter.indexOf('=');
		const key = equals > 0 ? filter.slice(0, equals) : filter;
		const value = equals > 0 ? filter.slice(equals + 1) : '';
		if (key === 'dangling') {
			if (!['true', 'false', '1', '0'].includes(value.toLowerCase())) {
				throw new StrataError(`invalid filter 'dangling=${value}': use dangling=true or dangling=false`);
			}
			result.dangling = value.toLowerCase() === 'true' || value === '1';
		} else if (key === 'reference') {
			if (!value) throw new StrataError(`invalid filter 'reference=': a pattern is required`);
			result.references = [...(result.references ?? []), value];
		} else {
			throw new StrataError(`invalid filter '${key}': supported filters are dangling and reference`);
		}
	}
	return result;
}

/** All images with what list views need, newest first (Docker's `images` order). */
export function summarizeImages(catalog: ImageCatalog): ImageSummary[] {
	const hasChildren = new Set<Digest>();
	for (const record of catalog.records.values()) if (record.parent) hasChildren.add(record.parent);
	const tagsByImage = new Map<Digest, string[]>();
	for (const [name, id] of catalog.tags) tagsByImage.set(id, [...(tagsByImage.get(id) ?? []), familiarTag(name)]);
	return [...catalog.records.values()]
		.map(record => {
			const repoTags = (tagsByImage.get(record.id) ?? []).sort();
			return {
				record,
				repoTags,
				dangling: repoTags.length === 0 && !hasChildren.has(record.id),
				intermediate: repoTags.length === 0 && hasChildren.has(record.id),
				sharedSize: 0,
				uniqueSize: record.size,
			};
		})
		.sort((a, b) => byCodeUnits(b.record.created ?? '', a.record.created ?? '') || byCodeUnits(b.record.addedAt, a.record.addedAt));
}

/** Sizes of shared layers need each layer's size: filled in by the caller that has the layer store. */
export function withSharedSizes(summaries: ImageSummary[], layerSize: (diffID: Digest) => number): ImageSummary[] {
	const users = new Map<Digest, number>();
	for (const summary of summaries) for (const diffID of new Set(summary.record.diffIDs)) users.set(diffID, (users.get(diffID) ?? 0) + 1);
	return summaries.map(summary => {
		let shared = 0;
		for (const diffID of new Set(summary.record.diffIDs)) if ((users.get(diffID) ?? 0) > 1) shared += layerSize(diffID);
		return {...summary, sharedSize: shared, uniqueSize: summary.record.size - shared};
	});
}

/** Applies `-a` and `--filter` the way Docker's image list does. */
export function filterImages(summaries: ImageSummary[], options: {all?: boolean; filters?: ImageFilters}): ImageSummary[] {
	const filters = options.filters ?? {};
	return summaries.filter(summary => {
		// Docker lists an untagged parent only with -a, and never for dangling=true (which reads the heads only).
		if (summary.intermediate && (!options.all || filters.dangling === true)) return false;
		if (filters.dangling !== undefined && (summary.repoTags.length === 0) !== filters.dangling) return false;
		if (filters.references) {
			const matches = summary.repoTags.some(tag => matchesAny(tag, filters.references!));
			if (!matches) return false;
		}
		return true;
	});
}

function matchesAny(tag: string, patterns: string[]): boolean {
	const reference = tryParseReference(tag);
	return reference !== undefined && patterns.some(pattern => matchesReferencePattern(reference, pattern));
}

/** One row per tag (`<none>` rows for untagged images), as `docker images` prints them. */
export type ImageRow = {repository: string; tag: string; summary: ImageSummary};

export function imageRows(summaries: ImageSummary[], filters: ImageFilters = {}): ImageRow[] {
	return summaries.flatMap(summary => {
		if (summary.repoTags.length === 0) return [{repository: '<none>', tag: '<none>', summary}];
		return summary.repoTags
			.filter(tag => !filters.references || matchesAny(tag, filters.references))
			.map(tag => {
				const reference = tryParseReference(tag);
				// A ref name another tool wrote that is no reference (`V1`) is a tag of no repository.
				if (reference?.tag === undefined) return {repository: '<none>', tag, summary};
				return {repository: familiarName(reference), tag: reference.tag, summary};
			});
	});
}
