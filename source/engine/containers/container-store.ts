import {readdirSync, readFileSync} from 'node:fs';
import {StrataError} from '../errors.js';
import {ContainerPaths} from './container-paths.js';
import type {ContainerRecord, ContainerState} from './container-record.js';
import {observedState} from './observed-state.js';
import type {StoreLocation} from './store-location.js';
import {byCodeUnits} from '../ordering.js';

export {readStoredState, writeState} from './state-file.js';

/** A container as the commands see it: its record and its state as it really is now (see observedState). */
export type Container = {record: ContainerRecord; state: ContainerState};

/**
 * Finds a container like Docker: a full ID, a name (with or without the leading `/`), or a unique ID
 * prefix. Throws `No such container: X`.
 */
export async function readContainer(store: StoreLocation, nameOrId: string): Promise<Container> {
	const found = await findContainer(store, nameOrId);
	if (!found) throw new StrataError(`No such container: ${nameOrId}`);
	return found;
}

export async function findContainer(store: StoreLocation, nameOrId: string): Promise<Container | undefined> {
	const paths = new ContainerPaths(store.paths);
	if (/^[a-f\d]{64}$/.test(nameOrId)) {
		const exact = await readById(store, paths, nameOrId);
		if (exact) return exact;
	}
	const ids = await containerIds(paths);
	const records = (await Promise.all(ids.map(id => readRecord(paths, id)))).filter((record): record is ContainerRecord => record !== undefined);
	const name = nameOrId.replace(/^\//, '');
	const byName = records.find(record => record.name === name);
	if (byName) return withState(store, byName);
	if (/^[a-f\d]+$/.test(nameOrId)) {
		const matches = records.filter(record => record.id.startsWith(nameOrId));
		if (matches.length > 1) throw new StrataError(`multiple containers found with provided prefix: ${nameOrId}`);
		if (matches.length === 1) return withState(store, matches[0]!);
	}
	return undefined;
}

/** Every container, newest first (`ps -a` order). */
export async function listContainers(store: StoreLocation): Promise<Container[]> {
	const paths = new ContainerPaths(store.paths);
	const found = await Promise.all((await containerIds(paths)).map(id => readById(store, paths, id)));
	return found.filter((container): container is Container => container !== undefined).sort((a, b) => byCodeUnits(b.record.created, a.record.created));
}

// The records and states are small files, read synchronously: a thread-pool round trip each cost more
// than the reads (every container command looks its container up by name among all of them).

/** Directory names of containers; dot-names are temp dirs being created or removed. */
async function containerIds(paths: ContainerPaths): Promise<string[]> {
	let names: string[];
	try {
		names = readdirSync(paths.containers);
	} catch {
		return [];
	}
	return names.filter(name => /^[a-f\d]{64}$/.test(name));
}

async function readRecord(paths: ContainerPaths, id: string): Promise<ContainerRecord | undefined> {
	try {
		return JSON.parse(readFileSync(paths.record(id), 'utf8')) as ContainerRecord;
	} catch {
		// Removed meanwhile (rm renames the dir away first, so a half-removed container is never read).
		return undefined;
	}
}

async function readById(store: StoreLocation, paths: ContainerPaths, id: string): Promise<Container | undefined> {
	const record = await readRecord(paths, id);
	return record ? withState(store, record) : undefined;
}

async function withState(store: StoreLocation, record: ContainerRecord): Promise<Container> {
	return {record, state: await observedState(store, record.id)};
}
