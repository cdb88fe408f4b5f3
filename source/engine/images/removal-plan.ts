import {StrataError} from '../errors.js';
import type {ImageCatalog} from '../store/image-catalog.js';
import {type Store, StoreTransaction} from '../store/store.js';
import {pruneInTransaction, releasedSpace} from './prune.js';
import {type RemovalRecord, removeImage} from './remove.js';

/** What a removal would do, worked out on a copy of the catalog: nothing is written. */
export type RemovalPlan = {
	/** Exactly the lines `rmi` / `image prune` would print: `Untagged: ...`, `Deleted: ...`. */
	records: RemovalRecord[];
	/** Per input that would fail, the message it would fail with (Docker's conflict rules). */
	errors: Array<{input: string; message: string}>;
	/** Bytes of layers no remaining image would use. */
	spaceFreed: number;
	/** Images that would go. */
	imageCount: number;
};

async function plan(store: Store, catalog: ImageCatalog, apply: (tx: StoreTransaction) => RemovalRecord[], errors: RemovalPlan['errors'] = []): Promise<RemovalPlan> {
	const tx = new StoreTransaction(store, catalog.clone());
	const records = apply(tx);
	const before = new Map(catalog.records);
	return {
		records,
		errors,
		spaceFreed: await releasedSpace(store, before, tx),
		imageCount: [...catalog.records.keys()].filter(id => !tx.catalog.records.has(id)).length,
	};
}

/**
 * What `rmi [-f] INPUT...` would untag and delete, in order, each input after the ones before it
 * (as the CLI runs them). For confirmations that name exactly what will go.
 */
export async function planRemoval(store: Store, inputs: string[], options: {force?: boolean} = {}, catalog?: ImageCatalog): Promise<RemovalPlan> {
	const errors: RemovalPlan['errors'] = [];
	return plan(
		store,
		catalog ?? (await store.catalog()),
		tx => {
			const records: RemovalRecord[] = [];
			for (const input of inputs) {
				try {
					records.push(...removeImage(tx, input, {force: options.force, prune: true}));
				} catch (error) {
					if (!(error instanceof StrataError)) throw error;
					errors.push({input, message: error.message});
				}
			}
			return records;
		},
		errors,
	);
}

/** What `image prune [-a]` would remove and free. */
export async function planPrune(store: Store, options: {all?: boolean} = {}, catalog?: ImageCatalog): Promise<RemovalPlan> {
	return plan(store, catalog ?? (await store.catalog()), tx => pruneInTransaction(tx, options));
}

/** Runs `rmi` for each input, like the CLI: each in its own write; errors are collected, the rest still go. */
export async function removeImages(store: Store, inputs: string[], options: {force?: boolean} = {}): Promise<{records: RemovalRecord[]; errors: string[]}> {
	const records: RemovalRecord[] = [];
	const errors: string[] = [];
	for (const input of inputs) {
		try {
			records.push(...(await store.write('rmi', async tx => removeImage(tx, input, {force: options.force, prune: true}))));
		} catch (error) {
			if (!(error instanceof StrataError)) throw error;
			errors.push(error.message);
		}
	}
	return {records, errors};
}
