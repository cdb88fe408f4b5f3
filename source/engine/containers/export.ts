import type {Writable} from 'node:stream';
import {type ByteSink, fileSink, streamSink} from '../archive/output-sink.js';
import {directoryToLayerTar} from '../layer/tar-writer.js';
import {type Operation, operation} from '../progress.js';
import type {Store} from '../store/store.js';
import {withContainerLock} from './container-lock.js';
import {withRootfs} from './container-filesystem.js';
import {readContainer} from './container-store.js';

export type ExportOptions = {
	/** The container: name, ID or unique ID prefix. */
	container: string;
	/** A file path (written whole or not at all), or `-` for `stdout`. */
	output: string;
	stdout?: Writable;
};

/**
 * `docker export`: the container's file system as it sees it (the image with its changes, one flat
 * tree, no whiteouts) as a tar, entries written like Docker's archiver writes them. A stopped overlay
 * container is mounted for the time it takes; the container's lock keeps `start` and `rm` away meanwhile.
 * Returns the bytes written.
 */
export function exportContainer(store: Store, options: ExportOptions): Operation<number> {
	return operation(async emit => {
		const {record} = await readContainer(store, options.container);
		const sink: ByteSink = options.output === '-' ? streamSink(options.stdout ?? process.stdout) : await fileSink(options.output);
		try {
			const bytes = await withContainerLock(store, record.id, 'export', () =>
				withRootfs(store, record, async rootfs => {
					emit({kind: 'step', message: `Exporting container ${record.name}`});
					let written = 0;
					for await (const chunk of directoryToLayerTar(rootfs)) {
						await sink.write(chunk as Buffer);
						written += (chunk as Buffer).length;
						emit({kind: 'bytes', id: 'export', label: `container ${record.name}`, current: written});
					}
					return written;
				}),
			);
			await sink.commit();
			return bytes;
		} catch (error) {
			await sink.abort();
			throw error;
		}
	});
}
