import {readFileSync} from 'node:fs';
import type {Digest} from '../digest.js';
import {type Descriptor, type ImageIndex, mediaTypes, refNameAnnotation} from '../image/types.js';
import {familiarReference, fullReference, parseReferenceWithDefaultTag, tryParseReference} from '../reference/reference.js';
import {writeFileAtomic} from './atomic-file.js';
import type {StorePaths} from './paths.js';
import {byCodeUnits} from '../ordering.js';

/** What strata records about one stored image, beside its OCI blobs. */
export type ImageRecord = {
	/** Image ID: the config's digest. */
	id: Digest;
	manifest: Descriptor;
	diffIDs: Digest[];
	/** Sum of the layers' content sizes (Docker's image size). */
	size: number;
	/** The config's `created`. */
	created?: string;
	/** The image this one was built or committed on, when known locally (Docker's parent chain). */
	parent?: Digest;
	/**
	 * 'build' when `strata build` wrote it as one of its steps: untagged, such an image is build cache
	 * (source/engine/builder/cache/build-cache.ts). Absent in records written before builds recorded it.
	 */
	builtBy?: 'build';
	/** Layer blob digests when they differ from the diff IDs (compressed layers of a foreign manifest). */
	layerDigests?: Digest[];
	/** When the image entered this store. */
	addedAt: string;
};

type ImagesFile = {version: 1; images: Record<string, ImageRecord>};

/**
 * The set of images and tags: index.json (the OCI layout's view, which skopeo and umoci read) plus
 * strata/images.json (records). A value: mutations change this copy; `save` publishes it atomically.
 */
export class ImageCatalog {
	readonly records: Map<Digest, ImageRecord>;
	/** Full normalized reference (`docker.io/library/busybox:latest`) -> image ID. */
	readonly tags: Map<string, Digest>;
	/**
	 * Full name -> the ref name another tool wrote for it in index.json (`umoci-tag`, `busybox:1`), so that
	 * writing the index back keeps the name that tool looks its image up by.
	 */
	readonly refNames: Map<string, string>;

	/**
	 * index.json entries strata does not model (a multi-platform index from `skopeo copy --all`, a
	 * manifest whose blobs are missing): kept verbatim, so a strata write never drops another tool's work.
	 */
	readonly foreign: readonly Descriptor[];

	constructor(records: Map<Digest, ImageRecord>, tags: Map<string, Digest>, refNames: Map<string, string> = new Map(), foreign: readonly Descriptor[] = []) {
		this.records = records;
		this.tags = tags;
		this.refNames = refNames;
		this.foreign = foreign;
	}

	static empty(): ImageCatalog {
		return new ImageCatalog(new Map(), new Map());
	}

	clone(): ImageCatalog {
		return new ImageCatalog(new Map(this.records), new Map(this.tags), new Map(this.refNames), this.foreign);
	}

	tagsOf(id: Digest): string[] {
		return [...this.tags].filter(([, target]) => target === id).map(([name]) => name).sort();
	}

	childrenOf(id: Digest): ImageRecord[] {
		return [...this.records.values()].filter(record => record.parent === id);
	}

	/** The OCI index: a descriptor per tag, and an unannotated one for each untagged image. */
	toIndex(): ImageIndex {
		const manifests: Descriptor[] = [];
		const byImage = new Map<Digest, string[]>();
		for (const [name, id] of this.tags) byImage.set(id, [...(byImage.get(id) ?? []), name]);
		const records = [...this.records.values()].sort((a, b) => byCodeUnits(a.addedAt, b.addedAt) || byCodeUnits(a.id, b.id));
		for (const record of records) {
			const names = (byImage.get(record.id) ?? []).sort();
			const base = {mediaType: record.manifest.mediaType, digest: record.manifest.digest, size: record.manifest.size};
			if (names.length === 0) manifests.push(base);
			for (const name of names) manifests.push({...base, annotations: {[refNameAnnotation]: this.refNames.get(name) ?? name}});
		}
		manifests.push(...this.foreign);
		return {schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests};
	}
}

/**
 * The tag key for an index.json ref name: strata writes full names, other tools may not (`umoci new
 * --image ROOT:umoci-tag`, `skopeo copy ... oci:ROOT:busybox`); those are read as Docker reads a name
 * (`umoci-tag` = docker.io/library/umoci-tag:latest). A name that is no tag reference stays as written.
 */
export function tagKey(refName: string): string {
	const reference = tryParseReference(refName);
	if (!reference || reference.digest !== undefined) return refName;
	return fullReference(parseReferenceWithDefaultTag(refName));
}

/** A tag key as Docker prints it (`busybox:latest`); a key that is no reference is shown as written. */
export function familiarTag(key: string): string {
	const reference = tryParseReference(key);
	return reference ? familiarReference(reference) : key;
}

// The catalog's files are read synchronously: each command reads them at least once, and a thread-pool
// round trip costs more than reading them.
export async function readIndexFile(paths: StorePaths): Promise<ImageIndex> {
	try {
		return JSON.parse(readFileSync(paths.index, 'utf8')) as ImageIndex;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {schemaVersion: 2, manifests: []};
		throw error;
	}
}

export async function readImagesFile(paths: StorePaths): Promise<Map<Digest, ImageRecord>> {
	try {
		const file = JSON.parse(readFileSync(paths.images, 'utf8')) as ImagesFile;
		return new Map(Object.entries(file.images) as Array<[Digest, ImageRecord]>);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
		throw error;
	}
}

function serializeRecords(records: Iterable<ImageRecord>): string {
	const images: Record<string, ImageRecord> = {};
	for (const record of records) images[record.id] = record;
	return JSON.stringify({version: 1, images} satisfies ImagesFile);
}

/**
 * Publishes `next` over `previous`. Records are written as a superset first and pruned last, so a
 * reader that reads index.json and then images.json always finds a record for every indexed manifest.
 * Replacing index.json is the commit: when this throws, nothing was published. The pruning after it
 * is best effort (records of images index.json no longer names are never read) and is retried by the
 * next save.
 */
export async function saveCatalog(paths: StorePaths, previous: ImageCatalog, next: ImageCatalog): Promise<void> {
	const union = new Map(previous.records);
	for (const [id, record] of next.records) union.set(id, record);
	await writeFileAtomic(paths.images, serializeRecords(union.values()));
	await writeFileAtomic(paths.index, `${JSON.stringify(next.toIndex())}\n`);
	if (union.size !== next.records.size) await writeFileAtomic(paths.images, serializeRecords(next.records.values())).catch(() => {});
}
