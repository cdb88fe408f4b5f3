import type {FileHandle} from 'node:fs/promises';
import type {Writable} from 'node:stream';
import {type Digest, digestHex, shortId} from '../digest.js';
import {type Descriptor, type ImageIndex, containerdNameAnnotation, mediaTypes, refNameAnnotation} from '../image/types.js';
import {type Operation, type ProgressEvent, operation} from '../progress.js';
import {familiarName, familiarReference, fullReference} from '../reference/reference.js';
import type {Store} from '../store/store.js';
import {type SnapshotImage, takeBlobSnapshot} from './blob-snapshot.js';
import {blobMember} from './load-plan.js';
import {type ByteSink, fileSink, streamSink} from './output-sink.js';
import {TarWriter} from './tar-writer.js';

export type SaveOptions = {
	/** Tags, bare names (every tag of the repository), IDs or `name@digest`. */
	refs: string[];
	/** A file path, or `-` for `stdout`. */
	output: string;
	/** Written for `-`; process.stdout when not given. */
	stdout?: Writable;
};

const chunkSize = 1024 * 1024;
const progressIntervalMs = 100;

/** `docker save`'s manifest.json: what Docker 20.10's `docker load` reads. */
function dockerManifest(images: SnapshotImage[]): string {
	const items = images.map(image => ({
		Config: blobMember(image.record.id),
		RepoTags: image.tags.map(familiarReference),
		Layers: image.manifest.layers.map(layer => blobMember(layer.digest)),
	}));
	return `${JSON.stringify(items)}\n`;
}

/** The OCI index, annotated as Docker 25 does: the full name for containerd, the bare tag for OCI tools. */
function ociIndex(images: SnapshotImage[]): string {
	const manifests: Descriptor[] = [];
	for (const {record, config, tags} of images) {
		const descriptor: Descriptor = {mediaType: record.manifest.mediaType, digest: record.manifest.digest, size: record.manifest.size};
		if (config.architecture && config.os) {
			descriptor.platform = {architecture: config.architecture, os: config.os, ...(config.variant ? {variant: config.variant} : {})};
		}
		if (tags.length === 0) manifests.push(descriptor);
		for (const tag of tags) {
			manifests.push({...descriptor, annotations: {[containerdNameAnnotation]: fullReference(tag), [refNameAnnotation]: tag.tag!}});
		}
	}
	return JSON.stringify({schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests} satisfies ImageIndex);
}

/** The pre-1.10 `repositories` file: familiar name -> tag -> top layer. Only for tagged images. */
function legacyRepositories(images: SnapshotImage[]): string | undefined {
	const repositories: Record<string, Record<string, string>> = {};
	for (const {tags, manifest} of images) {
		const top = manifest.layers.at(-1);
		if (!top) continue;
		for (const tag of tags) (repositories[familiarName(tag)] ??= {})[tag.tag!] = digestHex(top.digest);
	}
	return Object.keys(repositories).length > 0 ? `${JSON.stringify(repositories)}\n` : undefined;
}

/** A blob's bytes; the next read is under way while the current chunk is written. */
async function* readBlob(handle: FileHandle, size: number, onProgress: (current: number) => void): AsyncGenerator<Buffer> {
	const readAt = async (position: number): Promise<Buffer> => {
		const buffer = Buffer.allocUnsafe(Math.min(chunkSize, size - position));
		let filled = 0;
		while (filled < buffer.length) {
			const {bytesRead} = await handle.read(buffer, filled, buffer.length - filled, position + filled);
			if (bytesRead === 0) break;
			filled += bytesRead;
		}
		return buffer.subarray(0, filled);
	};
	const start = (position: number) => {
		const read = readAt(position);
		read.catch(() => {}); // awaited below; this only keeps an abandoned read from being unhandled
		return read;
	};
	let position = 0;
	let next = size > 0 ? start(0) : undefined;
	while (next) {
		const chunk = await next;
		if (chunk.length === 0) return;
		position += chunk.length;
		next = position < size ? start(position) : undefined;
		onProgress(position);
		yield chunk;
	}
}

function describe(image: SnapshotImage): string {
	return image.tags.length > 0 ? image.tags.map(familiarReference).join(', ') : shortId(image.record.id);
}

async function writeArchive(
	tar: TarWriter,
	images: SnapshotImage[],
	handles: Map<Digest, FileHandle>,
	emit: (event: ProgressEvent) => void,
): Promise<void> {
	// Metadata first: a reader streaming the archive knows what it holds before the big blobs arrive.
	await tar.addFile('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
	await tar.addFile('index.json', Buffer.from(ociIndex(images)));
	await tar.addFile('manifest.json', Buffer.from(dockerManifest(images)));
	const repositories = legacyRepositories(images);
	if (repositories) await tar.addFile('repositories', Buffer.from(repositories));
	await tar.addDirectory('blobs');
	await tar.addDirectory('blobs/sha256');
	const written = new Set<Digest>();
	for (const image of images) {
		emit({kind: 'step', message: `Saving ${describe(image)}`});
		for (const [digest, bytes] of [[image.record.id, image.configBytes], [image.record.manifest.digest, image.manifestBytes]] as const) {
			if (written.has(digest)) continue;
			written.add(digest);
			await tar.addFile(blobMember(digest), bytes);
		}
		for (const layer of image.manifest.layers) {
			if (written.has(layer.digest)) continue;
			written.add(layer.digest);
			const id = shortId(layer.digest);
			let lastEmit = 0;
			const onProgress = (current: number) => {
				const now = Date.now();
				if (now - lastEmit < progressIntervalMs && current < layer.size) return;
				lastEmit = now;
				emit({kind: 'bytes', id, label: 'Saving layer', current, total: layer.size});
			};
			await tar.addStream(blobMember(layer.digest), layer.size, readBlob(handles.get(layer.digest)!, layer.size, onProgress));
		}
	}
	await tar.finish();
}

/**
 * `docker save`: one tar that Docker 20.10 (manifest.json) and OCI tools (oci-layout, index.json,
 * blobs/sha256) both read, streamed from the store. Each blob is written once, however many images share it.
 */
export function saveArchive(store: Store, options: SaveOptions): Operation<void> {
	return operation(async emit => {
		const snapshot = await takeBlobSnapshot(store, options.refs);
		try {
			const sink: ByteSink = options.output === '-' ? streamSink(options.stdout ?? process.stdout) : await fileSink(options.output);
			try {
				await writeArchive(new TarWriter(sink), snapshot.images, snapshot.handles, emit);
				await sink.commit();
			} catch (error) {
				await sink.abort();
				throw error;
			}
		} finally {
			await snapshot.close();
		}
	});
}
