// Reads a built image the same way from both sides (Docker's `docker save` archive, strata's store) and
// compares them: the merged filesystem per path, each layer's entries, the config's runtime settings and
// the history. The layer tars are read with tar-stream, not strata's own parser, so a bug there can't hide
// itself. A mismatch is a list of readable lines (`/app/x: mode docker 0644, strata 0755`).
//
// Fields ignored, and why:
// - mtime of directories: both builders touch parent dirs as they write into them, at their own clock;
// - mtime of files a RUN step wrote (they differ between any two builds, even two docker builds);
//   files from COPY/ADD keep their source's mtime on both sides, so those are compared;
// - created timestamps, image IDs, the parent chain, container_config, docker_version: time- and
//   tool-specific, never equal between two builds.
import {createHash} from 'node:crypto';
import {execFileSync} from 'node:child_process';
import {createReadStream, readFileSync} from 'node:fs';
import {join} from 'node:path';
import tarStream from 'tar-stream';
import type {ImageConfig} from '../../source/engine/image/types.js';
import {resolveImage} from '../../source/engine/image/resolve.js';
import type {Store} from '../../source/engine/store/store.js';
import type {DockerDaemon} from './docker.js';
import {tempDir} from './tmp.js';

export type EntryType = 'file' | 'dir' | 'symlink' | 'link' | 'other';

/** One tar entry as read: the path is clean (no `./`, no leading or trailing `/`). */
export interface TarEntry {
	path: string;
	type: EntryType;
	mode: number;
	uid: number;
	gid: number;
	size: number;
	mtime: number;
	/** sha256 of a regular file's content. */
	sha256?: string;
	/** Symlink target, or the hardlink's first path. */
	linkname?: string;
}

export interface ImageSnapshot {
	config: ImageConfig;
	/** Each layer's entries, in tar order. */
	layers: TarEntry[][];
}

/** A merged-tree entry remembers which layer it came from (for the mtime rule above). */
type MergedEntry = TarEntry & {layer: number};

function cleanPath(name: string): string {
	return name.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '').replace(/^\.$/, '');
}

function entryType(type: string | null | undefined): EntryType {
	if (type === 'file' || type === 'contiguous-file' || type == null) return 'file';
	if (type === 'directory') return 'dir';
	if (type === 'symlink') return 'symlink';
	if (type === 'link') return 'link';
	return 'other';
}

/** Every entry of a layer tar, with content hashes. */
export async function readLayerTar(path: string): Promise<TarEntry[]> {
	const entries: TarEntry[] = [];
	const extract = tarStream.extract();
	const done = new Promise<void>((resolve, reject) => {
		extract.on('entry', (header, stream, next) => {
			const hash = createHash('sha256');
			stream.on('data', (chunk: Buffer) => hash.update(chunk));
			stream.on('end', () => {
				const type = entryType(header.type);
				entries.push({
					path: cleanPath(header.name),
					type,
					mode: (header.mode ?? 0) & 0o7777,
					uid: header.uid ?? 0,
					gid: header.gid ?? 0,
					size: header.size ?? 0,
					mtime: Math.floor((header.mtime?.getTime() ?? 0) / 1000),
					...(type === 'file' ? {sha256: hash.digest('hex')} : {}),
					...(header.linkname ? {linkname: type === 'link' ? cleanPath(header.linkname) : header.linkname} : {}),
				});
				next();
			});
			stream.on('error', reject);
		});
		extract.on('finish', resolve);
		extract.on('error', reject);
	});
	createReadStream(path).pipe(extract);
	await done;
	return entries;
}

/** `docker save`s `reference` (the legacy archive of a 20.10 daemon) and reads its config and layers. */
export async function dockerImage(dockerd: Pick<DockerDaemon, 'docker'>, reference: string): Promise<ImageSnapshot> {
	const dir = tempDir('strata-diff-save');
	const archive = join(dir, 'image.tar');
	await dockerd.docker(['save', '-o', archive, reference], {check: true});
	execFileSync('tar', ['-xf', archive, '-C', dir]);
	const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Array<{Config: string; Layers: string[]}>;
	const config = JSON.parse(readFileSync(join(dir, manifest[0]!.Config), 'utf8')) as ImageConfig;
	const layers: TarEntry[][] = [];
	for (const layer of manifest[0]!.Layers) layers.push(await readLayerTar(join(dir, layer)));
	return {config, layers};
}

/** The image `reference` (a tag or an ID) of strata's store: its config and layer blobs. */
export async function strataImage(store: Store, reference: string): Promise<ImageSnapshot> {
	const record = resolveImage(await store.catalog(), reference);
	const config = await store.config(record);
	const layers: TarEntry[][] = [];
	for (const diffID of config.rootfs.diff_ids) layers.push(await readLayerTar(store.blobs.path(diffID)));
	return {config, layers};
}

function removeTree(tree: Map<string, MergedEntry>, path: string): void {
	tree.delete(path);
	const prefix = path === '' ? '' : `${path}/`;
	for (const key of [...tree.keys()]) if (key.startsWith(prefix) && key !== '') tree.delete(key);
}

function baseName(path: string): string {
	return path.slice(path.lastIndexOf('/') + 1);
}

function parentOf(path: string): string {
	const slash = path.lastIndexOf('/');
	return slash < 0 ? '' : path.slice(0, slash);
}

/** The filesystem all layers make, whiteouts applied (Docker's rules: `.wh.NAME` removes, `.wh..wh..opq` empties a lower dir). */
export function mergedTree(layers: TarEntry[][]): Map<string, MergedEntry> {
	const tree = new Map<string, MergedEntry>();
	layers.forEach((entries, layer) => {
		// Removals first: they apply to the lower layers only, whatever their place in the tar.
		for (const entry of entries) {
			const name = baseName(entry.path);
			if (name === '.wh..wh..opq') {
				const dir = parentOf(entry.path);
				const prefix = dir === '' ? '' : `${dir}/`;
				for (const key of [...tree.keys()]) if (key !== '' && key.startsWith(prefix) && key !== dir) tree.delete(key);
			} else if (name.startsWith('.wh.')) {
				const dir = parentOf(entry.path);
				removeTree(tree, (dir === '' ? '' : `${dir}/`) + name.slice('.wh.'.length));
			}
		}
		for (const entry of entries) {
			if (baseName(entry.path).startsWith('.wh.')) continue;
			const existing = tree.get(entry.path);
			if (existing?.type === 'dir' && entry.type !== 'dir') removeTree(tree, entry.path);
			tree.set(entry.path, {...entry, layer});
		}
	});
	for (const entry of tree.values()) {
		if (entry.type !== 'link' || entry.linkname === undefined) continue;
		const target = tree.get(entry.linkname);
		if (target) Object.assign(entry, {sha256: target.sha256, size: target.size});
	}
	return tree;
}

function octal(mode: number): string {
	return `0${mode.toString(8).padStart(3, '0')}`;
}

function describe(entry: TarEntry): string {
	const what = entry.type === 'symlink' || entry.type === 'link' ? `${entry.type} -> ${entry.linkname}` : entry.type;
	return `${what} ${octal(entry.mode)} ${entry.uid}:${entry.gid} ${entry.size}b`;
}

/** Layers written by COPY/ADD steps: their files' mtimes come from the source, so they must match. */
function copyLayers(config: ImageConfig): Set<number> {
	const layers = new Set<number>();
	let layer = 0;
	for (const entry of config.history ?? []) {
		if (entry.empty_layer) continue;
		if (/#\(nop\) (COPY|ADD) /.test(entry.created_by ?? '')) layers.add(layer);
		layer += 1;
	}
	return layers;
}

/** Differences of the merged filesystems, one line each, sorted by path. */
export function compareFilesystems(docker: ImageSnapshot, strata: ImageSnapshot): string[] {
	const ours = mergedTree(strata.layers);
	const theirs = mergedTree(docker.layers);
	const dockerCopies = copyLayers(docker.config);
	const strataCopies = copyLayers(strata.config);
	const lines: string[] = [];
	for (const path of [...new Set([...theirs.keys(), ...ours.keys()])].sort()) {
		const a = theirs.get(path);
		const b = ours.get(path);
		const shown = `/${path}`;
		if (!a || !b) {
			lines.push(`${shown}: only in ${a ? 'docker' : 'strata'} (${describe((a ?? b)!)})`);
			continue;
		}
		const fields: Array<[string, unknown, unknown]> = [
			['type', a.type, b.type],
			['mode', octal(a.mode), octal(b.mode)],
			['owner', `${a.uid}:${a.gid}`, `${b.uid}:${b.gid}`],
			['size', a.size, b.size],
			['content', a.sha256?.slice(0, 12), b.sha256?.slice(0, 12)],
			['link', a.linkname, b.linkname],
		];
		if (a.type !== 'dir' && dockerCopies.has(a.layer) && strataCopies.has(b.layer)) fields.push(['mtime', a.mtime, b.mtime]);
		for (const [field, x, y] of fields) if (x !== y) lines.push(`${shown}: ${field} docker ${String(x)}, strata ${String(y)}`);
	}
	return lines;
}

/** Differences of the layers: their number, and each one's entries (paths and types, whiteouts by name). */
export function compareLayers(docker: ImageSnapshot, strata: ImageSnapshot): string[] {
	const lines: string[] = [];
	if (docker.layers.length !== strata.layers.length) lines.push(`layers: docker ${docker.layers.length}, strata ${strata.layers.length}`);
	const count = Math.min(docker.layers.length, strata.layers.length);
	for (let i = 0; i < count; i++) {
		const listing = (entries: TarEntry[]) => new Set(entries.map(entry => `${entry.type} /${entry.path}`));
		const a = listing(docker.layers[i]!);
		const b = listing(strata.layers[i]!);
		for (const item of [...a].sort()) if (!b.has(item)) lines.push(`layer ${i}: only in docker: ${item}`);
		for (const item of [...b].sort()) if (!a.has(item)) lines.push(`layer ${i}: only in strata: ${item}`);
	}
	return lines;
}

/** The runtime settings compared (the image's `config`), plus the config's author. */
export const SETTINGS = ['Env', 'Cmd', 'Entrypoint', 'WorkingDir', 'User', 'ExposedPorts', 'Labels', 'Volumes', 'StopSignal', 'Healthcheck', 'Shell', 'OnBuild'] as const;

/** null, undefined and '' all mean "not set" in Docker's config JSON (it writes `"Entrypoint": null`). */
function setting(value: unknown): string {
	return value === null || value === undefined || value === '' ? '(unset)' : JSON.stringify(value);
}

/** Differences of the configs: settings, author, and history (created_by, empty_layer). */
export function compareConfigs(docker: ImageSnapshot, strata: ImageSnapshot): string[] {
	const lines: string[] = [];
	for (const name of SETTINGS) {
		const a = setting(docker.config.config?.[name]);
		const b = setting(strata.config.config?.[name]);
		if (a !== b) lines.push(`config.${name}: docker ${a}, strata ${b}`);
	}
	if (setting(docker.config.author) !== setting(strata.config.author)) lines.push(`author: docker ${setting(docker.config.author)}, strata ${setting(strata.config.author)}`);
	const history = (snapshot: ImageSnapshot) => (snapshot.config.history ?? []).map(entry => `${entry.created_by ?? ''}${entry.empty_layer ? '  [empty layer]' : ''}`);
	const a = history(docker);
	const b = history(strata);
	for (let i = 0; i < Math.max(a.length, b.length); i++) {
		if (a[i] !== b[i]) lines.push(`history[${i}]:\n    docker ${a[i] ?? '(none)'}\n    strata ${b[i] ?? '(none)'}`);
	}
	return lines;
}

/** Every difference between the two images (empty when they match). */
export function compareImages(docker: ImageSnapshot, strata: ImageSnapshot): string[] {
	return [...compareConfigs(docker, strata), ...compareLayers(docker, strata), ...compareFilesystems(docker, strata)];
}

/** A readable message for a mismatch: the first `limit` differences and how many more there are. */
export function describeDifferences(label: string, differences: string[], limit = 40): string {
	const shown = differences.slice(0, limit).map(line => `  ${line}`);
	const more = differences.length > limit ? [`  ... and ${differences.length - limit} more`] : [];
	return [`${label}: docker build and strata build differ (${differences.length}):`, ...shown, ...more].join('\n');
}
