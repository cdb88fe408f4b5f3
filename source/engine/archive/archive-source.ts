import {createReadStream} from 'node:fs';
import {open, stat} from 'node:fs/promises';
import {join} from 'node:path';
import type {Readable} from 'node:stream';
import {StrataError} from '../errors.js';
import {normalizeMemberName, type TarArchiveReader} from './tar-archive-reader.js';

// JSON members (manifest.json, index.json, configs, manifests) are read whole; a bigger one is not JSON we want.
const maxJsonSize = 64 * 1024 * 1024;

/**
 * What an image archive is read through: a tar file, or a directory holding an OCI layout or an
 * extracted `docker save`. Names are paths inside it (`manifest.json`, `blobs/sha256/<hex>`).
 */
export interface ArchiveSource {
	/** Names the input in errors: the path as the user gave it, or `stdin`. */
	readonly label: string;
	/** True for a tar that ends without its end marker: a missing member then likely means a cut-short file. */
	readonly incomplete: boolean;
	has(name: string): Promise<boolean>;
	size(name: string): Promise<number>;
	openStream(name: string): Readable;
	/** Read whole, for JSON members; throws a one-line error when missing or oversized. */
	readSmall(name: string, referencedBy: string): Promise<Buffer>;
	/** Releases what opening took (a spooled temp file). */
	close(): Promise<void>;
}

/** The error for a member that something in the archive names but that is not there. */
export function missingMember(source: ArchiveSource, name: string, referencedBy: string): StrataError {
	const hint = source.incomplete ? ' (the archive has no end marker: was it cut short?)' : '';
	return new StrataError(`${source.label}: ${name} (referenced by ${referencedBy}) is missing from the archive${hint}`);
}

export function tarSource(reader: TarArchiveReader, cleanup: () => Promise<void> = async () => {}): ArchiveSource {
	const source: ArchiveSource = {
		label: reader.label,
		incomplete: !reader.complete,
		has: async name => reader.has(name),
		size: async name => reader.member(name)?.size ?? 0,
		openStream: name => reader.openMember(name),
		async readSmall(name, referencedBy) {
			const member = reader.member(name);
			if (!member) throw missingMember(source, name, referencedBy);
			if (member.size > maxJsonSize) throw new StrataError(`${reader.label}: ${name} is too large (${member.size} bytes)`);
			const chunks: Buffer[] = [];
			for await (const chunk of reader.openMember(name)) chunks.push(chunk as Buffer);
			return Buffer.concat(chunks);
		},
		close: cleanup,
	};
	return source;
}

export function directorySource(dir: string, label: string): ArchiveSource {
	const resolvePath = (name: string) => {
		const clean = normalizeMemberName(name);
		// Names come from the archive's own JSON: never let one reach outside the directory.
		if (clean === '' || clean === '..' || clean.startsWith('../')) throw new StrataError(`${label}: invalid path ${JSON.stringify(name)}`);
		return join(dir, clean);
	};
	const source: ArchiveSource = {
		label,
		incomplete: false,
		async has(name) {
			return (await stat(resolvePath(name)).catch(() => undefined))?.isFile() ?? false;
		},
		async size(name) {
			return (await stat(resolvePath(name))).size;
		},
		openStream: name => createReadStream(resolvePath(name), {highWaterMark: 1024 * 1024}),
		async readSmall(name, referencedBy) {
			const path = resolvePath(name);
			const info = await stat(path).catch(() => undefined);
			if (!info?.isFile()) throw missingMember(source, name, referencedBy);
			if (info.size > maxJsonSize) throw new StrataError(`${label}: ${name} is too large (${info.size} bytes)`);
			const handle = await open(path, 'r');
			try {
				return await handle.readFile();
			} finally {
				await handle.close();
			}
		},
		close: async () => {},
	};
	return source;
}
