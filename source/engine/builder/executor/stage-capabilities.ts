// The file capabilities (`security.capability`) of an image's files, from its layer tars. Docker's COPY
// --from hashes them with each file (ReadSecurityXattrToTarHeader), but strata's extraction cannot set
// xattrs, so they are read from the layers instead: a path's last entry decides, as it decides the file.
import {createReadStream} from 'node:fs';
import type {Digest} from '../../digest.js';
import {toLayerItem} from '../../layer/layer-entry.js';
import {readTarEvents} from '../../layer/tar-parser.js';
import type {Store} from '../../store/store.js';

const capabilityKeys = ['SCHILY.xattr.security.capability', 'LIBARCHIVE.xattr.security.capability'];

/** Raw capability bytes by clean relative path, for the paths whose last entry carries one. */
export async function layerCapabilities(store: Store, diffIDs: readonly Digest[], label: string): Promise<Map<string, Buffer>> {
	const capabilities = new Map<string, Buffer>();
	for (const diffID of diffIDs) {
		const index = await store.layers.index(diffID);
		for (const entry of index.entries) capabilities.delete(entry.path);
		// Most layers carry none: only those that do are read again.
		if (!index.entries.some(entry => entry.capability)) continue;
		for await (const event of readTarEvents(createReadStream(store.blobs.path(diffID)))) {
			if (event.kind !== 'entry' || !event.header.pax) continue;
			const value = capabilityKeys.map(key => event.header.pax!.get(key)).find(found => found !== undefined);
			if (value === undefined) continue;
			const item = toLayerItem(event.header, `${label}, layer ${diffID}`);
			if (item.kind === 'entry') capabilities.set(item.entry.path, Buffer.from(value));
		}
	}
	return capabilities;
}
