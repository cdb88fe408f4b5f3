import type {Digest} from '../digest.js';
import {StrataError} from '../errors.js';
import type {Store} from '../store/store.js';
import {type RemovalRecord, removeImage} from './remove.js';

export type PruneResult = {records: RemovalRecord[]; spaceReclaimed: number};

/**
 * `docker image prune [-a]`: removes dangling images (untagged, no children), or with `all` every
 * image (no container uses images yet). Deleting a head cascades to its untagged parents; conflicts
 * are skipped silently, as Docker does.
 */
export async function pruneImages(store: Store, options: {all?: boolean} = {}): Promise<PruneResult> {
	return store.write('image prune', async tx => {
		const before = new Map([...tx.catalog.records].map(([id, record]) => [id, record]));
		const records: RemovalRecord[] = [];
		const heads = [...tx.catalog.records.values()].filter(record => options.all || tx.catalog.childrenOf(record.id).length === 0);
		for (const head of heads) {
			if (!tx.catalog.records.has(head.id)) continue;
			const tags = tx.catalog.tagsOf(head.id);
			if (tags.length > 0 && !options.all) continue;
			const targets = tags.length > 0 ? tags : [head.id];
			for (const target of targets) {
				try {
					records.push(...removeImage(tx, target, {force: false, prune: true}));
				} catch (error) {
					if (!(error instanceof StrataError)) throw error;
				}
			}
		}
		// Space reclaimed: the size of every layer that was released (Docker sums their diff sizes).
		const remaining = new Set<Digest>();
		for (const record of tx.catalog.records.values()) for (const diffID of record.diffIDs) remaining.add(diffID);
		const released = new Set<Digest>();
		for (const [id, record] of before) if (!tx.catalog.records.has(id)) for (const diffID of record.diffIDs) if (!remaining.has(diffID)) released.add(diffID);
		let spaceReclaimed = 0;
		for (const diffID of released) spaceReclaimed += (await store.layers.readIndex(diffID))?.size ?? 0;
		return {records, spaceReclaimed};
	});
}

/** What `pruneImages` would free, for confirmations (the TUI names the space before asking). */
export async function pruneCandidates(store: Store, options: {all?: boolean} = {}): Promise<Digest[]> {
	const catalog = await store.catalog();
	return [...catalog.records.values()]
		.filter(record => (options.all ? true : catalog.tagsOf(record.id).length === 0 && catalog.childrenOf(record.id).length === 0))
		.map(record => record.id);
}
