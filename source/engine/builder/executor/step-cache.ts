// The classic builder's cache: a step is done already when the current image has a locally built child
// whose config equals the one the step would write (history created_by included, which carries the
// command text, the used build args and COPY's content hash), creation times and the new layer aside.
import type {Digest} from '../../digest.js';
import type {ImageConfig} from '../../image/types.js';
import type {ImageRecord} from '../../store/image-catalog.js';
import type {Store} from '../../store/store.js';
import {byCodeUnits} from '../../ordering.js';

/** A child of `parent` (undefined: scratch) whose config matches `probe` (a config written as childConfig writes it, without its layer). */
export async function findCachedChild(store: Store, parent: Digest | undefined, probe: ImageConfig): Promise<ImageRecord | undefined> {
	const catalog = await store.catalog();
	const wanted = cacheKey(probe);
	// A first step on scratch has no parent: any parentless image with the same one-step history is its result.
	const candidates = parent === undefined ? [...catalog.records.values()].filter(record => record.parent === undefined && record.diffIDs.length <= 1) : catalog.childrenOf(parent);
	for (const child of candidates) {
		const config = await store.config(child).catch(() => undefined);
		if (config && cacheKey(config) === wanted) return child;
	}
	return undefined;
}

function cacheKey(config: ImageConfig): string {
	const history = (config.history ?? []).map(({created: _created, empty_layer, ...entry}, index, all) =>
		index === all.length - 1 ? entry : {...entry, empty_layer},
	);
	return stableJson({config: config.config ?? {}, history});
}

/** JSON with object keys sorted, so that equal configs compare equal whatever order they were built in. */
export function stableJson(value: unknown): string {
	return JSON.stringify(value, (_key, inner: unknown) => {
		if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
		return Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => byCodeUnits(a, b)));
	});
}
