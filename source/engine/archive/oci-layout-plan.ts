import type {Digest} from '../digest.js';
import {StrataError} from '../errors.js';
import {
	containerdNameAnnotation,
	type Descriptor,
	type ImageIndex,
	type Manifest,
	mediaTypes,
	refNameAnnotation,
} from '../image/types.js';
import {platform} from '../images/platform.js';
import {parseReference, type Reference} from '../reference/reference.js';
import {type ArchiveSource, missingMember} from './archive-source.js';
import {type PlannedImage, addToPlan, blobMember, parseConfig, parseJson, readVerifiedBlob} from './load-plan.js';

const layerMediaTypes = new Set<string>([
	mediaTypes.ociLayer,
	mediaTypes.ociLayerGzip,
	mediaTypes.dockerLayer,
	mediaTypes.dockerLayerGzip,
]);
const zstdLayerMediaTypes = new Set<string>([mediaTypes.ociLayerZstd, 'application/vnd.docker.image.rootfs.diff.tar.zstd']);
const configMediaTypes = new Set<string>([mediaTypes.ociConfig, mediaTypes.dockerConfig]);
const indexMediaTypes = new Set<string>([mediaTypes.ociIndex, mediaTypes.dockerManifestList]);
const manifestMediaTypes = new Set<string>([mediaTypes.ociManifest, mediaTypes.dockerManifest]);

function short(digest: string): string {
	return digest.slice(0, 'sha256:'.length + 12);
}

/**
 * The name a top-level descriptor gives its image. `io.containerd.image.name` is a full name; the
 * OCI ref name may be one (`busybox:latest`, as strata's store writes it) or a bare tag (`latest`, as
 * Docker 25 and umoci write it), which names no repository: a tag never contains `:` or `/`.
 */
function nameOf(descriptor: Descriptor, source: ArchiveSource): Reference | undefined {
	const annotations = descriptor.annotations ?? {};
	const name = annotations[containerdNameAnnotation] ?? annotations[refNameAnnotation];
	if (name === undefined || !/[:/]/.test(name)) return undefined;
	let reference: Reference;
	try {
		reference = parseReference(name);
	} catch (error) {
		throw new StrataError(`${source.label}: invalid image name ${JSON.stringify(name)} in index.json: ${(error as Error).message}`);
	}
	return reference.tag !== undefined && reference.digest === undefined ? reference : undefined;
}

/** The manifests of a nested index that fit this host: its platform, else the only platform-less one. */
function pickPlatform(index: ImageIndex, digest: string, source: ArchiveSource): Descriptor[] {
	const host = platform();
	const manifests = index.manifests ?? [];
	const matching = manifests.filter(entry => entry.platform?.os === host.os && entry.platform?.architecture === host.architecture);
	if (matching.length > 0) return matching.slice(0, 1);
	const unplatformed = manifests.filter(entry => entry.platform === undefined);
	if (unplatformed.length === 1) return unplatformed;
	throw new StrataError(`${source.label}: index ${short(digest)} has no image for ${host.os}/${host.architecture}`);
}

async function planManifest(source: ArchiveSource, descriptor: Descriptor, tags: Reference[], referencedBy: string): Promise<PlannedImage> {
	const where = `manifest ${short(descriptor.digest)}`;
	const manifest = parseJson<Manifest>(await readVerifiedBlob(source, descriptor.digest, referencedBy), source, blobMember(descriptor.digest));
	if (!manifest.config || !Array.isArray(manifest.layers)) throw new StrataError(`${source.label}: ${where} is not an image manifest`);
	if (manifest.config.mediaType && !configMediaTypes.has(manifest.config.mediaType)) {
		throw new StrataError(`${source.label}: ${where} is not a container image (config media type ${manifest.config.mediaType})`);
	}
	for (const layer of manifest.layers) {
		if (zstdLayerMediaTypes.has(layer.mediaType)) {
			throw new StrataError(`${source.label}: ${where} has a zstd-compressed layer (${short(layer.digest)}); zstd is not supported`);
		}
		if (!layerMediaTypes.has(layer.mediaType)) {
			throw new StrataError(`${source.label}: ${where} has a layer of unsupported media type ${JSON.stringify(layer.mediaType)}`);
		}
	}
	const configBytes = await readVerifiedBlob(source, manifest.config.digest, where);
	const config = parseConfig(configBytes, source, blobMember(manifest.config.digest));
	const diffIDs = config.rootfs.diff_ids;
	if (manifest.layers.length !== diffIDs.length) {
		throw new StrataError(
			`${source.label}: ${where} lists ${manifest.layers.length} layer${manifest.layers.length === 1 ? '' : 's'} but its config has ${diffIDs.length} diff ID${diffIDs.length === 1 ? '' : 's'}`,
		);
	}
	for (const layer of manifest.layers) {
		const member = blobMember(layer.digest);
		if (!(await source.has(member))) throw missingMember(source, member, where);
	}
	return {
		id: manifest.config.digest,
		config,
		configBytes,
		layers: manifest.layers.map((layer, i) => ({member: blobMember(layer.digest), diffID: diffIDs[i]!, digest: layer.digest as Digest})),
		tags,
	};
}

/** Media type of a descriptor, sniffed from the blob when the descriptor leaves it out. */
async function kindOf(source: ArchiveSource, descriptor: Descriptor, referencedBy: string): Promise<'index' | 'manifest' | undefined> {
	if (indexMediaTypes.has(descriptor.mediaType)) return 'index';
	if (manifestMediaTypes.has(descriptor.mediaType)) return 'manifest';
	if (descriptor.mediaType) return undefined;
	const blob = parseJson<Record<string, unknown>>(await readVerifiedBlob(source, descriptor.digest, referencedBy), source, blobMember(descriptor.digest));
	if (Array.isArray(blob.manifests)) return 'index';
	if (blob.config) return 'manifest';
	return undefined;
}

type Visit = {tags: Reference[]; referencedBy: string; depth: number};

async function visit(source: ArchiveSource, descriptor: Descriptor, plan: PlannedImage[], {tags, referencedBy, depth}: Visit): Promise<void> {
	if (depth > 8) throw new StrataError(`${source.label}: indexes nested too deep`);
	const kind = await kindOf(source, descriptor, referencedBy);
	if (kind === 'manifest') {
		addToPlan(plan, await planManifest(source, descriptor, tags, referencedBy));
	} else if (kind === 'index') {
		const bytes = await readVerifiedBlob(source, descriptor.digest, referencedBy);
		const index = parseJson<ImageIndex>(bytes, source, blobMember(descriptor.digest));
		const next = {tags, referencedBy: `index ${short(descriptor.digest)}`, depth: depth + 1};
		for (const child of pickPlatform(index, descriptor.digest, source)) await visit(source, child, plan, next);
	} else {
		throw new StrataError(
			`${source.label}: ${referencedBy} names ${short(descriptor.digest)} of unsupported media type ${JSON.stringify(descriptor.mediaType)}`,
		);
	}
}

/** Plans the load of an OCI image layout (tar or directory) from its index.json. */
export async function planFromOciLayout(source: ArchiveSource): Promise<PlannedImage[]> {
	const index = parseJson<ImageIndex>(await source.readSmall('index.json', 'the layout'), source, 'index.json');
	if (typeof index !== 'object' || index === null || !Array.isArray(index.manifests)) {
		throw new StrataError(`${source.label}: index.json is not an image index`);
	}
	const plan: PlannedImage[] = [];
	for (const descriptor of index.manifests) {
		const name = nameOf(descriptor, source);
		await visit(source, descriptor, plan, {tags: name ? [name] : [], referencedBy: 'index.json', depth: 0});
	}
	return plan;
}
