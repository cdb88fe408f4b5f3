import {execFile} from 'node:child_process';
import {constants, type Stats} from 'node:fs';
import {chmod, copyFile, lchown, link, lstat, lutimes, mkdir, readdir, readlink, symlink, unlink} from 'node:fs/promises';
import {promisify} from 'node:util';
import {StrataError} from '../errors.js';

const execFileAsync = promisify(execFile);

export type CopyTreeOptions = {
	/** Give copies the source's owner (`docker cp -a`); otherwise they belong to whoever runs strata. */
	keepOwner: boolean;
};

/** A tar's block size: Docker reports how much it copied as the size of the tar it streamed. */
const block = 512;

/**
 * Copies `source` (a file, link, device or whole directory) to `target`, like `cp -a`: modes, times
 * and links kept; an existing directory at `target` is merged into (its own attributes kept); an existing non-directory is
 * replaced. Nothing at the target side is followed: existing entries are examined with lstat, replaced
 * files are unlinked first and created exclusively, so a symlink planted in a container's tree never
 * redirects a write onto the host. Hard links inside the copied tree stay hard links. Sockets are
 * skipped (as in a tar). Returns the size of the tar Docker would have streamed for it (headers,
 * padded contents, end marker), which is what `docker cp` reports.
 */
export async function copyTree(source: string, target: string, options: CopyTreeOptions): Promise<number> {
	const firstCopies = new Map<string, string>();
	let bytes = 2 * block;

	async function copyEntry(from: string, to: string, top = false): Promise<void> {
		const stats = await lstat(from);
		if (stats.isSocket()) return;
		bytes += block;
		const existing = await lstat(to).catch(() => undefined);
		if (stats.isDirectory()) {
			if (existing && !existing.isDirectory()) throw new StrataError(`cannot overwrite non-directory ${to} with directory ${from}`);
			if (!existing) await mkdir(to, {mode: 0o700});
			for (const name of await readdir(from)) await copyEntry(`${from}/${name}`, `${to}/${name}`);
			// A directory's contents merged into one that exists (`cp dir/. ctr:/tmp`) leave it as it was:
			// /tmp keeps its sticky bit. Otherwise attributes last: a read-only directory must still take
			// its contents, and their writes change its mtime.
			if (!(top && existing)) await setAttributes(to, stats, options);
			return;
		}
		if (existing?.isDirectory()) throw new StrataError(`cannot overwrite directory ${to} with non-directory ${from}`);
		if (existing) await unlink(to);
		if (stats.nlink > 1) {
			const inode = `${stats.dev}:${stats.ino}`;
			const first = firstCopies.get(inode);
			if (first !== undefined) {
				await link(first, to);
				return;
			}
			firstCopies.set(inode, to);
		}
		if (stats.isFile()) {
			await copyFile(from, to, constants.COPYFILE_EXCL);
			bytes += Math.ceil(stats.size / block) * block;
		} else if (stats.isSymbolicLink()) {
			await symlink(await readlink(from), to);
		} else {
			await makeNode(to, stats);
		}
		await setAttributes(to, stats, options);
	}

	await copyEntry(source, target, true);
	return bytes;
}

/** Owner first (chown clears setuid/setgid bits), then mode, then times. A symlink has no mode of its own. */
async function setAttributes(path: string, stats: Stats, options: CopyTreeOptions): Promise<void> {
	if (options.keepOwner) await lchown(path, stats.uid, stats.gid);
	if (!stats.isSymbolicLink()) await chmod(path, stats.mode & 0o7777);
	await lutimes(path, stats.atime, stats.mtime);
}

/** Devices and fifos: Node cannot make them, mknod(1) can. */
async function makeNode(path: string, stats: Stats): Promise<void> {
	const major = Math.floor(stats.rdev / 256) & 0xfff;
	const minor = (stats.rdev & 0xff) | ((stats.rdev >> 12) & ~0xff);
	const args = stats.isFIFO() ? [path, 'p'] : [path, stats.isCharacterDevice() ? 'c' : 'b', String(major), String(minor)];
	try {
		await execFileAsync('mknod', ['-m', (stats.mode & 0o7777).toString(8), ...args]);
	} catch (error) {
		const stderr = ((error as {stderr?: string}).stderr ?? '').trim();
		throw new StrataError(`cannot create ${path}: ${stderr || (error as Error).message}`);
	}
}
