import {StrataError} from '../errors.js';
import {applyChanges} from '../image/changes.js';
import {type Operation, operation} from '../progress.js';
import {fullReference, parseReferenceWithDefaultTag, type Reference} from '../reference/reference.js';
import type {ImageRecord} from '../store/image-catalog.js';
import type {Store} from '../store/store.js';
import {baseLayers} from './commit-base.js';
import {commitImageConfig} from './commit-config.js';
import {withContainerPaused} from './commit-pause.js';
import {containerFilesystem} from './container-filesystem.js';
import {withContainerLock} from './container-lock.js';
import {readContainer} from './container-store.js';
import {filesystemLayerEntries} from './diff-filesystem.js';
import {diffLayerTar} from './diff-layer.js';

export type CommitOptions = {
	/** The container: name, ID or unique ID prefix. */
	container: string;
	/** `REPOSITORY[:TAG]` for the new image; without it the image is dangling (`<none>`), as in Docker. */
	reference?: string;
	author?: string;
	message?: string;
	/** Dockerfile instructions (`CMD ["sh"]`, `ENV K=V`...) applied to the new image's config. */
	changes?: string[];
	/** Freeze a running container while its files are read (Docker's default). */
	pause?: boolean;
};

/**
 * `docker commit`: the container's changes become one new layer on top of its image. The layer is
 * streamed from the container's files straight into the store (the overlay upper dir as it is, or the
 * copy driver's changes), then the image is recorded, in one store transaction: a crash or an error
 * leaves the store as it was. The new image's parent is the container's image. Init files (/etc/hosts,
 * /etc/hostname, /etc/resolv.conf, /.dockerenv, /dev, /proc, /sys) are never committed.
 */
export function commitContainer(store: Store, options: CommitOptions): Operation<ImageRecord> {
	return operation(async emit => {
		// Everything the user can get wrong is checked before a file is read.
		const reference = options.reference === undefined ? undefined : commitReference(options.reference);
		applyChanges({}, options.changes ?? []);
		const container = await readContainer(store, options.container);
		const {record} = container;
		return withContainerLock(store, record.id, 'commit', async () => {
			// The lock keeps `rm` and `start` off the files; a container deleted meanwhile is gone now.
			const current = await readContainer(store, record.id).catch(() => {
				throw new StrataError(`No such container: ${options.container}`);
			});
			return withContainerPaused(store, current, options.pause ?? true, emit, async () => {
				emit({kind: 'step', message: `Committing container ${record.name}`});
				const now = new Date();
				// The walk runs while the store's lock is taken and its catalog read: each waits on the
				// other's file system calls otherwise. Awaited inside the transaction; an early failure of
				// the lock leaves it unobserved, hence the catch.
				const reading = filesystemLayerEntries(containerFilesystem(store, record), now);
				reading.catch(() => {});
				return store.write('commit', async tx => {
					const base = tx.catalog.records.get(record.image);
					if (!base) throw new StrataError(`container ${record.name}: its image ${record.image} is no longer in the store`);
					const baseReading = store.config(base).then(async config => ({config, layers: await baseLayers(store, base, config)}));
					baseReading.catch(() => {});
					const entries = await reading;
					// Docker adds no layer for a container that changed nothing, only the history entry.
					const layer =
						entries.length === 0
							? undefined
							: await store.layers.ingest(diffLayerTar(entries), {
									label: `container ${record.name}`,
									onProgress: current => emit({kind: 'bytes', id: 'commit', label: `container ${record.name}`, current}),
								});
					const {config: baseConfig, layers: below} = await baseReading;
					const config = commitImageConfig(baseConfig, record, {
						author: options.author,
						message: options.message,
						changes: options.changes,
						layer: layer?.diffID,
						created: now.toISOString(),
					});
					const image = await tx.addImage(config, layer ? [...below, layer] : below, {parent: base.id, size: base.size + (layer?.size ?? 0)});
					if (reference) tx.setTag(fullReference(reference), image.id);
					return image;
				});
			});
		});
	});
}

function commitReference(input: string): Reference {
	const reference = parseReferenceWithDefaultTag(input);
	if (reference.digest) throw new StrataError(`refusing to create a tag with a digest reference: ${input}`);
	return reference;
}
