import {randomBytes} from 'node:crypto';
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

/** Unpacks under way in this process, by target directory. */
const unpacking = new Map<string, Promise<string>>();

/**
 * An image's flattened root file system at unpacked/<image-id-hex>/: its layers applied in order (with
 * whiteouts) plus the mount points a container needs. Shared read-only by every container of the image
 * (the overlay lower dir, the source of the copy driver), so it is made once: in a private temp dir,
 * then renamed into place, which is atomic; a concurrent unpack of the same image by another process loses
 * the rename and uses the winner's. In one process, a second caller (a stage that runs beside another on
 * the same base image) waits for the unpack under way.
 */
export function unpackImage(store: Store, image: ImageRecord): Promise<string> {
	const target = new ContainerPaths(store.paths).unpackedImage(digestHex(image.id));
	let pending = unpacking.get(target);
	if (!pending) {
		pending = unpackInto(store, image, target).finally(() => unpacking.delete(target));
		unpacking.set(target, pending);
	}
	return pending;
}

async function unpackInto(store: Store, image: ImageRecord, target: string): Promise<string> {
	if (await isUnpacked(target)) return target;
	const paths = new ContainerPaths(store.paths);
	await mkdir(paths.unpacked, {recursive: true});
	const temp = join(paths.unpacked, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}-${digestHex(image.id).slice(0, 12)}`);
	try {
		await mkdir(temp, {mode: 0o755});
		for (const [index, diffID] of image.diffIDs.entries()) {
			// 1 MiB reads: 64 KiB ones left extraction waiting on the thread pool (~40% of an unpack idle).
			await extractLayer(createReadStream(store.blobs.path(diffID), {highWaterMark: 1024 * 1024}), temp, `layer ${index + 1} (${diffID}) of ${image.id}`);
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
