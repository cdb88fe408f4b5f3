import {compareGoStrings} from './go-path.js';

/** Entry types a build context can carry (sockets are never sent, as in Docker). */
export type ContextEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo' | 'char' | 'block';

/** One file of the build context, described as the tar header Docker's CLI would send for it. */
export interface ContextEntry {
	/** Relative to the context root, `/`-separated, no trailing slash. */
	path: string;
	type: ContextEntryType;
	/** Permission bits with setuid, setgid and sticky (a tar header's mode, no file type bits). */
	mode: number;
	/** Bytes of a regular file; 0 for everything else (hardlinks included). */
	size: number;
	/** Owner on disk (Docker's CLI sends 0:0 for context files; copy-hash.ts accounts for that). */
	uid: number;
	gid: number;
	mtimeMs: number;
	/** Symlink target as stored, or for a hardlink the path of the first link to the same file. */
	linkname: string;
	/** Device numbers of character and block devices. */
	devmajor: number;
	devminor: number;
	/**
	 * Extended attributes to hash (Docker keeps only security.capability), values as byte strings (latin1);
	 * not read from disk by listContext (a stage's come from its layers).
	 */
	xattrs?: Readonly<Record<string, string>>;
	/**
	 * The file's identity on disk, from listContext's lstat (absent for synthetic and cached entries): what
	 * the context sum cache compares before reusing a sum, since any write to a file changes its ctime.
	 */
	dev?: number;
	ino?: number;
	ctimeMs?: number;
	/**
	 * A directory that was not sent (it was excluded) but exists because something below it was: Docker's
	 * extraction creates it, and its content hash is just its path.
	 */
	synthetic?: boolean;
}

/** The tar typeflag Docker hashes for each type. */
export const typeflags: Record<ContextEntryType, string> = {
	file: '0',
	hardlink: '1',
	symlink: '2',
	char: '3',
	block: '4',
	dir: '5',
	fifo: '6',
};

/** Go's filepath.WalkDir order: depth first, each directory's names sorted bytewise. */
export function compareWalkOrder(a: string, b: string): number {
	return compareGoStrings(a, b, true);
}
