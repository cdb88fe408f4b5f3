import type {BigIntStats} from 'node:fs';

/** Docker's change kinds, as `docker diff` prints them: added, changed, deleted. */
export type ChangeKind = 'A' | 'C' | 'D';

/** One line of `docker diff`: `path` is absolute (`/etc/passwd`). */
export type ContainerChange = {kind: ChangeKind; path: string};

/**
 * One entry of the layer a commit writes, in tar order: parents before children, siblings sorted by
 * name bytes. Paths are clean and relative (`etc/passwd`).
 */
export type DiffEntry =
	/** A file, directory, symlink, device or fifo, copied from `source` on the host. */
	| {type: 'node'; path: string; source: string; stats: BigIntStats; capability?: Buffer}
	/** `.wh.NAME`: `path` is the deleted path, not the marker. */
	| {type: 'whiteout'; path: string; mode: number; uid: number; gid: number; mtime: number}
	/** `.wh..wh..opq` inside directory `path`: what lower layers have there is hidden. */
	| {type: 'opaque'; path: string; mode: number; uid: number; gid: number; mtime: number};
