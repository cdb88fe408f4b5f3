import {readdirSync, readFileSync} from 'node:fs';
import {imagesHeldByBuilds} from '../builder/cache/build-lease.js';
import type {Digest} from '../digest.js';
import type {StorePaths} from '../store/paths.js';
import type {StoreTransaction} from '../store/store.js';
import {ContainerPaths} from './container-paths.js';
import type {ContainerRecord, ContainerState} from './container-record.js';
import {isProcessOf} from './process-alive.js';

/** A container created from the image, or a running build holding it (see builder/cache/build-lease.ts). */
export type ImageUser = {kind: 'container' | 'build'; id: string; running: boolean};

/**
 * Containers created from each image, read from disk synchronously for the removal rules that run
 * inside a store transaction (rmi, image prune). Creates rename a container into place under the
 * store's write lock, so a transaction sees every container made before it. A container counts as
 * running while its supervisor lives; a dead one is stopped (Docker's `dead` is not running). A running
 * build's untagged steps count as used by it (a running user), so prune and rmi leave them alone.
 */
export function containersByImage(storePaths: StorePaths): Map<Digest, ImageUser[]> {
	const paths = new ContainerPaths(storePaths);
	const users = new Map<Digest, ImageUser[]>();
	let names: string[];
	try {
		names = readdirSync(paths.containers);
	} catch {
		return users;
	}
	for (const id of names.filter(name => /^[a-f\d]{64}$/.test(name))) {
		try {
			const record = JSON.parse(readFileSync(paths.record(id), 'utf8')) as ContainerRecord;
			const state = readState(paths.state(id));
			const running = state?.status === 'running' && state.supervisorPid !== undefined && isProcessOf(state.supervisorPid, id);
			const list = users.get(record.image) ?? [];
			list.push({kind: 'container', id, running});
			users.set(record.image, list);
		} catch {
			// Removed while we read: not a user any more.
		}
	}
	for (const [image, pid] of imagesHeldByBuilds(storePaths)) users.set(image, [...(users.get(image) ?? []), {kind: 'build', id: String(pid), running: true}]);
	return users;
}

function readState(path: string): ContainerState | undefined {
	try {
		return JSON.parse(readFileSync(path, 'utf8')) as ContainerState;
	} catch {
		return undefined;
	}
}

const perTransaction = new WeakMap<StoreTransaction, Map<Digest, ImageUser[]>>();

/** The containers using image `id`, read once per transaction (removals ask for many images in one). */
export function containersUsing(tx: StoreTransaction, id: Digest): ImageUser[] {
	let users = perTransaction.get(tx);
	if (!users) {
		users = containersByImage(tx.store.paths);
		perTransaction.set(tx, users);
	}
	return users.get(id) ?? [];
}
