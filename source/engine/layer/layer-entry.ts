import {layerError, quote} from './layer-error.js';
import {
	aufsMetaPrefix,
	baseName,
	cleanLayerPath,
	joinPath,
	opaqueMarker,
	parentPath,
	symlinkEscapes,
	whiteoutPrefix,
} from './layer-path.js';
import {typeflags, type TarHeader} from './tar-header.js';
import type {LayerEntry, LayerEntryType} from './types.js';

/** What one tar header means in a layer. */
export type LayerItem =
	| {kind: 'entry'; entry: LayerEntry}
	/** The layer root itself (`./`): Docker applies its attributes to the target directory. */
	| {kind: 'root'}
	/** Top-level AUFS bookkeeping (`.wh..wh.plnk`...), which Docker skips. */
	| {kind: 'ignored'};

const entryTypes: Record<string, LayerEntryType> = {
	[typeflags.file]: 'file',
	[typeflags.contiguousFile]: 'file',
	[typeflags.hardlink]: 'hardlink',
	[typeflags.symlink]: 'symlink',
	[typeflags.char]: 'char',
	[typeflags.block]: 'block',
	[typeflags.dir]: 'dir',
	[typeflags.fifo]: 'fifo',
};

const capabilityKeys = ['SCHILY.xattr.security.capability', 'LIBARCHIVE.xattr.security.capability'];

/**
 * Interprets a header as a layer entry and enforces what Docker enforces when it applies a layer:
 * paths and hardlink targets stay inside the root, relative symlink targets do not climb out of it,
 * and only the entry types Docker can create. Violations throw a StrataError naming `label`.
 */
export function toLayerItem(header: TarHeader, label: string): LayerItem {
	const path = cleanLayerPath(header.name);
	if (path === undefined) throw layerError(label, `path escapes the layer root: ${quote(header.name)}`);
	let type = entryTypes[header.typeflag];
	if (type === undefined) {
		throw layerError(label, `unsupported tar entry type ${quote(header.typeflag)}: ${quote(header.name)}`);
	}
	if (header.pax && hasSparseRecords(header.pax)) {
		throw layerError(label, `sparse file ${quote(header.name)} is not supported`);
	}
	if (path === '') {
		if (type !== 'dir') throw layerError(label, `the layer root entry ${quote(header.name)} is not a directory`);
		return {kind: 'root'};
	}
	const base = baseName(path);
	let entryPath = path;
	let linkname: string | undefined;
	if (base.startsWith(whiteoutPrefix)) {
		if (base === opaqueMarker) {
			type = 'opaque';
			entryPath = parentPath(path);
		} else if (path.startsWith(aufsMetaPrefix)) {
			return {kind: 'ignored'};
		} else {
			const removed = base.slice(whiteoutPrefix.length);
			if (removed === '' || removed === '.' || removed === '..') {
				throw layerError(label, `invalid whiteout entry ${quote(header.name)}`);
			}
			type = 'whiteout';
			entryPath = joinPath(parentPath(path), removed);
		}
	} else if (type === 'hardlink') {
		linkname = cleanLayerPath(header.linkname);
		if (linkname === undefined) {
			throw layerError(label, `hardlink ${quote(path)} points outside the layer root: ${quote(header.linkname)}`);
		}
		if (linkname === '') throw layerError(label, `hardlink ${quote(path)} has no target`);
	} else if (type === 'symlink') {
		if (header.linkname === '') throw layerError(label, `symlink ${quote(path)} has no target`);
		if (symlinkEscapes(path, header.linkname)) {
			throw layerError(label, `symlink ${quote(path)} points outside the layer root: ${quote(header.linkname)}`);
		}
		linkname = header.linkname;
	}
	const entry: LayerEntry = {
		path: entryPath,
		type,
		size: type === 'file' ? header.size : 0,
		// Permission, setuid/setgid and sticky bits; some old writers also stored the file type here.
		mode: header.mode & 0o7777,
		uid: header.uid,
		gid: header.gid,
		mtime: header.mtime,
	};
	if (linkname !== undefined) entry.linkname = linkname;
	if (header.pax && capabilityKeys.some(key => header.pax!.has(key))) entry.capability = true;
	return {kind: 'entry', entry};
}

function hasSparseRecords(pax: Map<string, Buffer>): boolean {
	for (const key of pax.keys()) if (key.startsWith('GNU.sparse.')) return true;
	return false;
}
