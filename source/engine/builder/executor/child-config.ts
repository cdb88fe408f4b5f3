// The config of the image a build step writes: the current image's, with new container settings, one more
// history entry and, for a step with files, one more layer.
import type {Digest} from '../../digest.js';
import type {ContainerConfig, HistoryEntry, ImageConfig} from '../../image/types.js';

export interface ChildConfigOptions {
	settings: ContainerConfig;
	/** The history text (`/bin/sh -c #(nop)  CMD ["sh"]`). */
	createdBy: string;
	/** The new layer's diff ID; undefined for a config-only step. */
	layer?: Digest;
	created: string;
	author?: string;
}

export function childConfig(base: ImageConfig, options: ChildConfigOptions): ImageConfig {
	const entry: HistoryEntry = {created: options.created, created_by: options.createdBy};
	if (!options.layer) entry.empty_layer = true;
	const author = options.author ?? base.author;
	return {
		...base,
		created: options.created,
		...(author ? {author} : {}),
		config: options.settings,
		rootfs: {type: 'layers', diff_ids: options.layer ? [...base.rootfs.diff_ids, options.layer] : [...base.rootfs.diff_ids]},
		history: [...(base.history ?? []), entry],
	};
}
