import {type Digest, isDigest, sha256Digest} from '../digest.js';
import {StrataError} from '../errors.js';
import type {ImageConfig} from '../image/types.js';
import {fullReference, type Reference} from '../reference/reference.js';
import type {ArchiveSource} from './archive-source.js';

/** One layer to load: where its bytes are in the archive and what they must hash to once decompressed. */
export type PlannedLayer = {
	member: string;
	diffID: Digest;
	/** The blob's own digest when the archive states it (OCI manifests): checked over the bytes as stored. */
	digest?: Digest;
};

/** One image to load, validated as far as possible without reading its layers. */
export type PlannedImage = {
	/** The image ID: digest of `configBytes`, which are kept exactly as found. */
	id: Digest;
	config: ImageConfig;
	configBytes: Buffer;
	layers: PlannedLayer[];
	tags: Reference[];
};

export function parseJson<T>(bytes: Buffer, source: ArchiveSource, name: string): T {
	try {
		return JSON.parse(bytes.toString('utf8')) as T;
	} catch (error) {
		throw new StrataError(`${source.label}: ${name} is not valid JSON: ${(error as Error).message}`);
	}
}

/** The parts of an image config that loading relies on; anything else is kept as is. */
export function parseConfig(bytes: Buffer, source: ArchiveSource, name: string): ImageConfig {
	const config = parseJson<ImageConfig>(bytes, source, name);
	const invalid = (why: string) => new StrataError(`${source.label}: ${name} is not a valid image config: ${why}`);
	if (typeof config !== 'object' || config === null || Array.isArray(config)) throw invalid('not a JSON object');
	if (typeof config.rootfs !== 'object' || config.rootfs === null) throw invalid('no rootfs');
	// Go writes an empty list as null; the parsed copy gets [] (the bytes, and so the ID, stay as they are).
	config.rootfs.diff_ids ??= [];
	const diffIDs: unknown = config.rootfs.diff_ids;
	if (!Array.isArray(diffIDs)) throw invalid('rootfs.diff_ids is not a list');
	const bad = diffIDs.find(diffID => typeof diffID !== 'string' || !isDigest(diffID));
	if (bad !== undefined) throw invalid(`unsupported diff ID ${JSON.stringify(bad)}`);
	if (config.os !== undefined && config.os !== 'linux') {
		throw new StrataError(`${source.label}: cannot load ${config.os} image on linux (${name})`);
	}
	return config;
}

/** The archive path of a blob: `blobs/sha256/<hex>`. */
export function blobMember(digest: Digest): string {
	return `blobs/${digest.replace(':', '/')}`;
}

/** Reads a blob named by a digest and checks that its bytes have that digest. */
export async function readVerifiedBlob(source: ArchiveSource, digest: string, referencedBy: string): Promise<Buffer> {
	if (!isDigest(digest)) throw new StrataError(`${source.label}: unsupported digest ${JSON.stringify(digest)} in ${referencedBy}`);
	const member = blobMember(digest);
	const bytes = await source.readSmall(member, referencedBy);
	const actual = sha256Digest(bytes);
	if (actual !== digest) throw new StrataError(`${source.label}: ${member} does not match its digest (content is ${actual})`);
	return bytes;
}

/** Adds `image` to `plan`, or its tags to the entry already there for the same image ID. */
export function addToPlan(plan: PlannedImage[], image: PlannedImage): void {
	const existing = plan.find(planned => planned.id === image.id);
	if (!existing) {
		plan.push(image);
		return;
	}
	for (const tag of image.tags) {
		if (!existing.tags.some(known => fullReference(known) === fullReference(tag))) existing.tags.push(tag);
	}
}
