// The layer a COPY/ADD writes: the parent directories of the destination (new ones 0755; existing ones as
// they are, since writing into a directory changes it and Docker's diff records it), then every copied
// entry at its destination path, by Docker's rules: a file into a destination ending in `/` (or an
// existing directory, or several sources) keeps its name; a directory's contents go into the destination.
import {createReadStream} from 'node:fs';
import {join, posix} from 'node:path';
import type {Readable} from 'node:stream';
import {copiedEntries, type ContextSource} from '../context/copy-sources.js';
import type {ContextEntry} from '../context/context-entry.js';
import {readWhole, wholeFileLimit} from '../../layer/read-whole.js';
import {createLayerTarPacker} from '../../layer/tar-packer.js';
import {addArchiveEntries, archiveKind, type ArchiveKind} from './add-archive.js';
import type {Owner} from './copy-owner.js';
import type {ImageTree} from './image-tree.js';

export interface CopyLayerOptions {
	sources: readonly ContextSource[];
	/** Absolute destination, a trailing `/` kept. */
	destination: string;
	/** The current image's files (to see which destination directories exist), undefined for scratch. */
	tree?: ImageTree;
	owner?: Owner;
	mode?: number;
	/** ADD: unpack local tar archives into the destination. */
	unpackArchives?: boolean;
}

interface PlannedEntry {
	path: string;
	entry: ContextEntry;
	source: ContextSource;
	/** An ADD archive, unpacked at `path` (a directory). */
	archive?: ArchiveKind;
}

/** Where the destination ends up absolute: relative to the working directory, `.` meaning a directory. */
export function absoluteDestination(destination: string, workingDir: string | undefined): string {
	const directory = destination.endsWith('/') || destination === '.' || destination.endsWith('/.');
	const resolved = posix.resolve(workingDir || '/', destination);
	return directory && resolved !== '/' ? `${resolved}/` : resolved;
}

export async function copyLayerTar(options: CopyLayerOptions): Promise<Readable> {
	const exists = (path: string) => options.tree?.lstat(path);
	const destinationStat = exists(options.destination);
	const intoDirectory = options.destination.endsWith('/') || options.sources.length > 1 || destinationStat?.type === 'dir';
	const base = options.destination.replace(/\/+$/, '') || '/';
	const planned: PlannedEntry[] = [];
	const directories = new Set<string>();
	for (const source of options.sources) {
		if (source.entry.type === 'dir') {
			directories.add(base);
			const prefix = source.path === '' ? '' : `${source.path}/`;
			for (const entry of copiedEntries(source)) {
				const linkInside = entry.type !== 'hardlink' || entry.linkname.startsWith(prefix);
				planned.push({path: posix.join(base, entry.path.slice(prefix.length)), entry: linkInside ? entry : asRegularFile(entry, source), source});
			}
		} else if (options.unpackArchives && !source.remote && source.entry.type === 'file' && (await archiveKind(join(source.context.root, source.entry.path)))) {
			directories.add(base);
			planned.push({path: base, entry: source.entry, source, archive: await archiveKind(join(source.context.root, source.entry.path))});
		} else {
			const target = intoDirectory ? posix.join(base, source.name) : base;
			if (intoDirectory) directories.add(base);
			planned.push({path: target, entry: source.entry.type === 'hardlink' ? asRegularFile(source.entry, source) : source.entry, source});
		}
	}
	const parents = new Set<string>();
	const addParents = (path: string) => {
		for (let parent = posix.dirname(path); parent !== '/'; parent = posix.dirname(parent)) parents.add(parent);
	};
	for (const directory of directories) {
		if (directory !== '/') parents.add(directory);
		addParents(directory);
	}
	for (const {path} of planned) addParents(path);
	// Directories copied themselves come with their own metadata, after their parents.
	const copied = new Set(planned.filter(({archive}) => !archive).map(({path}) => path));
	const parentEntries: Array<{path: string; existing?: {mode: number; uid: number; gid: number}}> = [];
	for (const path of [...parents].sort()) {
		if (copied.has(path)) continue;
		const existing = exists(path);
		if (!existing) parentEntries.push({path});
		else if (existing.type === 'dir') parentEntries.push({path, existing: {mode: existing.mode & 0o7777, uid: existing.uid, gid: existing.gid}});
	}

	const packer = createLayerTarPacker();
	const owner = (entry: ContextEntry, origin: ContextSource['context']['origin']) =>
		options.owner ?? (origin === 'stage' ? {uid: entry.uid, gid: entry.gid} : {uid: 0, gid: 0});
	const write = async () => {
		const mtime = Math.floor(Date.now() / 1000);
		const newDirectoryOwner = options.owner ?? {uid: 0, gid: 0};
		for (const {path, existing} of parentEntries) await packer.add({path: `${path.slice(1)}/`, type: 'dir', ...(existing ?? {mode: 0o755, ...newDirectoryOwner}), mtime});
		for (const {path, entry, source, archive} of planned) {
			if (archive) {
				await addArchiveEntries(packer, join(source.context.root, entry.path), archive, path, {owner: options.owner, mode: options.mode});
				continue;
			}
			const ids = owner(entry, source.context.origin);
			const header = {
				path: entry.type === 'dir' ? `${path.slice(1)}/` : path.slice(1),
				type: entry.type,
				mode: options.mode ?? entry.mode,
				...ids,
				mtime: Math.floor(entry.mtimeMs / 1000),
				size: entry.type === 'file' ? entry.size : 0,
				linkname: entry.type === 'hardlink' ? hardlinkTarget(entry, source, path) : entry.linkname,
				devmajor: entry.devmajor,
				devminor: entry.devminor,
			};
			if (entry.type === 'symlink') header.mode = entry.mode;
			await packer.add(header, entry.type === 'file' ? fileContent(join(source.context.root, entry.path), entry.size, entry.path) : undefined);
		}
		await packer.finish();
	};
	write().catch(error => packer.destroy(error as Error));
	return packer.readable;
}

/** A copied file's content: small ones read whole and synchronously (as a commit's diff does), big ones streamed. */
function fileContent(file: string, size: number, name: string): Buffer | Readable {
	return size <= wholeFileLimit ? readWhole(file, size, name) : createReadStream(file, {highWaterMark: wholeFileLimit});
}

/** A hardlink's target moved along with the copied directory. */
function hardlinkTarget(entry: ContextEntry, source: ContextSource, path: string): string {
	const prefix = source.path === '' ? '' : `${source.path}/`;
	const copiedAt = path.slice(0, path.length - (entry.path.length - prefix.length));
	return posix.join(copiedAt, entry.linkname.slice(prefix.length)).slice(1);
}

/** A hardlink whose first link is not copied along: the file itself (same inode, so its path reads the content). */
function asRegularFile(entry: ContextEntry, source: ContextSource): ContextEntry {
	const first = source.context.entries.get(entry.linkname);
	return first ? {...first, path: entry.path} : entry;
}
