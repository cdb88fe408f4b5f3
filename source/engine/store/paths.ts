import {homedir} from 'node:os';
import {join, resolve} from 'node:path';

/** Where a store keeps what. The OCI layout is the top level; strata's own metadata lives in `strata/`. */
export class StorePaths {
	readonly root: string;

	constructor(root: string) {
		this.root = resolve(root);
	}

	get ociLayout() {
		return join(this.root, 'oci-layout');
	}

	get index() {
		return join(this.root, 'index.json');
	}

	get blobs() {
		return join(this.root, 'blobs', 'sha256');
	}

	get meta() {
		return join(this.root, 'strata');
	}

	/** Image records (parent, sizes, diff IDs) keyed by image ID: a cache over the blobs plus what OCI has no field for. */
	get images() {
		return join(this.meta, 'images.json');
	}

	/** One file per layer: its entry index, written at ingest. */
	get layers() {
		return join(this.meta, 'layers');
	}

	/** Ingest temp files; same file system as blobs/ so that rename is atomic. */
	get tmp() {
		return join(this.meta, 'tmp');
	}

	/** Build contexts' file sums, kept between builds (builder/cache/context-sum-cache.ts): a cache, never needed. */
	get contextSums() {
		return join(this.meta, 'context-sums');
	}

	/** Running builds' leases on their untagged step images (builder/cache/build-lease.ts). */
	get builds() {
		return join(this.meta, 'builds');
	}

	get lock() {
		return join(this.meta, 'lock');
	}

	blob(hex: string) {
		return join(this.blobs, hex);
	}

	layerIndex(hex: string) {
		return join(this.layers, `${hex}.json`);
	}
}

/** `--root`, else `$STRATA_ROOT`, else `$XDG_DATA_HOME/strata` (`~/.local/share/strata`). */
export function resolveStoreRoot(option?: string, env: NodeJS.ProcessEnv = process.env): string {
	if (option) return resolve(option);
	if (env.STRATA_ROOT) return resolve(env.STRATA_ROOT);
	const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
	return join(dataHome, 'strata');
}
