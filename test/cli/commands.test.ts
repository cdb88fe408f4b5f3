// The CLI verbs end to end: every test runs the built CLI (dist/cli.js) on a temp store and checks what a
// Docker user would see — Docker's table layout, IDs, Untagged/Deleted lines, exit codes — plus what ends up
// in the store. Expected texts are computed here from the inputs (the busybox fixture, hand-built archives),
// never read back from strata; a last block checks the same commands against this machine's Docker.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {gzipSync} from 'node:zlib';
import tar from 'tar-stream';
import {Store} from '../../source/engine/store/store.js';
import type {Digest} from '../../source/engine/digest.js';
import type {ImageConfig} from '../../source/engine/image/types.js';
import {busyboxRootfs, busyboxTar} from '../support/busybox.js';
import {dockerSkip, startDocker, type DockerDaemon} from '../support/docker.js';
import {runStrata, tempDir, type RunStrataResult} from '../support/tmp.js';

// --- What the expectations are computed with (independent of strata's own formatting code) ---

const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const short = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12);

/** go-units HumanSizeWithPrecision (1000-based, %g with `precision` digits), for sizes that print without an exponent. */
function goSize(bytes: number, precision = 3): string {
	const units = ['B', 'kB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}
	return `${Number(value.toPrecision(precision))}${units[unit]}`;
}

/** go-units HumanDuration + " ago", for creation times more than two years back. */
function yearsAgo(iso: string): string {
	const hours = Math.trunc((Date.now() - Date.parse(iso)) / 3_600_000);
	assert.ok(hours >= 24 * 365 * 2, 'the fixture date is years back');
	return `${Math.trunc(hours / 24 / 365)} years ago`;
}

/** Creation times of images made during the test: a few seconds old at most. */
const recently = /^(Less than a second|1 second|\d+ seconds|About a minute) ago$/;

/**
 * Docker's table layout (tabwriter minwidth 10, padding 3) for rows of equal length: every column but
 * the last is padded to max(10, widest cell + 3); the last cell is written as is.
 */
function dockerTable(rows: string[][]): string {
	const widths = rows[0]!.map((_, column) => Math.max(10, ...rows.map(row => [...row[column]!].length + 3)));
	return rows.map(row => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('')).join('\n') + '\n';
}

/** Cuts a table into cells at the header's column starts (each header cell starts after 2+ spaces). */
function tableCells(text: string): string[][] {
	const lines = text.split('\n');
	assert.equal(lines.pop(), '', 'the table ends with a newline');
	const header = lines[0]!;
	const starts = [0];
	for (const match of header.matchAll(/ {2,}(?=\S)/g)) starts.push(match.index! + match[0].length);
	return lines.map(line => starts.map((start, i) => line.slice(start, starts[i + 1]).trimEnd()));
}

/**
 * Checks a table against expected rows, where `undefined` cells (time-dependent CREATED values) are
 * taken from the output after matching `recently`. The whole text must then be Docker's layout exactly.
 */
function assertTable(actual: string, expected: Array<Array<string | undefined>>): void {
	const cells = tableCells(actual);
	assert.equal(cells.length, expected.length, `rows of:\n${actual}`);
	const rows = expected.map((row, r) =>
		row.map((cell, c) => {
			if (cell !== undefined) return cell;
			assert.match(cells[r]![c]!, recently, `row ${r} column ${c} of:\n${actual}`);
			return cells[r]![c]!;
		}),
	);
	assert.equal(actual, dockerTable(rows));
}

// --- Inputs ---

type Entry = {name: string; type?: 'file' | 'directory' | 'symlink'; content?: Buffer | string; linkname?: string; mode?: number};

/** A tar built with tar-stream (not strata's writer), entries as given. */
async function makeTar(entries: Entry[]): Promise<Buffer> {
	const pack = tar.pack();
	const chunks: Buffer[] = [];
	pack.on('data', (chunk: unknown) => {
		chunks.push(chunk as Buffer);
	});
	const ended = new Promise<void>(resolve => pack.on('end', () => resolve()));
	for (const entry of entries) {
		const type = entry.type ?? 'file';
		const header = {name: entry.name, type, mode: entry.mode ?? (type === 'file' ? 0o644 : 0o755), mtime: new Date('2015-01-01T00:00:00Z'), linkname: entry.linkname};
		if (type === 'file') pack.entry(header, Buffer.from(entry.content ?? ''));
		else pack.entry(header);
	}
	pack.finalize();
	await ended;
	return Buffer.concat(chunks);
}

type ArchiveImage = {repoTags: string[]; layers: Buffer[]; history: ImageConfig['history']; created: string; cmd?: string[]};

/** A `docker save` archive in Docker 20.10's layout (manifest.json, <id>.json, <dir>/layer.tar). Returns it and each image's ID. */
async function dockerArchive(images: ArchiveImage[]): Promise<{archive: Buffer; ids: string[]}> {
	const entries: Entry[] = [];
	const manifest: Array<{Config: string; RepoTags: string[]; Layers: string[]}> = [];
	const ids: string[] = [];
	for (const image of images) {
		const diffIDs = image.layers.map(layer => sha256(layer));
		const config = {
			architecture: 'amd64',
			config: {Cmd: image.cmd ?? ['sh']},
			created: image.created,
			history: image.history,
			os: 'linux',
			rootfs: {type: 'layers', diff_ids: diffIDs},
		};
		const configBytes = Buffer.from(JSON.stringify(config));
		const id = sha256(configBytes);
		ids.push(id);
		entries.push({name: `${short(id)}${id.slice(19)}.json`, content: configBytes});
		const layerNames: string[] = [];
		for (const [i, layer] of image.layers.entries()) {
			const dir = diffIDs[i]!.slice(7);
			if (!entries.some(entry => entry.name === `${dir}/`)) {
				entries.push({name: `${dir}/`, type: 'directory'});
				entries.push({name: `${dir}/layer.tar`, content: layer});
			}
			layerNames.push(`${dir}/layer.tar`);
		}
		manifest.push({Config: `${id.slice(7)}.json`, RepoTags: image.repoTags, Layers: layerNames});
	}
	entries.push({name: 'manifest.json', content: JSON.stringify(manifest)});
	return {archive: await makeTar(entries), ids};
}

const OLD = '2015-01-01T00:00:00Z';
const LONG_RUN = '/bin/sh -c echo rewritten > /data/big && touch /data/new # a long step';
const bigA = Buffer.alloc(100_000, 'a');
const bigB = Buffer.alloc(100_000, 'b');
const newFile = Buffer.alloc(1_000, 'n');

/** Two layers that both write data/big (dive counts that as waste), with a metadata step between. */
async function twoLayerImage(repoTags = ['app:1']): Promise<{archive: Buffer; id: string; diffIDs: string[]; layers: Buffer[]; history: NonNullable<ImageConfig['history']>}> {
	const layers = [
		await makeTar([{name: 'data/', type: 'directory'}, {name: 'data/big', content: bigA}]),
		await makeTar([{name: 'data/', type: 'directory'}, {name: 'data/big', content: bigB}, {name: 'data/new', content: newFile}]),
	];
	const history = [
		{created: OLD, created_by: '/bin/sh -c #(nop) ADD file:4f0b5e2e in / '},
		{created: OLD, created_by: '/bin/sh -c #(nop)  CMD ["sh"]', empty_layer: true},
		{created: OLD, created_by: LONG_RUN, comment: 'second layer'},
	];
	const {archive, ids} = await dockerArchive([{repoTags, layers, history, created: OLD}]);
	return {archive, id: ids[0]!, diffIDs: layers.map(layer => sha256(layer)), layers, history};
}

// --- Running the CLI ---

async function strata(root: string, args: string[], options: {input?: string | Buffer; env?: NodeJS.ProcessEnv} = {}): Promise<RunStrataResult> {
	return runStrata(args, {root, ...options, env: {TZ: 'UTC', ...options.env}});
}

/** Runs a command that must succeed (and say nothing on stderr); returns its stdout. */
async function ok(root: string, args: string[], options: {input?: string | Buffer; env?: NodeJS.ProcessEnv} = {}): Promise<string> {
	const result = await strata(root, args, options);
	assert.equal(result.code, 0, `strata ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
	assert.equal(result.stderr, '', `strata ${args.join(' ')} wrote to stderr`);
	return result.stdout;
}

/** Runs a command that must fail with exactly one line on stderr; returns that line. */
async function fails(root: string, args: string[], options: {input?: string | Buffer} = {}): Promise<{line: string; stdout: string; code: number}> {
	const result = await strata(root, args, options);
	assert.notEqual(result.code, 0, `strata ${args.join(' ')} should fail; stdout: ${result.stdout}`);
	assert.match(result.stderr, /^[^\n]+\n$/, `strata ${args.join(' ')}: one line on stderr, got ${JSON.stringify(result.stderr)}`);
	return {line: result.stderr.trimEnd(), stdout: result.stdout, code: result.code};
}

/** The digests of the blobs in a store. */
function blobNames(root: string): string[] {
	return readdirSync(join(root, 'blobs', 'sha256')).sort();
}

/** What a store holds, for before/after comparisons. */
function storeState(root: string): string {
	const read = (path: string) => {
		try {
			return readFileSync(path, 'utf8');
		} catch {
			return '<none>';
		}
	};
	const list = (path: string) => {
		try {
			return readdirSync(path).sort().join(',');
		} catch {
			return '<none>';
		}
	};
	return [read(join(root, 'index.json')), list(join(root, 'blobs', 'sha256')), list(join(root, 'strata', 'layers'))].join('\n');
}

function configOf(root: string, id: string): ImageConfig {
	return JSON.parse(readFileSync(join(root, 'blobs', 'sha256', id.slice(7)), 'utf8')) as ImageConfig;
}

/** Sum of the regular files' sizes under dir (hard links once): the layer size Docker's archive code counts. */
/** Docker's size of a tree (moby's directory.Size): lstat sizes of all but directories, each inode once. */
function dockerTreeBytes(dir: string, seen = new Set<number>()): number {
	let total = 0;
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		const info = lstatSync(path);
		if (info.isDirectory()) total += dockerTreeBytes(path, seen);
		else if (!seen.has(info.ino)) {
			seen.add(info.ino);
			total += info.size;
		}
	}
	return total;
}

const imageID = /^sha256:[a-f\d]{64}\n$/;

describe('strata CLI', () => {
	let tarPath: string;
	let rootfs: string;
	let tarDiffID: string;
	let fixtureBytes: number;

	before(async () => {
		tarPath = await busyboxTar();
		rootfs = await busyboxRootfs();
		tarDiffID = sha256(readFileSync(tarPath));
		fixtureBytes = dockerTreeBytes(rootfs);
	});

	describe('import', () => {
		test('a tar with --change and -m becomes a one-layer image whose ID is the digest of its config', async () => {
			const root = tempDir('strata-cli');
			const stdout = await ok(root, ['import', '--change', 'CMD ["sh"]', '-m', 'hello there', tarPath, 'busybox:latest']);
			assert.match(stdout, imageID);
			const id = stdout.trim();
			const configBytes = readFileSync(join(root, 'blobs', 'sha256', id.slice(7)));
			assert.equal(sha256(configBytes), id);
			const config = JSON.parse(configBytes.toString('utf8')) as ImageConfig;
			assert.deepEqual(config.config?.Cmd, ['sh']);
			assert.equal(config.comment, 'hello there');
			assert.equal(config.history?.length, 1);
			assert.equal(config.history?.[0]?.comment, 'hello there');
			assert.equal(config.architecture, process.arch === 'x64' ? 'amd64' : config.architecture);
			assert.equal(config.os, 'linux');
			// The tar is stored as it came: its digest is the layer's diff ID, and the blob is the very bytes.
			assert.deepEqual(config.rootfs, {type: 'layers', diff_ids: [tarDiffID]});
			assert.ok(readFileSync(join(root, 'blobs', 'sha256', tarDiffID.slice(7))).equals(readFileSync(tarPath)));
			// index.json tags it with the full normalized name, pointing at a manifest that names config and layer.
			const index = JSON.parse(readFileSync(join(root, 'index.json'), 'utf8')) as {manifests: Array<{digest: string; annotations?: Record<string, string>}>};
			assert.equal(index.manifests.length, 1);
			assert.equal(index.manifests[0]!.annotations?.['org.opencontainers.image.ref.name'], 'docker.io/library/busybox:latest');
			const manifest = JSON.parse(readFileSync(join(root, 'blobs', 'sha256', index.manifests[0]!.digest.slice(7)), 'utf8')) as {config: {digest: string}; layers: Array<{digest: string; size: number}>};
			assert.equal(manifest.config.digest, id);
			assert.deepEqual(manifest.layers.map(layer => [layer.digest, layer.size]), [[tarDiffID, lstatSync(tarPath).size]]);
			assert.equal(await ok(root, ['images', '-q', '--no-trunc']), `${id}\n`);
		});

		test('tar.gz, a directory and - (stdin) import the same files', async () => {
			const root = tempDir('strata-cli');
			const work = tempDir('strata-cli-input');
			const gz = join(work, 'busybox.tar.gz');
			writeFileSync(gz, gzipSync(readFileSync(tarPath)));
			const fromGzip = (await ok(root, ['import', gz, 'gz:1'])).trim();
			const fromStdin = (await ok(root, ['import', '-', 'stdin:1'], {input: readFileSync(tarPath)})).trim();
			const fromDir = (await ok(root, ['import', rootfs, 'dir:1'])).trim();
			// The diff ID is over the decompressed stream, so gzip and stdin give the plain tar's layer.
			assert.deepEqual(configOf(root, fromGzip).rootfs.diff_ids, [tarDiffID]);
			assert.deepEqual(configOf(root, fromStdin).rootfs.diff_ids, [tarDiffID]);
			assert.equal(configOf(root, fromStdin).history?.[0]?.comment, 'Imported from -');
			// Docker's CLI uploads the file, so the daemon writes "Imported from -" whatever the source; so does strata.
			assert.equal(configOf(root, fromGzip).history?.[0]?.comment, 'Imported from -');
			assert.equal(configOf(root, fromDir).history?.[0]?.comment, 'Imported from -');
			// A directory is packed by strata: a different tar, with the same files in it (GNU tar reads it back).
			const [dirDiffID] = configOf(root, fromDir).rootfs.diff_ids;
			assert.ok(dirDiffID && dirDiffID !== tarDiffID);
			const unpacked = join(work, 'unpacked');
			mkdirSync(unpacked);
			execFileSync('tar', ['-x', '-C', unpacked, '-f', join(root, 'blobs', 'sha256', dirDiffID.slice(7))]);
			assert.ok(readFileSync(join(unpacked, 'bin', 'busybox')).equals(readFileSync(join(rootfs, 'bin', 'busybox'))));
			assert.equal(readFileSync(join(unpacked, 'etc', 'passwd'), 'utf8'), readFileSync(join(rootfs, 'etc', 'passwd'), 'utf8'));
			assert.equal(lstatSync(join(unpacked, 'bin', 'sh')).isSymbolicLink(), true);
			// Every one of them is the fixture's bytes in Docker's size column.
			const inspected = JSON.parse(await ok(root, ['inspect', 'gz:1', 'stdin:1', 'dir:1'])) as Array<{Id: string; Size: number}>;
			assert.deepEqual(inspected.map(image => [image.Id, image.Size]), [[fromGzip, fixtureBytes], [fromStdin, fixtureBytes], [fromDir, fixtureBytes]]);
		});

		test('a layer shared by two images is stored once', async () => {
			const root = tempDir('strata-cli');
			const a = (await ok(root, ['import', tarPath, 'a:1'])).trim();
			const b = (await ok(root, ['import', tarPath, 'b:1'])).trim();
			assert.notEqual(a, b, 'two imports are two images (their configs differ in created)');
			const layerBlobs = blobNames(root).filter(name => name === tarDiffID.slice(7));
			assert.equal(layerBlobs.length, 1);
			// The layer, two configs, two manifests; one layer index.
			assert.equal(blobNames(root).length, 5);
			assert.deepEqual(readdirSync(join(root, 'strata', 'layers')), [`${tarDiffID.slice(7)}.json`]);
			const df = await ok(root, ['system', 'df']);
			assert.equal(
				df,
				dockerTable([
					['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'],
					['Images', '2', '0', goSize(fixtureBytes, 4), `${goSize(fixtureBytes, 4)} (100%)`],
					['Containers', '0', '0', '0B', '0B'],
					['Local Volumes', '0', '0', '0B', '0B'],
					['Build Cache', '0', '0', '0B', '0B'],
				]),
			);
		});
	});

	describe('images', () => {
		let root: string;
		let busyboxID: string;
		let appID: string;

		before(async () => {
			root = tempDir('strata-cli');
			const app = await twoLayerImage(['app:1']);
			const input = join(tempDir('strata-cli-input'), 'app.tar');
			writeFileSync(input, app.archive);
			assert.equal(await ok(root, ['load', '-i', input]), 'Loaded image: app:1\n');
			appID = app.id;
			busyboxID = (await ok(root, ['import', tarPath, 'busybox:latest'])).trim();
			await ok(root, ['tag', 'busybox', 'registry.example.com:5000/team/busybox:v1']);
		});

		test("prints Docker's table, newest first, one row per tag", async () => {
			const appSize = bigA.length + bigB.length + newFile.length;
			assertTable(await ok(root, ['images']), [
				['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'],
				['busybox', 'latest', short(busyboxID), undefined, goSize(fixtureBytes)],
				['registry.example.com:5000/team/busybox', 'v1', short(busyboxID), undefined, goSize(fixtureBytes)],
				['app', '1', short(appID), yearsAgo(OLD), goSize(appSize)],
			]);
			assertTable(await ok(root, ['images', '--no-trunc']), [
				['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'],
				['busybox', 'latest', busyboxID, undefined, goSize(fixtureBytes)],
				['registry.example.com:5000/team/busybox', 'v1', busyboxID, undefined, goSize(fixtureBytes)],
				['app', '1', appID, yearsAgo(OLD), goSize(appSize)],
			]);
			assertTable(await ok(root, ['images', '--digests', 'app']), [
				['REPOSITORY', 'TAG', 'DIGEST', 'IMAGE ID', 'CREATED', 'SIZE'],
				['app', '1', '<none>', short(appID), yearsAgo(OLD), goSize(appSize)],
			]);
			assert.equal(await ok(root, ['images', '-q', 'app']), `${short(appID)}\n`);
			assert.equal(await ok(root, ['images', '-q', '--no-trunc', 'app:1']), `${appID}\n`);
			assert.equal(await ok(root, ['images', 'nothing-here']), 'REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n');
		});

		test('--format json prints one Docker-shaped object per row', async () => {
			const lines = (await ok(root, ['images', '--format', 'json', 'app'])).split('\n');
			assert.equal(lines.pop(), '');
			assert.equal(lines.length, 1);
			const row = JSON.parse(lines[0]!) as Record<string, string>;
			const appSize = bigA.length + bigB.length + newFile.length;
			assert.deepEqual(row, {
				Containers: 'N/A',
				CreatedAt: '2015-01-01 00:00:00 +0000 UTC',
				CreatedSince: yearsAgo(OLD),
				Digest: '<none>',
				ID: short(appID),
				Repository: 'app',
				SharedSize: 'N/A',
				Size: goSize(appSize),
				Tag: '1',
				UniqueSize: 'N/A',
				VirtualSize: goSize(appSize, 4),
			});
			// Docker escapes < and > in JSON output.
			assert.match(lines[0]!, /"Digest":"\\u003cnone\\u003e"/);
		});

		test('--filter reference= and dangling=, and -a for intermediate images', async () => {
			assertTable(await ok(root, ['images', '--filter', 'reference=bus*']), [
				['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'],
				['busybox', 'latest', short(busyboxID), undefined, goSize(fixtureBytes)],
			]);
			assert.equal(await ok(root, ['images', '-q', '--filter', 'reference=*/team/*:v1']), `${short(busyboxID)}\n`);
			assertTable(await ok(root, ['images', '--filter', 'dangling=false']), [
				['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'],
				['busybox', 'latest', short(busyboxID), undefined, goSize(fixtureBytes)],
				['registry.example.com:5000/team/busybox', 'v1', short(busyboxID), undefined, goSize(fixtureBytes)],
				['app', '1', short(appID), yearsAgo(OLD), goSize(bigA.length + bigB.length + newFile.length)],
			]);
			assert.equal(await ok(root, ['images', '-q', '--filter', 'dangling=true']), '');
			const bad = await fails(root, ['images', '--filter', 'dangling=maybe']);
			assert.match(bad.line, /dangling=maybe/);
			const unknown = await fails(root, ['images', '--filter', 'label=x']);
			assert.match(unknown.line, /invalid filter 'label'/);

			// An image built on app:1 (through the engine, as a build or commit would) makes app's base
			// image an untagged parent: hidden without -a, listed with it, never dangling.
			const other = tempDir('strata-cli');
			const app = await twoLayerImage(['app:1']);
			const input = join(tempDir('strata-cli-input'), 'app.tar');
			writeFileSync(input, app.archive);
			await ok(other, ['load', '-i', input]);
			const store = await Store.open(other);
			const {parentID, childID} = await store.write('test', async tx => {
				const layers = [await store.layers.index(app.diffIDs[0] as Digest), await store.layers.index(app.diffIDs[1] as Digest)];
				const base: ImageConfig = {architecture: 'amd64', os: 'linux', created: '2015-01-02T00:00:00Z', rootfs: {type: 'layers', diff_ids: app.diffIDs as Digest[]}, history: app.history};
				const parent = await tx.addImage(base, layers);
				const childHistory = [...app.history, {created: '2015-01-03T00:00:00Z', created_by: '/bin/sh -c #(nop)  ENV A=1', empty_layer: true}];
				const child = await tx.addImage({...base, created: '2015-01-03T00:00:00Z', config: {Env: ['A=1']}, history: childHistory}, layers, {parent: parent.id});
				tx.setTag('docker.io/library/child:1', child.id);
				return {parentID: parent.id, childID: child.id};
			});
			assert.equal(await ok(other, ['images', '-q']), `${short(childID)}\n${short(app.id)}\n`);
			assert.equal(await ok(other, ['images', '-q', '-a']), `${short(childID)}\n${short(parentID)}\n${short(app.id)}\n`);
			assertTable(await ok(other, ['images', '-a']), [
				['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'],
				['child', '1', short(childID), yearsAgo('2015-01-03T00:00:00Z'), goSize(201_000)],
				['<none>', '<none>', short(parentID), yearsAgo('2015-01-02T00:00:00Z'), goSize(201_000)],
				['app', '1', short(app.id), yearsAgo(OLD), goSize(201_000)],
			]);
			// Docker's dangling=true reads only images without children: a parent is not dangling, even with -a.
			assert.equal(await ok(other, ['images', '-q', '--filter', 'dangling=true']), '');
			assert.equal(await ok(other, ['images', '-q', '-a', '--filter', 'dangling=true']), '');
			assert.equal(await ok(other, ['images', '-q', '-a', '--filter', 'dangling=false']), `${short(childID)}\n${short(app.id)}\n`);
			// history walks the local parent chain: the child, its parent, then <missing>.
			const history = tableCells(await ok(other, ['history', 'child:1']));
			assert.deepEqual(history.map(row => row[0]), ['IMAGE', short(childID), short(parentID), '<missing>', '<missing>']);
			// prune keeps a parent that has a child.
			assert.equal(await ok(other, ['image', 'prune', '-f']), 'Total reclaimed space: 0B\n');
			assert.equal(await ok(other, ['images', '-q', '-a']), `${short(childID)}\n${short(parentID)}\n${short(app.id)}\n`);
		});

		test('dangling images after re-tagging, and image prune', async () => {
			const other = tempDir('strata-cli');
			const first = (await ok(other, ['import', tarPath, 'x:1'])).trim();
			await new Promise(resolve => setTimeout(resolve, 20));
			const second = (await ok(other, ['import', tarPath, 'x:1'])).trim();
			assertTable(await ok(other, ['images']), [
				['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'],
				['x', '1', short(second), undefined, goSize(fixtureBytes)],
				['<none>', '<none>', short(first), undefined, goSize(fixtureBytes)],
			]);
			assert.equal(await ok(other, ['images', '-q', '--filter', 'dangling=true']), `${short(first)}\n`);
			// Without -f, prune asks; anything but yes keeps everything.
			const declined = await ok(other, ['image', 'prune'], {input: 'n\n'});
			assert.equal(declined, 'WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] ');
			assert.equal(await ok(other, ['images', '-q']), `${short(second)}\n${short(first)}\n`);
			// The dangling image goes; its layer stays (x:1 uses it), so nothing is reclaimed.
			assert.equal(await ok(other, ['image', 'prune', '-f']), `Deleted Images:\ndeleted: ${first}\n\nTotal reclaimed space: 0B\n`);
			assert.equal(await ok(other, ['images', '-q']), `${short(second)}\n`);
			assert.equal(await ok(other, ['image', 'prune', '-f']), 'Total reclaimed space: 0B\n');
			// -a removes every image; the last one releases the layer.
			assert.equal(
				await ok(other, ['image', 'prune', '-a'], {input: 'y\n'}),
				'WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue? [y/N] ' +
					`Deleted Images:\nuntagged: x:1\ndeleted: ${second}\ndeleted: ${tarDiffID}\n\nTotal reclaimed space: ${goSize(fixtureBytes, 4)}\n`,
			);
			assert.equal(await ok(other, ['images', '-q', '-a']), '');
			assert.deepEqual(blobNames(other), []);
			assert.deepEqual(readdirSync(join(other, 'strata', 'layers')), []);
		});
	});

	test('inspect prints a JSON array: Id is the config digest, RepoTags the familiar names', async () => {
		const root = tempDir('strata-cli');
		const id = (await ok(root, ['import', '--change', 'CMD ["sh"]', '--change', 'ENV A=1', tarPath, 'busybox:latest'])).trim();
		await ok(root, ['tag', id, 'ghcr.io/owner/tool:2']);
		const stdout = await ok(root, ['inspect', 'busybox']);
		assert.match(stdout, /^\[\n {4}\{\n {8}"Id": /, 'indented as docker inspect');
		const [image] = JSON.parse(stdout) as Array<Record<string, unknown>>;
		assert.equal(image!.Id, id);
		assert.equal(sha256(readFileSync(join(root, 'blobs', 'sha256', id.slice(7)))), id);
		assert.deepEqual(image!.RepoTags, ['busybox:latest', 'ghcr.io/owner/tool:2']);
		assert.deepEqual(image!.RepoDigests, []);
		assert.equal(image!.Comment, 'Imported from -');
		assert.equal(image!.Size, fixtureBytes);
		assert.equal(image!.Os, 'linux');
		assert.deepEqual((image!.Config as Record<string, unknown>).Cmd, ['sh']);
		assert.deepEqual((image!.Config as Record<string, unknown>).Env, ['A=1']);
		assert.deepEqual(image!.RootFS, {Type: 'layers', Layers: [tarDiffID]});
		// Every name is looked up: by ID prefix and by full name too; a missing one is an error after the output.
		const both = JSON.parse(await ok(root, ['inspect', short(id), 'docker.io/library/busybox:latest'])) as Array<{Id: string}>;
		assert.deepEqual(both.map(item => item.Id), [id, id]);
		const missing = await fails(root, ['inspect', 'busybox', 'nope']);
		assert.equal(missing.line, 'Error: No such object: nope');
		assert.equal((JSON.parse(missing.stdout) as unknown[]).length, 1);
	});

	test('history: Docker columns, --no-trunc, --human=false, <missing> rows', async () => {
		const root = tempDir('strata-cli');
		const app = await twoLayerImage(['app:1']);
		const input = join(tempDir('strata-cli-input'), 'app.tar');
		writeFileSync(input, app.archive);
		await ok(root, ['load', '-i', input]);
		const top = bigB.length + newFile.length;
		// CREATED BY is cut to 45 columns: 44 characters and an ellipsis.
		assert.equal(
			await ok(root, ['history', 'app:1']),
			dockerTable([
				['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'],
				[short(app.id), yearsAgo(OLD), `${LONG_RUN.slice(0, 44)}…`, goSize(top), 'second layer'],
				['<missing>', yearsAgo(OLD), '/bin/sh -c #(nop)  CMD ["sh"]', '0B', ''],
				['<missing>', yearsAgo(OLD), '/bin/sh -c #(nop) ADD file:4f0b5e2e in / ', goSize(bigA.length), ''],
			]),
		);
		assert.equal(
			await ok(root, ['history', '--no-trunc', '--human=false', 'app:1']),
			dockerTable([
				['IMAGE', 'CREATED AT', 'CREATED BY', 'SIZE', 'COMMENT'],
				[app.id, '2015-01-01T00:00:00Z', LONG_RUN, String(top), 'second layer'],
				['<missing>', '2015-01-01T00:00:00Z', '/bin/sh -c #(nop)  CMD ["sh"]', '0', ''],
				['<missing>', '2015-01-01T00:00:00Z', '/bin/sh -c #(nop) ADD file:4f0b5e2e in / ', String(bigA.length), ''],
			]),
		);
		assert.equal(await ok(root, ['history', '-q', 'app:1']), `${short(app.id)}\n<missing>\n<missing>\n`);
		// RFC 3339 in the local zone, as Go prints it.
		const inKolkata = tableCells((await strata(root, ['history', '--human=false', 'app:1'], {env: {TZ: 'Asia/Kolkata'}})).stdout);
		assert.equal(inKolkata[1]![1], '2015-01-01T05:30:00+05:30');
		// An imported image has one history entry, with no CREATED BY.
		const id = (await ok(root, ['import', '-m', 'from the fixture', tarPath, 'busybox'])).trim();
		assertTable(await ok(root, ['history', 'busybox']), [
			['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'],
			[short(id), undefined, '', goSize(fixtureBytes), 'from the fixture'],
		]);
		assert.equal((await fails(root, ['history', 'nope'])).line, 'Error: No such image: nope');
	});

	test('tag moves an existing tag silently; rmi untags and deletes as Docker does', async () => {
		const root = tempDir('strata-cli');
		const first = (await ok(root, ['import', tarPath, 'x:1'])).trim();
		const second = (await ok(root, ['import', '--change', 'CMD ["sh"]', tarPath, 'b:1'])).trim();
		assert.equal(await ok(root, ['tag', 'x:1', 'shared:latest']), '');
		assert.equal(await ok(root, ['tag', 'b:1', 'shared']), '', 'moving a tag prints nothing');
		assert.equal(await ok(root, ['images', '-q', '--no-trunc', 'shared']), `${second}\n`);
		// x:1 is first's only tag again; tag it twice more by ID prefix.
		await ok(root, ['tag', short(first), 'x:2']);
		await ok(root, ['tag', `sha256:${first.slice(7, 20)}`, 'x:3']);
		assert.deepEqual((JSON.parse(await ok(root, ['inspect', first])) as Array<{RepoTags: string[]}>)[0]!.RepoTags, ['x:1', 'x:2', 'x:3']);

		// By ID with several tags: Docker's conflict, and nothing changes.
		const before = storeState(root);
		const conflict = await fails(root, ['rmi', short(first)]);
		assert.equal(conflict.line, `Error: conflict: unable to delete ${short(first)} (must be forced) - image is referenced in multiple repositories`);
		assert.equal(storeState(root), before);
		// By name: untag only while other tags remain.
		assert.equal(await ok(root, ['rmi', 'x:3']), 'Untagged: x:3\n');
		assert.equal(await ok(root, ['rmi', 'x:2']), 'Untagged: x:2\n');
		// The last tag: untag and delete; the layer stays, second uses it.
		// x means x:latest (and x is no hex, so no ID prefix either).
		assert.equal((await fails(root, ['rmi', 'x'])).line, 'Error: No such image: x');
		assert.equal(await ok(root, ['rmi', 'x:1']), `Untagged: x:1\nDeleted: ${first}\n`);
		// -f by ID removes every tag, then the image and its now unused layer.
		assert.equal(await ok(root, ['rmi', '-f', short(second)]), `Untagged: b:1\nUntagged: shared:latest\nDeleted: ${second}\nDeleted: ${tarDiffID}\n`);
		assert.deepEqual(blobNames(root), []);
		// Missing names: one line each, exit 1; the others still go.
		const third = (await ok(root, ['import', tarPath, 'c:1'])).trim();
		const mixed = await strata(root, ['rmi', 'nope', 'c:1']);
		assert.equal(mixed.code, 1);
		assert.equal(mixed.stdout, `Untagged: c:1\nDeleted: ${third}\nDeleted: ${tarDiffID}\n`);
		assert.equal(mixed.stderr, 'Error: No such image: nope\n');
		assert.equal((await fails(root, ['tag', 'nope', 'x'])).line, 'Error: No such image: nope');
	});

	test('info names the store and counts what it holds', async () => {
		const root = tempDir('strata-cli');
		await ok(root, ['import', tarPath, 'a:1']);
		await ok(root, ['import', tarPath, 'b:1']);
		await ok(root, ['tag', 'a:1', 'a:2']);
		const info = await ok(root, ['info']);
		assert.match(info, new RegExp(`^ Root Dir: ${root}$`, 'm'));
		assert.match(info, /^ Images: 2$/m);
		assert.match(info, /^ Tags: 3$/m);
		assert.match(info, /^ Layers: 1 \(stored uncompressed\)$/m);
		assert.equal(await ok(root, ['system', 'info']), info);
		const json = JSON.parse(await ok(root, ['info', '--format', 'json'])) as Record<string, unknown>;
		assert.equal(json.root, root);
		assert.equal(json.images, 2);
		// blobs: the layer, two configs, two manifests.
		const bytes = blobNames(root).reduce((sum, name) => sum + lstatSync(join(root, 'blobs', 'sha256', name)).size, 0);
		assert.equal(json.bytes, bytes);
	});

	test('layers: per-layer changes, efficiency, and --ci exit codes', async () => {
		const root = tempDir('strata-cli');
		const app = await twoLayerImage(['app:1']);
		const input = join(tempDir('strata-cli-input'), 'app.tar');
		writeFileSync(input, app.archive);
		await ok(root, ['load', '-i', input]);
		// dive's numbers: data/big is in both layers (100 kB each): 200 kB wasted, score (100k+1k)/(200k+1k).
		const text = await ok(root, ['layers', 'app:1']);
		assert.match(text, new RegExp(`^Layer 1/2  ${short(app.diffIDs[0]!)}  100kB  \\+2 ~0 -0 `, 'm'));
		assert.match(text, new RegExp(`^Layer 2/2  ${short(app.diffIDs[1]!)}  101kB  \\+1 ~2 -0 `, 'm'));
		assert.match(text, /^\+ {5}big {2}100kB$/m);
		assert.match(text, /^~ {5}big {2}100kB$/m);
		assert.match(text, /^Image efficiency score: 50\.25 %$/m);
		assert.match(text, /^Potential wasted space: 200kB$/m);
		assert.match(text, /^Image user wasted percent: 198\.02 %$/m);
		assert.match(text, /^2 +200kB +data\/big$/m);
		const report = JSON.parse(await ok(root, ['layers', '--format', 'json', 'app:1'])) as {layers: Array<{diffID: string; size: number}>; efficiency: {wastedBytes: number; score: number}};
		assert.deepEqual(report.layers.map(layer => [layer.diffID, layer.size]), [[app.diffIDs[0], 100_000], [app.diffIDs[1], 101_000]]);
		assert.equal(report.efficiency.wastedBytes, 200_000);
		assert.equal(report.efficiency.score, 101_000 / 201_000);

		const failing = await strata(root, ['layers', '--ci', 'app:1']);
		assert.equal(failing.code, 1);
		assert.equal(
			failing.stderr,
			'FAIL: lowest efficiency: 50.25 % is below 90.00 %\nFAIL: highest user wasted percent: 198.02 % is above 10.00 %\nError: image app:1 failed 2 CI rules\n',
		);
		const bytesRule = await strata(root, ['layers', '--ci', '--lowest-efficiency', '0.5', '--highest-user-wasted-percent', 'disabled', '--highest-wasted-bytes', '150kB', 'app:1']);
		assert.equal(bytesRule.code, 1);
		assert.equal(bytesRule.stderr, 'FAIL: highest wasted bytes: 200kB is above 150kB\nError: image app:1 failed 1 CI rule\n');
		const passing = await strata(root, ['layers', '--ci', '--lowest-efficiency', '50%', '--highest-user-wasted-percent', '199%', '--highest-wasted-bytes', '200kB', 'app:1']);
		assert.equal(passing.code, 0, passing.stderr);
		assert.match(passing.stdout, /^PASS: image meets every CI rule$/m);
		assert.doesNotMatch(passing.stdout, /^\+ /m, '--ci leaves the trees out');
		// busybox has one layer: nothing can be wasted.
		await ok(root, ['import', tarPath, 'busybox']);
		assert.match(await ok(root, ['layers', '--ci', 'busybox']), /^Image efficiency score: 100\.00 %\n(.|\n)*PASS: image meets every CI rule\n$/m);
		assert.match((await fails(root, ['layers', '--ci', '--lowest-efficiency', 'lots', 'app:1'])).line, /--lowest-efficiency: not a number: lots/);
	});

	test('--root overrides STRATA_ROOT', async () => {
		const envRoot = tempDir('strata-cli');
		const optionRoot = tempDir('strata-cli');
		const id = (await ok(envRoot, ['--root', optionRoot, 'import', tarPath, 'only-here:1'])).trim();
		assert.equal(await ok(envRoot, ['--root', optionRoot, 'images', '-q', '--no-trunc']), `${id}\n`);
		assert.equal(await ok(envRoot, ['images', '-q']), '');
		assert.deepEqual(readdirSync(envRoot).filter(name => name !== 'strata' && name !== 'blobs' && name !== 'oci-layout'), []);
		assert.deepEqual(blobNames(envRoot), []);
		assert.ok(blobNames(optionRoot).includes(tarDiffID.slice(7)));
		assert.equal(await ok(optionRoot, ['images', '-q', '--no-trunc']), `${id}\n`);
	});

	test('unknown commands, unknown options and bad references: one line, non-zero exit, store unchanged', async () => {
		const root = tempDir('strata-cli');
		await ok(root, ['import', tarPath, 'busybox']);
		const before = storeState(root);
		assert.equal((await fails(root, ['imagse'])).line, "error: unknown command 'imagse' (Did you mean one of image, images?)");
		assert.equal((await fails(root, ['frobnicate'])).line, "error: unknown command 'frobnicate'");
		assert.equal((await fails(root, ['images', '--bogus'])).line, "error: unknown option '--bogus'");
		assert.equal((await fails(root, ['system', 'dff'])).line, "error: unknown command 'dff' (Did you mean df?)");
		assert.equal((await fails(root, ['import', tarPath, 'Busybox:latest'])).line, 'Error: invalid reference format: repository name (library/Busybox) must be lowercase');
		assert.match((await fails(root, ['import', tarPath, 'busybox:bad:tag'])).line, /^Error: invalid reference format/);
		assert.match((await fails(root, ['tag', 'busybox', 'a@b'])).line, /^Error: invalid reference format/);
		assert.match((await fails(root, ['tag', 'busybox', `x@sha256:${'0'.repeat(64)}`])).line, /^Error: refusing to create a tag with a digest reference/);
		assert.match((await fails(root, ['tag', 'busybox', `${'a'.repeat(64)}`])).line, /cannot specify 64-byte hexadecimal strings/);
		assert.match((await fails(root, ['import', '--change', 'RUN true', tarPath, 'x'])).line, /RUN is not a valid change instruction/);
		assert.equal((await fails(root, ['import', join(root, 'no-such.tar'), 'x'])).line, `Error: ${join(root, 'no-such.tar')}: no such file or directory`);
		assert.equal(storeState(root), before);
	});
});

// The same commands on this machine's Docker: for a hand-built archive (fixed IDs and dates) both print
// the same text, byte for byte.
describe("strata's output is Docker's", {skip: dockerSkip()}, () => {
	let daemon: DockerDaemon;
	let root: string;
	let app: Awaited<ReturnType<typeof twoLayerImage>>;

	before(async () => {
		daemon = await startDocker();
		root = tempDir('strata-cli');
		app = await twoLayerImage(['app:1', 'example.com/team/app:v2']);
		const input = join(tempDir('strata-cli-input'), 'app.tar');
		writeFileSync(input, app.archive);
		await daemon.docker(['load', '-i', input], {check: true});
		await ok(root, ['load', '-i', input]);
	});

	after(async () => {
		await daemon?.stop();
	});

	const same = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
		const docker = await daemon.docker(args, {check: true, env: {TZ: 'UTC', ...env}});
		assert.equal(await ok(root, args, {env}), docker.stdout, `strata ${args.join(' ')}`);
	};

	test('images, history and inspect', async () => {
		assert.equal((await daemon.docker(['images', '-q', '--no-trunc', 'app:1'], {check: true})).stdout, `${app.id}\n`, 'Docker loaded the same image ID');
		await same(['images', 'app']);
		await same(['images', '--no-trunc', '--digests', 'example.com/team/app']);
		await same(['images', '--format', 'json', 'app']);
		await same(['history', 'app:1']);
		await same(['history', '--no-trunc', 'app:1']);
		await same(['history', '--human=false', 'app:1']);
		await same(['history', '-q', '--no-trunc', 'app:1']);
		const [docker] = JSON.parse((await daemon.docker(['image', 'inspect', 'app:1'], {check: true})).stdout) as Array<Record<string, unknown>>;
		const [mine] = JSON.parse(await ok(root, ['inspect', 'app:1'])) as Array<Record<string, unknown>>;
		for (const key of ['Id', 'RepoTags', 'RepoDigests', 'Parent', 'Comment', 'Created', 'Author', 'Config', 'Architecture', 'Os', 'Size', 'RootFS']) {
			assert.deepEqual(mine![key], docker![key], `inspect .${key}`);
		}
	});

	test('rmi and image prune', async () => {
		const conflict = await daemon.docker(['rmi', short(app.id)]);
		const mine = await fails(root, ['rmi', short(app.id)]);
		assert.equal(mine.line.replace(/^Error: /, ''), conflict.stderr.trim().replace(/^Error response from daemon: /, ''));
		await same(['rmi', 'example.com/team/app:v2']);
		await same(['image', 'prune', '-f']);
		await same(['rmi', 'app:1']);
	});
});
