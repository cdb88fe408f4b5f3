import {release} from 'node:os';
import {selectDriver} from '../containers/filesystem-driver.js';
import {packageVersion} from '../installation.js';
import {openSettings} from '../settings.js';
import type {Store} from '../store/store.js';
import {diskUsage} from './disk-usage.js';
import {platform} from './platform.js';


/** `strata info`: where the store is, what it holds, and how it stores it. */
export async function storeInfo(store: Store) {
	const catalog = await store.catalog();
	const layers = new Set<string>();
	for (const record of catalog.records.values()) for (const diffID of record.diffIDs) layers.add(diffID);
	const {storeBytes} = await diskUsage(store);
	let settingsFile = 'unavailable';
	let runtime = 'runc';
	try {
		const settings = await openSettings();
		settingsFile = settings.path;
		runtime = settings.get('runtime') || runtime;
	} catch {
		// A read-only home still lets strata read and write images.
	}
	const containerDriver = await selectDriver(store).catch(error => ({driver: 'unavailable', reason: (error as Error).message}));
	return {
		version: packageVersion(),
		root: store.root,
		layout: 'OCI image layout 1.0.0 (index.json, blobs/sha256) + strata/ metadata',
		images: catalog.records.size,
		tags: catalog.tags.size,
		layers: layers.size,
		bytes: storeBytes,
		settingsFile,
		/** How container root file systems are made (overlay, or the copy fallback) and why. */
		containerDriver: containerDriver.driver,
		containerDriverReason: containerDriver.reason,
		/** The OCI runtime containers get unless `--runtime` says otherwise (the `runtime` setting). */
		defaultRuntime: runtime,
		...platform(),
		kernel: release(),
	};
}
