import {createReadStream} from 'node:fs';
import {mkdir, readdir, rename, rm, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {digestHex} from '../digest.js';
import {extractLayer} from '../layer/safe-extract.js';
import type {ImageRecord} from '../store/image-catalog.js';
import type {Store} from '../store/store.js';
import {ContainerPaths} from './container-paths.js';
import {addMountPoints} from './mount-points.js';
import {isAlive} from './process-alive.js';

/**
 * An image's flattened root file system at unpacked/<image-id-hex>/: its layers applied in order (with
 * whiteouts) plus the mount points a container needs. Shared read-only by every container of the image
 * (the overlay lower dir, the source of the copy driver), so it is made once: in a private temp dir,
 * then renamed into place, which is atomic; a concurrent unpack of the same image loses the rename and
 * uses the winner's.
 */
export async function unpackImage(store: Store, image: ImageRecord): Promise<string> {
	const paths = new ContainerPaths(store.paths);
	const target = paths.unpackedImage(digestHex(image.id));
	if (await isUnpacked(target)) return target;
	await mkdir(paths.unpacked, {recursive: true});
	const temp = join(paths.unpacked, `.tmp-${process.pid}-${Date.now().toString(36)}-${digestHex(image.id).slice(0, 12)}`);
	try {
		await mkdir(temp, {mode: 0o755});
		for (const [index, diffID] of image.diffIDs.entries()) {
			await extractLayer(createReadStream(store.blobs.path(diffID)), temp, `layer ${index + 1} (${diffID}) of ${image.id}`);
		}
		await addMountPoints(temp);
		try {
			await rename(temp, target);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			// Another process renamed its complete copy into place first: use that one.
			if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
		}
		return target;
	} finally {
		await rm(temp, {recursive: true, force: true}).catch(() => {});
	}
}

/** Only complete unpacks are ever renamed to their final name, so existing means complete. */
async function isUnpacked(dir: string): Promise<boolean> {
	return stat(dir).then(
		info => info.isDirectory(),
		() => false,
	);
}

/** Removes unpacked images no container uses any more whose image is gone from the store (a cache sweep). */
export async function sweepUnpackedImages(store: Store, usedImageHexes: Set<string>): Promise<void> {
	const paths = new ContainerPaths(store.paths);
	const catalog = await store.catalog();
	for (const name of await readdir(paths.unpacked).catch(() => [] as string[])) {
		const tempOf = /^\.tmp-(\d+)-/.exec(name);
		if (tempOf) {
			if (!isAlive(Number(tempOf[1]))) await rm(join(paths.unpacked, name), {recursive: true, force: true});
			continue;
		}
		if (usedImageHexes.has(name) || catalog.records.has(`sha256:${name}`)) continue;
		await rm(join(paths.unpacked, name), {recursive: true, force: true});
	}
}
