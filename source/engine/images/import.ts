import {createReadStream} from 'node:fs';
import {stat} from 'node:fs/promises';
import {Readable} from 'node:stream';
import {StrataError} from '../errors.js';
import {applyChanges} from '../image/changes.js';
import type {ImageConfig} from '../image/types.js';
import {directoryToLayerTar} from '../layer/tar-writer.js';
import {type Operation, operation} from '../progress.js';
import {fullReference, parseReferenceWithDefaultTag} from '../reference/reference.js';
import type {ImageRecord} from '../store/image-catalog.js';
import type {Store} from '../store/store.js';
import {platform} from './platform.js';

export type ImportOptions = {
	/** A tar or tar.gz file, a directory, or `-` for `stdin`. */
	source: string;
	reference?: string;
	changes?: string[];
	message?: string;
	stdin?: Readable;
};

async function openSource(options: ImportOptions): Promise<{stream: AsyncIterable<Buffer>; total?: number}> {
	if (options.source === '-') return {stream: options.stdin ?? process.stdin};
	let info;
	try {
		info = await stat(options.source);
	} catch {
		throw new StrataError(`${options.source}: no such file or directory`);
	}
	if (info.isDirectory()) return {stream: Readable.from(directoryToLayerTar(options.source))};
	return {stream: createReadStream(options.source, {highWaterMark: 1024 * 1024}), total: info.size};
}

/** `docker import`: a root file system (tar, tar.gz, directory or stdin) becomes a one-layer image. */
export function importImage(store: Store, options: ImportOptions): Operation<ImageRecord> {
	return operation(async emit => {
		// Validate everything cheap before reading a byte, so bad arguments cost nothing.
		const reference = options.reference ? parseReferenceWithDefaultTag(options.reference) : undefined;
		const containerConfig = applyChanges({}, options.changes ?? []);
		const {stream, total} = await openSource(options);
		const label = options.source === '-' ? 'stdin' : options.source;
		return store.write('import', async tx => {
			emit({kind: 'step', message: `Importing ${label}`});
			const layer = await store.layers.ingest(stream, {
				label,
				onProgress: current => emit({kind: 'bytes', id: 'layer', label, current, total}),
			});
			const created = new Date().toISOString();
			// Docker's CLI uploads the file, so the daemon always records "Imported from -".
			const comment = options.message || 'Imported from -';
			const config: ImageConfig = {
				...platform(),
				config: containerConfig,
				created,
				comment,
				history: [{created, comment}],
				rootfs: {type: 'layers', diff_ids: [layer.diffID]},
			};
			const record = await tx.addImage(config, [layer]);
			if (reference) tx.setTag(fullReference(reference), record.id);
			return record;
		});
	});
}
