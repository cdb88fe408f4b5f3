import type {Digest} from '../digest.js';

export type LayerEntryType =
	| 'file'
	| 'dir'
	| 'symlink'
	| 'hardlink'
	| 'char'
	| 'block'
	| 'fifo'
	/** `.wh.NAME`: `path` is the removed NAME (parent/NAME), not the marker file. */
	| 'whiteout'
	/** `.wh..wh..opq`: `path` is the directory whose lower contents are hidden (`''` for the root). */
	| 'opaque';

/**
 * One entry of a layer tar, recorded at ingest so that listing a layer never re-reads the tar.
 * `path` is clean and relative: no leading `/` or `./`, no trailing `/`, never `..`.
 */
export type LayerEntry = {
	path: string;
	type: LayerEntryType;
	/** Content bytes: a regular file's size, else 0. */
	size: number;
	mode: number;
	uid: number;
	gid: number;
	/** Seconds since the epoch. */
	mtime: number;
	/** Symlink target, or the hardlink's first path. */
	linkname?: string;
	/** True when the entry carries `security.capability`. */
	capability?: boolean;
};

/** What strata knows about a stored layer: its identity, sizes and entries. */
export type LayerIndex = {
	diffID: Digest;
	/** Bytes of the uncompressed tar, as stored in blobs/. */
	tarSize: number;
	/** Docker's layer size: regular files' sizes plus symlinks' target lengths (layerContentSize). */
	size: number;
	entries: LayerEntry[];
};
