import {execFile} from 'node:child_process';
import {
	chmodSync,
	closeSync,
	constants,
	fchmodSync,
	fchownSync,
	futimesSync,
	lchownSync,
	linkSync,
	lstatSync,
	lutimesSync,
	mkdirSync,
	openSync,
	readdirSync,
	rmSync,
	symlinkSync,
	writeSync,
} from 'node:fs';
import {mkdir, realpath} from 'node:fs/promises';
import {dirname} from 'node:path';
import type {Readable} from 'node:stream';
import {Pacer} from '../pacer.js';
import {promisify} from 'node:util';
import {StrataError} from '../errors.js';
import {asLayerError, layerError, quote} from './layer-error.js';
import {toLayerItem} from './layer-entry.js';
import {baseName, joinPath, parentPath} from './layer-path.js';
import {LayerRoot} from './layer-root.js';
import type {TarHeader} from './tar-header.js';
import {readTarEvents} from './tar-parser.js';
import type {LayerEntry} from './types.js';

const execFileAsync = promisify(execFile);

type Attributes = Pick<LayerEntry, 'mode' | 'uid' | 'gid' | 'mtime'>;

/**
 * Applies a layer tar onto `targetDir` with Docker's semantics (moby/go-archive `UnpackLayer`):
 * `.wh.NAME` deletes NAME, `.wh..wh..opq` clears what lower layers put in its directory, an existing
 * directory met by a directory entry keeps its contents and takes the new attributes, anything else is
 * removed and recreated; directory mtimes (and modes) are set last. Ownership is applied when running
 * as root; device nodes are skipped otherwise (as Docker does in a user namespace).
 *
 * Nothing is written outside `targetDir`: entries and hardlink targets that escape are refused (see
 * toLayerItem), and parents are resolved inside the target, never through a symlink out of it (see
 * LayerRoot). Refusals and malformed tars throw a StrataError naming `label` and the entry. Xattrs
 * (`security.capability`) are not restored: Node cannot set them without a native addon.
 *
 * The filesystem calls are synchronous on purpose: a layer is thousands of small files at ~7 calls
 * each, and each asynchronous call is a round trip through libuv's thread pool that, on a busy machine,
 * costs far more than the call itself (the event loop mostly sat idle waiting). A file's content is
 * still written chunk by chunk as the tar arrives, never held whole. The event loop gets a turn every
 * `yieldEvery` units of work (see Pacer) so that a TUI stays responsive.
 */
export async function extractLayer(tarStream: Readable, targetDir: string, label: string): Promise<void> {
	await mkdir(targetDir, {recursive: true});
	const root = new LayerRoot(await realpath(targetDir), label);
	const applier = new LayerApplier(root, label);
	const pacer = new Pacer(yieldEvery);
	try {
		for await (const event of readTarEvents(tarStream)) {
			if (event.kind === 'entry') await applier.begin(event.header);
			else if (event.kind === 'data') applier.write(event.chunk);
			else applier.end();
			await pacer.step(event.kind === 'data' ? Math.ceil(event.chunk.length / dataUnit) : 1);
		}
		await applier.finishDirectories(pacer);
	} catch (error) {
		throw asLayerError(label, error);
	} finally {
		applier.abort();
	}
}

const asRoot = process.getuid?.() === 0;
/** Read once: a file created with mode M gets M & ~umask. */
const umask = process.umask();
const newFileFlags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Content bytes that count as one unit of work, as much as an entry's metadata calls. */
const dataUnit = 64 * 1024;
/** Units of work done synchronously between turns of the event loop (~40 small files: a few ms, ~25 ms at load 4). */
const yieldEvery = 128;

/** Applies entries one at a time, in archive order; holds the file being written. */
class LayerApplier {
	/**
	 * Real paths this layer created, and their ancestors: what an opaque marker later in the layer
	 * must keep (Docker keeps only the paths themselves, which drops a layer's own files when the
	 * marker comes after them in a directory the layer did not list).
	 */
	private readonly kept = new Set<string>();
	/** Directory attributes to set once everything is in place, by layer path (last entry wins). */
	private readonly directories = new Map<string, Attributes>();
	/** The file being written: its descriptor, opened no-follow, so nothing after the open re-resolves its path. */
	private file: {fd: number; entry: LayerEntry; modeSet?: boolean; ownerSet?: boolean} | undefined;
	/** Whether a directory (by real path) has the setgid bit; directories' modes change only at the end. */
	private readonly setgidDirectories = new Map<string, boolean>();

	constructor(
		private readonly root: LayerRoot,
		private readonly label: string,
	) {}

	async begin(header: TarHeader): Promise<void> {
		const item = toLayerItem(header, this.label);
		if (item.kind === 'ignored') return;
		if (item.kind === 'root') {
			this.directories.set('', {mode: header.mode & 0o7777, uid: header.uid, gid: header.gid, mtime: header.mtime});
			return;
		}
		const {entry} = item;
		try {
			await this.apply(entry, header);
		} catch (error) {
			throw this.explain(error, entry);
		}
	}

	write(chunk: Buffer): void {
		if (!this.file) return;
		try {
			for (let offset = 0; offset < chunk.length; ) offset += writeSync(this.file.fd, chunk, offset, chunk.length - offset);
		} catch (error) {
			throw this.explain(error, this.file.entry);
		}
	}

	end(): void {
		if (!this.file) return;
		const {fd, entry, modeSet, ownerSet} = this.file;
		this.file = undefined;
		try {
			if (asRoot && !ownerSet) fchownSync(fd, entry.uid, entry.gid);
			// After chown, which clears setuid/setgid bits.
			if (!modeSet || (asRoot && !ownerSet)) fchmodSync(fd, entry.mode);
			futimesSync(fd, entry.mtime, entry.mtime);
		} catch (error) {
			throw this.explain(error, entry);
		} finally {
			closeSync(fd);
		}
	}

	/**
	 * Creates `target` for the file entry (exclusive, no-follow) and holds it open for its content; false when
	 * something is there already. Created with the entry's mode where the umask leaves it whole, and owned
	 * as created where that is the entry's owner, so that end() can skip those calls.
	 */
	private openNewFile(parent: string, target: string, entry: LayerEntry): boolean {
		let fd: number;
		try {
			fd = openSync(target, newFileFlags, entry.mode & 0o777);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
			throw error;
		}
		const modeSet = (entry.mode & 0o7777) === (entry.mode & 0o777 & ~umask);
		const ownerSet = asRoot && entry.uid === 0 && entry.gid === process.getgid?.() && !this.hasSetgid(parent);
		this.file = {fd, entry, modeSet, ownerSet};
		return true;
	}

	/** A new file in a setgid directory takes the directory's group, not ours. */
	private hasSetgid(dir: string): boolean {
		let setgid = this.setgidDirectories.get(dir);
		if (setgid === undefined) {
			setgid = (lstatSync(dir).mode & 0o2000) !== 0;
			this.setgidDirectories.set(dir, setgid);
		}
		return setgid;
	}

	/** Closes a file left open by an error. */
	abort(): void {
		const open = this.file;
		this.file = undefined;
		if (open) closeSync(open.fd);
	}

	/** Directories get their final mode and mtime last, so that writing into them does not undo it. */
	async finishDirectories(pacer: Pacer): Promise<void> {
		for (const [path, attributes] of this.directories) {
			const parent = this.root.resolveDirectory(parentPath(path), {create: false, entry: path});
			if (parent === undefined) continue;
			const target = path === '' ? this.root.path : `${parent}/${baseName(path)}`;
			try {
				// It may have been removed or replaced by a later entry.
				if (!lstatSync(target, {throwIfNoEntry: false})?.isDirectory()) continue;
				setAttributes(target, attributes);
			} catch (error) {
				throw this.explain(error, {path});
			}
			await pacer.step(1);
		}
	}

	private async apply(entry: LayerEntry, header: TarHeader): Promise<void> {
		const {path} = entry;
		if (entry.type === 'whiteout') {
			const parent = this.root.resolveDirectory(parentPath(path), {create: false, entry: path});
			if (parent === undefined) return;
			rmSync(`${parent}/${baseName(path)}`, {recursive: true, force: true});
			this.root.forget();
			return;
		}
		if (entry.type === 'opaque') {
			const dir = this.root.resolveDirectory(path, {create: false, entry: path});
			if (dir !== undefined) this.clearLowerContents(dir);
			return;
		}

		const parent = this.root.resolveDirectory(parentPath(path), {create: true, entry: path});
		const target = `${parent!}/${baseName(path)}`;
		// Most entries of a layer are new files: the exclusive open is the existence check (no lstat first).
		if (entry.type === 'file' && this.openNewFile(parent!, target, entry)) {
			this.keep(target);
			return;
		}
		const existing = lstatSync(target, {throwIfNoEntry: false});
		if (existing && !(existing.isDirectory() && entry.type === 'dir')) {
			rmSync(target, {recursive: true, force: true});
			if (existing.isDirectory() || existing.isSymbolicLink()) this.root.forget();
		}
		this.keep(target);

		switch (entry.type) {
			case 'dir':
				// Owner-writable until finishDirectories sets the real mode, so later entries can go in.
				if (!existing?.isDirectory()) mkdirSync(target, 0o700);
				this.directories.set(path, entry);
				return;
			case 'file':
				// Exclusive and no-follow: whatever was here was removed above, so this creates a new file.
				if (!this.openNewFile(parent!, target, entry)) throw layerError(this.label, `cannot extract ${quote(path)}: it appeared while being replaced`);
				return;
			case 'symlink':
				symlinkSync(entry.linkname!, target);
				if (asRoot) lchownSync(target, entry.uid, entry.gid);
				lutimesSync(target, entry.mtime, entry.mtime);
				return;
			case 'hardlink': {
				const linked = await this.hardlinkTarget(entry);
				linkSync(linked, target);
				// The link shares the inode: Docker sets the header's attributes on it (unless it is a symlink).
				const stats = lstatSync(target, {throwIfNoEntry: false});
				setAttributes(target, entry, {isSymlink: stats?.isSymbolicLink()});
				return;
			}
			case 'char':
			case 'block':
				if (!asRoot) return;
				// Node has no mknod(2); the coreutils command does it.
				await execFileAsync('mknod', [
					'-m',
					modeString(entry.mode),
					'--',
					target,
					entry.type === 'char' ? 'c' : 'b',
					String(header.devmajor),
					String(header.devminor),
				]);
				setAttributes(target, entry);
				return;
			case 'fifo':
				await execFileAsync('mkfifo', ['-m', modeString(entry.mode), '--', target]);
				setAttributes(target, entry);
				return;
		}
	}

	/** The real path of a hardlink's target, which must already exist (in this or a lower layer). */
	private async hardlinkTarget(entry: LayerEntry): Promise<string> {
		const linkname = entry.linkname!;
		const parent = this.root.resolveDirectory(parentPath(linkname), {create: false, entry: entry.path});
		const target = parent === undefined ? undefined : `${parent}/${baseName(linkname)}`;
		const stats = target === undefined ? undefined : lstatSync(target, {throwIfNoEntry: false});
		if (target === undefined || stats === undefined) {
			throw layerError(this.label, `hardlink ${quote(entry.path)} points to a missing file: ${quote(linkname)}`);
		}
		if (stats.isDirectory()) {
			throw layerError(this.label, `hardlink ${quote(entry.path)} points to a directory: ${quote(linkname)}`);
		}
		return target;
	}

	/**
	 * Removes everything below `dir` that this layer did not put there, descending into directories
	 * this layer re-created or wrote into (their lower contents are hidden too), as Docker's walk does.
	 */
	private clearLowerContents(dir: string): void {
		for (const name of readdirSync(dir)) {
			const child = joinPath(dir, name);
			if (!this.kept.has(child)) {
				rmSync(child, {recursive: true, force: true});
				this.root.forget();
			} else if (lstatSync(child, {throwIfNoEntry: false})?.isDirectory()) {
				this.clearLowerContents(child);
			}
		}
	}

	private keep(target: string): void {
		this.kept.add(target);
		for (let dir = dirname(target); dir !== this.root.path && !this.kept.has(dir); dir = dirname(dir)) this.kept.add(dir);
	}

	/** Filesystem errors become user-facing errors naming the layer and the entry. */
	private explain(error: unknown, entry: Pick<LayerEntry, 'path'>): unknown {
		if (error instanceof StrataError || !(error as NodeJS.ErrnoException)?.code) return error;
		return layerError(this.label, `cannot extract ${quote(entry.path)}: ${(error as Error).message}`);
	}
}

/**
 * Sets ownership (as root), mode and mtime on `target`, which was just checked not to be a symlink
 * (chmod would follow one). Chown goes first since it clears setuid/setgid bits. For a symlink
 * (a hardlink to one) only the ownership is set, as Docker does.
 */
function setAttributes(target: string, attributes: Attributes, options?: {isSymlink?: boolean}): void {
	if (asRoot) lchownSync(target, attributes.uid, attributes.gid);
	if (options?.isSymlink) return;
	chmodSync(target, attributes.mode);
	lutimesSync(target, attributes.mtime, attributes.mtime);
}

function modeString(mode: number): string {
	return (mode & 0o7777).toString(8);
}
