import {readFileSync} from 'node:fs';
import {writeFileAtomic} from '../store/atomic-file.js';
import {ContainerPaths} from './container-paths.js';
import type {ContainerState} from './container-record.js';
import type {StoreLocation} from './store-location.js';

/**
 * The state as written in state.json, without looking at processes (see observedState for the truth).
 * Read synchronously, like the records (container-store.ts): a small file, where a thread-pool round
 * trip costs more than the read.
 */
export async function readStoredState(store: StoreLocation, id: string): Promise<ContainerState | undefined> {
	try {
		return JSON.parse(readFileSync(new ContainerPaths(store.paths).state(id), 'utf8')) as ContainerState;
	} catch {
		return undefined;
	}
}

/** Replaces state.json atomically: a reader (or a crash) sees the old state or the new one. */
export async function writeState(store: StoreLocation, id: string, state: ContainerState): Promise<void> {
	await writeFileAtomic(new ContainerPaths(store.paths).state(id), `${JSON.stringify(state)}\n`);
}
