import {setTimeout as sleep} from 'node:timers/promises';
import {StrataError} from '../errors.js';
import type {ContainerState} from './container-record.js';
import {observedState} from './observed-state.js';
import {ContainerPaths} from './container-paths.js';
import {existsSync} from 'node:fs';
import type {StoreLocation} from './store-location.js';

/** True while the container's process may still be running (its exit not yet recorded). */
export function isActive(state: ContainerState): boolean {
	return state.status === 'running' || state.status === 'paused' || state.status === 'restarting';
}

/**
 * Waits until the container is no longer running (its supervisor recorded the exit, or died) and returns
 * that state; undefined when the container was removed meanwhile (--rm). Polls state.json: the writer
 * is another process. Throws after `timeoutMs`.
 */
export async function waitForExit(store: StoreLocation, id: string, timeoutMs = 60_000): Promise<ContainerState | undefined> {
	const deadline = Date.now() + timeoutMs;
	const dir = new ContainerPaths(store.paths).dir(id);
	let delay = 10;
	for (;;) {
		if (!existsSync(dir)) return undefined;
		const state = await observedState(store, id);
		if (!isActive(state)) return state;
		if (Date.now() >= deadline) throw new StrataError(`container ${id.slice(0, 12)} did not exit within ${Math.round(timeoutMs / 1000)}s`);
		await sleep(delay);
		delay = Math.min(delay * 2, 100);
	}
}
