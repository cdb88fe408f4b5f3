import {mkdir, mkdtemp, readFile, rm} from 'node:fs/promises';
import {release} from 'node:os';
import {join} from 'node:path';
import {StrataError} from '../errors.js';
import {writeFileAtomic} from '../store/atomic-file.js';
import {ContainerPaths} from './container-paths.js';
import {type FilesystemDriver, mountOverlay, unmount} from './container-filesystem.js';
import type {StoreLocation} from './store-location.js';

const probes = new Map<string, Promise<boolean>>();

/**
 * The root file system driver new containers get: `$STRATA_DRIVER` (overlay or copy) when set, else
 * overlay when an overlay can really be mounted in this store (root, a kernel with overlayfs, a store
 * on a file system overlay accepts as upper), else copy. The probe (a real mount) is remembered in the
 * store for the running kernel, so a `run` does not pay for it.
 */
export async function selectDriver(store: StoreLocation, env: NodeJS.ProcessEnv = process.env): Promise<{driver: FilesystemDriver; reason: string}> {
	const forced = env.STRATA_DRIVER;
	if (forced) {
		if (forced !== 'overlay' && forced !== 'copy') throw new StrataError(`STRATA_DRIVER=${forced}: unknown driver (use overlay or copy)`);
		return {driver: forced, reason: 'set by STRATA_DRIVER'};
	}
	return (await overlayWorks(store)) ? {driver: 'overlay', reason: 'overlayfs can be mounted'} : {driver: 'copy', reason: 'overlayfs cannot be mounted here'};
}

function overlayWorks(store: StoreLocation): Promise<boolean> {
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
	const remembered = join(containers, '.overlay-probe.json');
	try {
		const cached = JSON.parse(await readFile(remembered, 'utf8')) as {kernel?: string; works?: boolean};
		if (cached.kernel === release() && typeof cached.works === 'boolean') return cached.works;
	} catch {
		// Not probed yet.
	}
	const works = await mountProbe(containers);
	await writeFileAtomic(remembered, JSON.stringify({kernel: release(), works})).catch(() => {});
	return works;
}

async function mountProbe(containers: string): Promise<boolean> {
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
