import {containersUsing} from '../containers/image-users.js';
import type {Digest} from '../digest.js';
import {StrataError} from '../errors.js';
import type {Store, StoreTransaction} from '../store/store.js';
import {type RemovalRecord, removeImage} from './remove.js';

export type PruneResult = {records: RemovalRecord[]; spaceReclaimed: number};

/**
 * The removals of `image prune [-a]` applied to `tx`'s catalog: dangling images (untagged, no
 * children), or with `all` every image no container uses. Deleting a head cascades to
 * its untagged parents; conflicts are skipped silently, as Docker does.
 */
export function pruneInTransaction(tx: StoreTransaction, options: {all?: boolean} = {}): RemovalRecord[] {
	const records: RemovalRecord[] = [];
	const heads = [...tx.catalog.records.values()].filter(record => options.all || tx.catalog.childrenOf(record.id).length === 0);
	for (const head of heads) {
		if (!tx.catalog.records.has(head.id)) continue;
		// Docker's prune never touches an image a container was created from.
		if (containersUsing(tx, head.id).length > 0) continue;
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
	return records;
}

/** Bytes freed when the images in `before` but no longer in `tx` go: the layers no remaining image uses (Docker sums their diff sizes). */
export async function releasedSpace(store: Store, before: Map<Digest, {diffIDs: Digest[]}>, tx: StoreTransaction): Promise<number> {
	const remaining = new Set<Digest>();
	for (const record of tx.catalog.records.values()) for (const diffID of record.diffIDs) remaining.add(diffID);
	const released = new Set<Digest>();
	for (const [id, record] of before) if (!tx.catalog.records.has(id)) for (const diffID of record.diffIDs) if (!remaining.has(diffID)) released.add(diffID);
	let space = 0;
	for (const diffID of released) space += (await store.layers.readIndex(diffID))?.size ?? 0;
	return space;
}

/** `docker image prune [-a]`. */
export async function pruneImages(store: Store, options: {all?: boolean} = {}): Promise<PruneResult> {
	return store.write('image prune', async tx => {
		const before = new Map(tx.catalog.records);
		const records = pruneInTransaction(tx, options);
		return {records, spaceReclaimed: await releasedSpace(store, before, tx)};
	});
}

/** What `pruneImages` would free, for confirmations (the TUI names the space before asking). */
export async function pruneCandidates(store: Store, options: {all?: boolean} = {}): Promise<Digest[]> {
	const catalog = await store.catalog();
	return [...catalog.records.values()]
		.filter(record => (options.all ? true : catalog.tagsOf(record.id).length === 0 && catalog.childrenOf(record.id).length === 0))
		.map(record => record.id);
}
