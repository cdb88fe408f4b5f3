import type {Stats} from 'node:fs';
import {lstat, stat} from 'node:fs/promises';
import {basename, dirname, join, posix, relative, resolve} from 'node:path';
import {Readable, type Writable} from 'node:stream';
import {StrataError} from '../errors.js';
import {extractLayer} from '../layer/safe-extract.js';
import {type Operation, operation} from '../progress.js';
import {resolveInRoot} from '../runtime/rootfs-path.js';
import type {Store} from '../store/store.js';
import {withContainerLock} from './container-lock.js';
import {withRootfs} from './container-filesystem.js';
import {readContainer} from './container-store.js';
import {parseCopyArguments} from './copy-arguments.js';
import {copyTree} from './copy-tree.js';
import {pathAsTar} from './copy-tar.js';

export type CopyOptions = {
	/** `CONTAINER:PATH`, a local path, or `-` (a tar on stdin, extracted into the destination directory). */
	source: string;
	/** `CONTAINER:PATH`, a local path, or `-` (the source as a tar on stdout). */
	destination: string;
	/** `-a`: copies keep the source's owner (otherwise they belong to the receiving side's root / us). */
	archive?: boolean;
	/** `-L`: copy what a source symlink points at, not the link. */
	followLink?: boolean;
	/** Local relative paths start here (default: the process's working directory). */
	cwd?: string;
	stdin?: Readable;
	stdout?: Writable;
};

/** What `cp` reports: `Successfully copied <size> to <destination>` (Docker counts the bytes of the tar it streams). */
export type CopyResult = {bytes: number; destination: string};

/** A path as one side of the copy: where it is on the host, and how to name it to the user. */
type Located = {host: string; display: string; missing(path: string): StrataError};

/**
 * `docker cp`: copies files between a container (running or not, either driver) and the host, with
 * Docker's rules for where things land (into an existing directory, `/.` for a directory's contents,
 * `-` for a tar on stdin or stdout). Container paths are relative to its root and resolved inside it:
 * a symlink in the container is followed as the container would follow it, never out onto the host.
 * Writes go through the container's mounted file system, so an overlay container's upper dir gets
 * proper copy-ups and whiteouts.
 */
export function copyFiles(store: Store, options: CopyOptions): Operation<CopyResult> {
	return operation(async emit => {
		const {source, destination} = parseCopyArguments(options.source, options.destination);
		const cwd = options.cwd ?? process.cwd();
		const keepOwner = options.archive ?? false;
		const name = (source.container ?? destination.container)!;
		const {record} = await readContainer(store, name);
		return withContainerLock(store, record.id, 'cp', () =>
			withRootfs(store, record, async rootfs => {
				const inContainer = (path: string): Located => ({
					host: '',
					display: posix.normalize(`/${path}`),
					missing: missingPath => new StrataError(`Could not find the file ${missingPath} in container ${name}`),
				});
				if (source.container !== undefined) {
					const from = inContainer(source.path);
					from.host = options.followLink || endsWithDirectory(source.path) ? await resolveInRoot(rootfs, source.path) : await resolveParentInRoot(rootfs, source.path);
					const stats = await statOrUndefined(from.host, false);
					if (!stats) throw from.missing(from.display);
					emit({kind: 'step', message: `Copying ${name}:${from.display}`});
					if (destination.path === '-') return toTarStream(from.host, sourceName(source.path), options.stdout);
					const to: Located = {host: resolve(cwd, destination.path), display: resolve(cwd, destination.path), missing: path => new StrataError(`lstat ${path}: no such file or directory`)};
					const bytes = await place(from.host, stats, sourceName(source.path), to, endsWithDirectory(destination.path), keepOwner, false);
					return {bytes, destination: to.display};
				}
				const to = inContainer(destination.path);
				to.host = await resolveInRoot(rootfs, destination.path);
				// Errors name the path the container's symlinks led to, as Docker's daemon does.
				to.display = `/${relative(rootfs, to.host)}`;
				if (source.path === '-') {
					const stats = await statOrUndefined(to.host, true);
					if (!stats?.isDirectory()) throw new StrataError(`destination "${name}:${to.display}" must be a directory`);
					if (!options.stdin) throw new StrataError('no tar archive on stdin');
					emit({kind: 'step', message: `Extracting a tar from stdin into ${name}:${to.display}`});
					const counted = countBytes(options.stdin);
					// The layer extractor: safe against entries and links that climb out of the directory. It
					// keeps the tar's owners, and reads `.wh.` names as whiteouts (Docker's cp would not).
					await extractLayer(counted.stream, to.host, 'stdin');
					return {bytes: counted.total(), destination: `${name}:${to.display}`};
				}
				const fromHost = resolve(cwd, source.path);
				const stats = await statOrUndefined(fromHost, options.followLink ?? false);
				if (!stats) throw new StrataError(`lstat ${fromHost}: no such file or directory`);
				emit({kind: 'step', message: `Copying ${fromHost}`});
				const bytes = await place(fromHost, stats, sourceName(source.path), to, endsWithDirectory(destination.path), keepOwner, true);
				return {bytes, destination: `${name}:${to.display}`};
			}),
		);
	});
}

/**
 * Docker's placement rules. A file: to a new file at the destination, over an existing file, or into an
 * existing directory under its own name (a destination ending in `/` must be an existing directory). A
 * directory: created at a new destination with the source's contents, into an existing directory under
 * its own name, or (source ending in `/.`) its contents merged into the existing directory; never onto a file.
 */
async function place(from: string, stats: Stats, name: string | undefined, to: Located, destinationIsDirectory: boolean, keepOwner: boolean, inContainer: boolean): Promise<number> {
	// A destination in the container is already resolved through its symlinks; a local one is followed here.
	const existing = await statOrUndefined(to.host, !inContainer);
	let target: string;
	if (!existing) {
		if (destinationIsDirectory && !stats.isDirectory()) throw new StrataError('no such directory');
		const parent = await statOrUndefined(dirname(to.host), !inContainer);
		if (!parent?.isDirectory()) throw to.missing(dirname(to.display));
		target = to.host;
	} else if (existing.isDirectory()) {
		target = name === undefined ? to.host : join(to.host, name);
		if (!stats.isDirectory() && name === undefined) throw new StrataError(`cannot copy to ${to.display}: the source is not a directory`);
	} else {
		if (stats.isDirectory()) throw new StrataError('cannot copy directory');
		target = to.host;
	}
	return copyTree(from, target, {keepOwner});
}

/** The name a copied source takes inside a destination directory; undefined for `dir/.` (its contents) or `/`. */
function sourceName(path: string): string | undefined {
	if (/(^|\/)\.$/.test(path)) return undefined;
	const name = basename(path.replace(/\/+$/, ''));
	return name === '' ? undefined : name;
}

/** `dir/`, `dir/.`, `.` and `/` name a directory itself (a trailing slash follows a symlink, as in the kernel). */
function endsWithDirectory(path: string): boolean {
	return path.endsWith('/') || /(^|\/)\.$/.test(path);
}

/** The host path of a container path whose last component is not followed (`cp` copies a symlink as a symlink). */
async function resolveParentInRoot(root: string, path: string): Promise<string> {
	const normal = posix.normalize(`/${path}`);
	if (normal === '/') return root;
	return join(await resolveInRoot(root, posix.dirname(normal)), posix.basename(normal));
}

async function statOrUndefined(path: string, follow: boolean): Promise<Stats | undefined> {
	try {
		return await (follow ? stat(path) : lstat(path));
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return undefined;
		throw error;
	}
}

async function toTarStream(from: string, name: string | undefined, stdout: Writable | undefined): Promise<CopyResult> {
	if (!stdout) throw new StrataError('no output for the tar stream');
	const bytes = await pathAsTar(from, name, stdout);
	return {bytes, destination: '-'};
}

/** Passes `stream` on, counting its bytes. */
function countBytes(stream: Readable): {stream: Readable; total(): number} {
	let total = 0;
	async function* counted(): AsyncGenerator<Buffer> {
		for await (const chunk of stream) {
			total += (chunk as Buffer).length;
			yield chunk as Buffer;
		}
	}
	return {stream: Readable.from(counted()), total: () => total};
}
