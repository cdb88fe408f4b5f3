import {execFile} from 'node:child_process';
import {mkdir, readFile, rm} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {promisify} from 'node:util';
import {digestHex} from '../digest.js';
import {StrataError} from '../errors.js';
import {ContainerPaths} from './container-paths.js';
import type {ContainerRecord} from './container-record.js';
import {copyLowerInto} from './copy-rootfs.js';
import type {StoreLocation} from './store-location.js';

const execFileAsync = promisify(execFile);

/**
 * Where a container's root file system is. Both kinds read the image from `lower` (unpacked/<image-hex>/,
 * shared, never written). overlay: writes land in `upper` (the diff, readable whether mounted or not),
 * `merged` is the mount (bundle/rootfs; mounted only while the container runs or during withRootfs).
 * copy: `rootfs` (bundle/rootfs) is a private `cp -a` of `lower`; the diff is found by comparing the two.
 */
export type ContainerFilesystem =
	| {driver: 'overlay'; lower: string; upper: string; work: string; merged: string}
	| {driver: 'copy'; lower: string; rootfs: string};

export type FilesystemDriver = ContainerRecord['driver'];

export function containerFilesystem(store: StoreLocation, record: ContainerRecord): ContainerFilesystem {
	const paths = new ContainerPaths(store.paths);
	const lower = paths.unpackedImage(digestHex(record.image));
	if (record.driver === 'overlay') return {driver: 'overlay', lower, upper: paths.upper(record.id), work: paths.work(record.id), merged: paths.rootfs(record.id)};
	return {driver: 'copy', lower, rootfs: paths.rootfs(record.id)};
}

/** The directory the runtime uses as the root: the overlay mount point or the copy. */
export function rootfsPath(filesystem: ContainerFilesystem): string {
	return filesystem.driver === 'overlay' ? filesystem.merged : filesystem.rootfs;
}

/**
 * (Re)makes the container's writable layer: empty upper/work dirs, or a fresh copy of the image. createContainer
 * already does this; for a new layer on an existing container (the previous one is discarded for copy).
 */
export async function prepareFilesystem(store: StoreLocation, record: ContainerRecord): Promise<ContainerFilesystem> {
	const filesystem = containerFilesystem(store, record);
	if (filesystem.driver === 'overlay') {
		await mkdir(filesystem.upper, {recursive: true, mode: 0o755});
		await mkdir(filesystem.work, {recursive: true, mode: 0o700});
		await mkdir(filesystem.merged, {recursive: true, mode: 0o755});
		return filesystem;
	}
	await rm(filesystem.rootfs, {recursive: true, force: true});
	await mkdir(dirname(filesystem.rootfs), {recursive: true});
	await copyLowerInto(filesystem.lower, filesystem.rootfs, `container ${record.name}`);
	return filesystem;
}

/** Mounts the overlay if it is not mounted (nothing to do for a copy). Returns the rootfs path. */
export async function mountFilesystem(store: StoreLocation, record: ContainerRecord): Promise<string> {
	const filesystem = containerFilesystem(store, record);
	if (filesystem.driver === 'copy') return filesystem.rootfs;
	if (await isMountPoint(filesystem.merged)) return filesystem.merged;
	await mkdir(filesystem.merged, {recursive: true});
	// A container removed when it exits (--rm) never needs its writes to survive a host crash: its overlay
	// is volatile (no sync of the whole upper file system at unmount, ~10 ms after 2,000 small files).
	// overlayfs then refuses to mount those dirs again until its mark goes, which a crash never makes
	// worth keeping here: the writable layer is thrown away anyway.
	const volatile = record.hostConfig.autoRemove;
	if (volatile) await rm(join(filesystem.work, 'work', 'incompat'), {recursive: true, force: true});
	await mountOverlay(filesystem.lower, filesystem.upper, filesystem.work, filesystem.merged, `container ${record.name}`, {volatile});
	return filesystem.merged;
}

/** Unmounts the overlay if it is mounted (nothing to do for a copy). */
export async function unmountFilesystem(store: StoreLocation, record: ContainerRecord): Promise<void> {
	const filesystem = containerFilesystem(store, record);
	if (filesystem.driver === 'copy') return;
	await unmount(filesystem.merged, `container ${record.name}`);
}

/**
 * Runs `work` with the container's merged root file system available (for export or cp of a stopped
 * container): mounts it if needed and unmounts it afterwards only if this call mounted it, so a running
 * container's mount is left alone. Callers hold the container's lock (see withContainerLock) so that a
 * start cannot begin using a mount this call is about to take away.
 */
export async function withRootfs<T>(store: StoreLocation, record: ContainerRecord, work: (rootfs: string) => Promise<T>): Promise<T> {
	const filesystem = containerFilesystem(store, record);
	if (filesystem.driver === 'copy') return work(filesystem.rootfs);
	const wasMounted = await isMountPoint(filesystem.merged);
	const rootfs = await mountFilesystem(store, record);
	try {
		return await work(rootfs);
	} finally {
		if (!wasMounted) await unmountFilesystem(store, record);
	}
}

/** `volatile`: skip syncs of the upper dir (Linux 5.10+; without it, mounted as usual). */
export async function mountOverlay(lower: string, upper: string, work: string, target: string, label: string, options: {volatile?: boolean} = {}): Promise<void> {
	for (const dir of [lower, upper, work]) {
		// overlayfs options are split at `,` and lower dirs at `:`; such paths would be misread.
		if (/[,:]/.test(dir)) throw new StrataError(`${label}: cannot use overlayfs with a store path containing "," or ":" (${dir}); set STRATA_DRIVER=copy`);
	}
	// The extra features stay off: a diff read straight from the upper dir must see whole files and real whiteouts.
	const features = `lowerdir=${lower},upperdir=${upper},workdir=${work},redirect_dir=off,metacopy=off,index=off`;
	const failure = `${label}: cannot mount overlayfs`;
	if (options.volatile) {
		const mounted = await run('mount', ['-t', 'overlay', 'overlay', '-o', `${features},volatile`, target], failure).then(
			() => true,
			() => false,
		);
		if (mounted) return;
	}
	await run('mount', ['-t', 'overlay', 'overlay', '-o', features, target], failure);
}

export async function unmount(target: string, label: string): Promise<void> {
	if (!(await isMountPoint(target))) return;
	try {
		await run('umount', [target], `${label}: cannot unmount ${target}`);
	} catch (error) {
		// Still busy (a process in the host namespace has it open): detach now, the kernel frees it when released.
		if (!(await isMountPoint(target))) return;
		await run('umount', ['-l', target], `${label}: cannot unmount ${target}`).catch(() => {
			throw error;
		});
	}
}

/** Mount points of this mount namespace, from /proc/self/mountinfo (field 5, octal-escaped). */
export async function isMountPoint(path: string): Promise<boolean> {
	const info = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
	for (const line of info.split('\n')) {
		const field = line.split(' ')[4];
		if (field && field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))) === path) return true;
	}
	return false;
}

async function run(command: string, args: string[], failure: string): Promise<void> {
	try {
		await execFileAsync(command, args, {maxBuffer: 1024 * 1024});
	} catch (error) {
		const {stderr, code} = error as {stderr?: string; code?: string | number};
		const detail = code === 'ENOENT' ? `${command} is not installed` : (stderr ?? '').trim().split('\n').at(-1) || (error as Error).message;
		throw new StrataError(`${failure}: ${detail}`);
	}
}
