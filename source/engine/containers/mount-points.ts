import {lstat, mkdir, open} from 'node:fs/promises';
import {join} from 'node:path';

/**
 * What the runtime mounts over in every container: present in the shared lower dir so that the runtime
 * never has to create them in a container's writable layer (Docker's init layer does the same), which
 * keeps them out of diffs and commits. Created only where the image has nothing at that path.
 */
export const mountPoints: ReadonlyArray<{path: string; kind: 'dir' | 'file'}> = [
	{path: 'proc', kind: 'dir'},
	{path: 'sys', kind: 'dir'},
	{path: 'dev', kind: 'dir'},
	{path: 'etc', kind: 'dir'},
	{path: 'etc/hosts', kind: 'file'},
	{path: 'etc/hostname', kind: 'file'},
	{path: 'etc/resolv.conf', kind: 'file'},
];

/** The mount points' paths (relative, no leading `/`), which an unpacked image may have only because addMountPoints made them. */
export const mountPointPaths: readonly string[] = mountPoints.map(({path}) => path);

/** Paths (relative, no leading `/`) that hold the container's init files: never part of a diff or commit. */
export const initFilePaths = ['etc/hosts', 'etc/hostname', 'etc/resolv.conf'] as const;

export async function addMountPoints(rootfs: string): Promise<void> {
	for (const {path, kind} of mountPoints) {
		const target = join(rootfs, path);
		// A parent that is not a real directory (an image's `etc -> /elsewhere`) must not be followed out of the root.
		const parent = path.includes('/') ? await lstat(join(rootfs, path.slice(0, path.lastIndexOf('/')))).catch(() => undefined) : undefined;
		if (path.includes('/') && !parent?.isDirectory()) continue;
		if (await lstat(target).catch(() => undefined)) continue;
		if (kind === 'dir') await mkdir(target, {mode: 0o755});
		else await (await open(target, 'wx', 0o644)).close();
	}
}
