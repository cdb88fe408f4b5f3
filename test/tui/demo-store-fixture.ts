// A store filled by `strata demo`'s engine code (buildDemo): the frame and images pane tests run on
// what a newcomer sees. Built fresh per test file in a temp dir, since tests remove and tag images.
import {buildDemo} from '../../source/engine/demo/build-demo.js';
import {drain} from '../../source/engine/progress.js';
import {Store} from '../../source/engine/store/store.js';
import {tempDir} from '../support/tmp.js';

export async function demoStore(): Promise<Store> {
	const store = await Store.open(tempDir('strata-tui-demo'));
	await drain(buildDemo(store));
	return store;
}

export async function emptyStore(): Promise<Store> {
	return Store.open(tempDir('strata-tui-empty'));
}

export const tick = (milliseconds = 30) => new Promise(resolve => setTimeout(resolve, milliseconds));

/** The frame without colours, for matching. */
export const plain = (frame = '') => frame.replace(/\x1b\[[0-9;]*m/g, '');

/** Waits until `predicate(frame)` holds (or fails after `timeout` ms), polling the last frame. */
export async function waitFor(lastFrame: () => string | undefined, predicate: (frame: string) => boolean, timeout = 30_000): Promise<string> {
	const started = Date.now();
	for (;;) {
		const frame = plain(lastFrame());
		if (predicate(frame)) return frame;
		if (Date.now() - started > timeout) throw new Error(`timed out waiting; last frame:\n${frame}`);
		await tick(20);
	}
}
