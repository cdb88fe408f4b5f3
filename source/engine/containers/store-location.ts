import type {Store} from '../store/store.js';

/**
 * What container bookkeeping needs of a store: where it is. A Store is one; the supervisor makes one
 * from the root path alone, without loading the image store's modules (its start is on the critical
 * path of every `run`).
 */
export type StoreLocation = Pick<Store, 'paths'>;
