import {lstat} from 'node:fs/promises';
import type {Writable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {joinPath} from '../layer/layer-path.js';
import type {DiffEntry} from './diff-entry.js';
import {diffLayerTar} from './diff-layer.js';
import {readDirectoryStats} from './diff-stats.js';

/**
 * `cp CONTAINER:PATH -`: the source as a tar on `output`, named as Docker names it: under its own name
 * (`hostname`, `etc/passwd`...), or, for `dir/.` (`name` undefined), the directory's contents at the top.
 * Returns the bytes written.
 */
export async function pathAsTar(source: string, name: string | undefined, output: Writable): Promise<number> {
	const entries: DiffEntry[] = [];
	async function add(path: string, from: string): Promise<void> {
		const info = await lstat(from, {bigint: true});
		if (path !== '') entries.push({type: 'node', path, source: from, stats: info});
		if (!info.isDirectory()) return;
		for (const child of readDirectoryStats(from)) await add(joinPath(path, child.name), `${from}/${child.name}`);
	}
	await add(name ?? '', source);
	let bytes = 0;
	async function* counted(tar: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
		for await (const chunk of tar) {
			bytes += chunk.length;
			yield chunk;
		}
	}
	await pipeline(diffLayerTar(entries), counted, output, {end: false});
	return bytes;
}
