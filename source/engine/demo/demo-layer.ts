import {createHash} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import type {Readable} from 'node:stream';
import {whiteoutMarkerPath} from '../layer/layer-path.js';
import {createLayerTarPacker, type LayerTarHeader} from '../layer/tar-writer.js';
import type {DemoEntry} from './recipes.js';

/** Every demo entry has this mtime, so that the same recipe always makes the same layer (same diff ID). */
const demoMtime = Date.UTC(2024, 5, 1) / 1000;

/** Incompressible bytes: SHA-256 in counter mode over the seed. */
export function generatedBytes(size: number, seed: string): Buffer {
	const chunks: Buffer[] = [];
	for (let counter = 0, length = 0; length < size; counter++, length += 32) {
		chunks.push(createHash('sha256').update(`${seed}:${counter}`).digest());
	}
	return Buffer.concat(chunks).subarray(0, size);
}

const words = ['layer', 'image', 'store', 'digest', 'manifest', 'config', 'tag', 'history', 'tree', 'blob', 'index', 'shared', 'size', 'commit', 'build', 'strata'];

/** Readable filler text made of words picked by the seed's hash stream. */
export function generatedText(size: number, seed: string): Buffer {
	const random = generatedBytes(Math.ceil(size / 4) + 64, seed);
	let text = '';
	for (let index = 0; text.length < size; index++) {
		text += words[random[index % random.length]! % words.length];
		text += index % 12 === 11 ? '\n' : ' ';
	}
	return Buffer.from(text.slice(0, size - 1) + '\n');
}

async function hostFile(candidates: string[]): Promise<Buffer | undefined> {
	for (const candidate of candidates) {
		try {
			return await readFile(candidate);
		} catch {
			// Try the next one; a host without busybox gives a base without it.
		}
	}
	return undefined;
}

type PackedEntry = {header: LayerTarHeader; content?: Buffer};

async function packedEntry(entry: DemoEntry): Promise<PackedEntry | undefined> {
	const owner = {uid: entry.uid ?? 0, gid: entry.gid ?? 0, mtime: demoMtime};
	if (entry.delete) return {header: {path: whiteoutMarkerPath(entry.path), type: 'file', mode: 0o644, size: 0, uid: 0, gid: 0, mtime: demoMtime}};
	if (entry.dir) return {header: {path: entry.path, type: 'dir', mode: entry.mode ?? 0o755, ...owner}};
	if (entry.symlink !== undefined) return {header: {path: entry.path, type: 'symlink', mode: 0o777, linkname: entry.symlink, ...owner}};
	let content: Buffer | undefined;
	if (entry.text !== undefined) content = Buffer.from(entry.text);
	else if (entry.generate !== undefined) content = generatedBytes(entry.generate, entry.seed ?? entry.path);
	else if (entry.generateText !== undefined) content = generatedText(entry.generateText, entry.seed ?? entry.path);
	else if (entry.hostFile) content = await hostFile(entry.hostFile);
	if (!content) return undefined;
	return {header: {path: entry.path, type: 'file', mode: entry.mode ?? 0o644, size: content.length, ...owner}, content};
}

/** Compares paths by their bytes, as Docker's archiver orders entries. */
function byPath(a: PackedEntry, b: PackedEntry): number {
	return Buffer.compare(Buffer.from(a.header.path), Buffer.from(b.header.path));
}

/** The parent directories every entry needs (Docker's layers list them before their children). */
function parentDirectories(entries: PackedEntry[]): PackedEntry[] {
	const present = new Set(entries.filter(entry => entry.header.type === 'dir').map(entry => entry.header.path));
	const missing = new Set<string>();
	for (const {header} of entries) {
		const parts = header.path.split('/');
		for (let length = 1; length < parts.length; length++) {
			const dir = parts.slice(0, length).join('/');
			if (!present.has(dir)) missing.add(dir);
		}
	}
	return [...missing].map(path => ({header: {path, type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: demoMtime}}));
}

/** A layer tar of `entries`, deterministic: sorted, owned by root unless the recipe says otherwise, one mtime. */
export async function demoLayerTar(entries: DemoEntry[]): Promise<Readable> {
	const packed = (await Promise.all(entries.map(packedEntry))).filter((entry): entry is PackedEntry => entry !== undefined);
	const all = [...parentDirectories(packed), ...packed].sort(byPath);
	const packer = createLayerTarPacker();
	void (async () => {
		try {
			for (const entry of all) await packer.add(entry.header, entry.content);
			await packer.finish();
		} catch (error) {
			packer.destroy(error instanceof Error ? error : new Error(String(error)));
		}
	})();
	return packer.readable;
}
