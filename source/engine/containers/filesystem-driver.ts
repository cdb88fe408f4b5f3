import {mkdir, mkdtemp, rm} from 'node:fs/promises';
import {join} from 'node:path';
import {StrataError} from '../errors.js';
import type {Store} from '../store/store.js';
import {ContainerPaths} from './container-paths.js';
import {type FilesystemDriver, mountOverlay, unmount} from './container-filesystem.js';

const probes = new Map<string, Promise<boolean>>();

/**
 * The root file system driver new containers get: `$STRATA_DRIVER` (overlay or copy) when set, else
 * overlay when an overlay can really be mounted in this store (root, a kernel with overlayfs, a store
 * on a file system overlay accepts as upper), else copy. Probed once per process.
 */
export async function selectDriver(store: Store, env: NodeJS.ProcessEnv = process.env): Promise<{driver: FilesystemDriver; reason: string}> {
	const forced = env.STRATA_DRIVER;
	if (forced) {
		if (forced !== 'overlay' && forced !== 'copy') throw new StrataError(`STRATA_DRIVER=${forced}: unknown driver (use overlay or copy)`);
		return {driver: forced, reason: 'set by STRATA_DRIVER'};
	}
	return (await overlayWorks(store)) ? {driver: 'overlay', reason: 'overlayfs can be mounted'} : {driver: 'copy', reason: 'overlayfs cannot be mounted here'};
}

function overlayWorks(store: Store): Promise<boolean> {
	const containers = new ContainerPaths(store.paths).containers;
	let probe = probes.get(containers);
	if (!probe) {
		probe = probeOverlay(containers);
		probes.set(containers, probe);
	}
	return probe;
}

async function probeOverlay(containers: string): Promise<boolean> {
	if (process.getuid?.() !== 0) return false;
	await mkdir(containers, {recursive: true});
	const dir = await mkdtemp(join(containers, '.overlay-probe-'));
	const [lower, upper, work, merged] = ['lower', 'upper', 'work', 'merged'].map(name => join(dir, name)) as [string, string, string, string];
	try {
		for (const sub of [lower, upper, work, merged]) await mkdir(sub);
		await mountOverlay(lower, upper, work, merged, 'overlay probe');
		await unmount(merged, 'overlay probe');
		return true;
	} catch {
		return false;
	} finally {
		await unmount(merged, 'overlay probe').catch(() => {});
		await rm(dir, {recursive: true, force: true}).catch(() => {});
	}
}
