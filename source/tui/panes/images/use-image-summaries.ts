import {useEffect, useMemo, useState} from 'react';
import type {Digest} from '../../../engine/digest.js';
import {type ImageSummary, summarizeImages, withSharedSizes} from '../../../engine/images/list.js';
import type {ImageCatalog} from '../../../engine/store/image-catalog.js';
import {useCatalog, useStore} from '../../context/store-context.js';

/** Layer sizes are read a few at a time between frames, so the table stays responsive while they load. */
const layersPerBatch = 64;

export type ImageSummaries = {
	catalog?: ImageCatalog;
	summaries: ImageSummary[];
	/** False until every layer's size is read: until then shared sizes are unknown. */
	sharedKnown: boolean;
	error?: Error;
};

/**
 * The images of the store for the table. The first frame needs only the catalog (its records carry
 * IDs, tags, sizes and dates); shared sizes need each layer's size, read afterwards in the background.
 */
export function useImageSummaries(): ImageSummaries {
	const store = useStore();
	const {catalog, error} = useCatalog();
	const summaries = useMemo(() => (catalog ? summarizeImages(catalog) : []), [catalog]);
	const [shared, setShared] = useState<{for?: ImageSummary[]; summaries?: ImageSummary[]}>({});
	useEffect(() => {
		if (summaries.length === 0) return;
		let cancelled = false;
		const sizes = new Map<Digest, number>();
		const diffIDs = [...new Set(summaries.flatMap(summary => summary.record.diffIDs))];
		void (async () => {
			for (let start = 0; start < diffIDs.length && !cancelled; start += layersPerBatch) {
				const batch = diffIDs.slice(start, start + layersPerBatch);
				const indexes = await Promise.all(batch.map(diffID => store.layers.readIndex(diffID).catch(() => undefined)));
				batch.forEach((diffID, index) => sizes.set(diffID, indexes[index]?.size ?? 0));
				await new Promise(resolve => setImmediate(resolve));
			}
			if (!cancelled) setShared({for: summaries, summaries: withSharedSizes(summaries, diffID => sizes.get(diffID) ?? 0)});
		})();
		return () => {
			cancelled = true;
		};
	}, [store, summaries]);
	const sharedKnown = shared.for === summaries && shared.summaries !== undefined;
	return {catalog, summaries: sharedKnown ? shared.summaries! : summaries, sharedKnown: sharedKnown || summaries.length === 0, error};
}
