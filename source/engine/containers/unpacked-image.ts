import {createReadStream} from 'node:fs';
import {mkdir, readdir, realpath, rename, rm, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {digestHex} from '../digest.js';
import {cloneByHardLinks} from '../layer/hardlink-clone.js';
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
 *
 * When another image whose layers begin this one's is unpacked already (the parent a build step adds a
 * layer to, or an image with the very same layers), the root starts as its hard-link clone and only the
 * remaining layers are extracted: a RUN after a COPY of 5,000 files no longer extracts them again.
 */
export async function unpackImage(store: Store, image: ImageRecord): Promise<string> {
	const paths = new ContainerPaths(store.paths);
	const target = paths.unpackedImage(digestHex(image.id));
	if (await isUnpacked(target)) return target;
	await mkdir(paths.unpacked, {recursive: true});
	const temp = join(paths.unpacked, `.tmp-${process.pid}-${Date.now().toString(36)}-${digestHex(image.id).slice(0, 12)}`);
	try {
		await mkdir(temp, {mode: 0o755});
		const {layersDone, shared} = await startFromUnpackedPrefix(store, image, temp);
		for (const [index, diffID] of image.diffIDs.entries()) {
			if (index < layersDone) continue;
			await extractLayer(createReadStream(store.blobs.path(diffID)), temp, `layer ${index + 1} (${diffID}) of ${image.id}`, {shared});
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

/**
 * Clones into `temp` the unpacked root of the image with the longest run of this image's first layers
 * (all of them at best), and says how many layers that covers. Nothing suitable, or a clone that fails
 * (its source swept meanwhile): `temp` is left empty and every layer is to be extracted.
 */
async function startFromUnpackedPrefix(store: Store, image: ImageRecord, temp: string): Promise<{layersDone: number; shared?: Set<string>}> {
	const paths = new ContainerPaths(store.paths);
	const candidates = [...(await store.catalog()).records.values()]
		.filter(other => other.id !== image.id && other.diffIDs.length > 0 && other.diffIDs.length <= image.diffIDs.length)
		.filter(other => other.diffIDs.every((diffID, index) => diffID === image.diffIDs[index]))
		.sort((a, b) => b.diffIDs.length - a.diffIDs.length);
	for (const candidate of candidates) {
		const source = paths.unpackedImage(digestHex(candidate.id));
		if (!(await isUnpacked(source))) continue;
		const target = await realpath(temp);
		try {
			return {layersDone: candidate.diffIDs.length, shared: await cloneByHardLinks(source, target)};
		} catch {
			await rm(temp, {recursive: true, force: true});
			await mkdir(temp, {mode: 0o755});
			return {layersDone: 0};
		}
	}
	return {layersDone: 0};
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
