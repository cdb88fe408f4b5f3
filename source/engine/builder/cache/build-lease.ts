// A running build's hold on the images it made or found in its cache. Its steps are untagged images until
// the end, and `image prune` or `builder prune` in another process would take them as dangling build
// cache and delete them under the build. A lease is a small file per build under strata/builds/ naming
// those images and the build's pid; removals read the leases of live builds (builds-using-images below)
// and treat a held image as one a running container uses. A lease whose process died holds nothing.
// Written with a temp file and a rename, not fsynced: after a crash there is no build to protect.
import {randomBytes} from 'node:crypto';
import {mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Digest} from '../../digest.js';
import {isAlive} from '../../store/lock.js';
import type {StorePaths} from '../../store/paths.js';

export class BuildLease {
	private readonly images = new Set<Digest>();

	private constructor(private readonly file: string) {}

	static take(paths: StorePaths): BuildLease {
		mkdirSync(paths.builds, {recursive: true});
		const lease = new BuildLease(join(paths.builds, `${process.pid}-${randomBytes(4).toString('hex')}.json`));
		lease.write();
		return lease;
	}

	/** Holds `id` until release. Synchronous, so that it can be called inside the store write that made the image. */
	hold(id: Digest | undefined): void {
		if (id === undefined || this.images.has(id)) return;
		this.images.add(id);
		this.write();
	}

	release(): void {
		try {
			unlinkSync(this.file);
		} catch {
			// Gone already: nothing is held.
		}
	}

	private write(): void {
		const temp = `${this.file}.tmp`;
		writeFileSync(temp, JSON.stringify({pid: process.pid, images: [...this.images]}));
		renameSync(temp, this.file);
	}
}

/** The images live builds hold, each with the holding build's pid. */
export function imagesHeldByBuilds(paths: StorePaths): Map<Digest, number> {
	const held = new Map<Digest, number>();
	let names: string[];
	try {
		names = readdirSync(paths.builds);
	} catch {
		return held;
	}
	for (const name of names.filter(name => name.endsWith('.json'))) {
		try {
			const lease = JSON.parse(readFileSync(join(paths.builds, name), 'utf8')) as {pid: number; images: Digest[]};
			if (!isAlive(lease.pid)) {
				unlinkSync(join(paths.builds, name));
				continue;
			}
			for (const id of lease.images) held.set(id, lease.pid);
		} catch {
			// Released while we read: it holds nothing.
		}
	}
	return held;
}
