// Bad input through the CLI: every case must exit non-zero with ONE line on stderr that names the file or
// reference and the problem, and leave the store exactly as it was (index.json, blobs, layer indexes, and
// no temp files). Inputs are damaged copies of the busybox fixture or archives built here with tar-stream.
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {once} from 'node:events';
import {existsSync, mkdirSync, readdirSync, readFileSync, statfsSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {gzipSync} from 'node:zlib';
import tar from 'tar-stream';
import {busyboxTar} from '../support/busybox.js';
import {CLI_PATH, REPO_ROOT, runStrata, tempDir} from '../support/tmp.js';

const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

type Entry = {name: string; type?: 'file' | 'directory'; content?: Buffer | string};

async function makeTar(entries: Entry[]): Promise<Buffer> {
	const pack = tar.pack();
	const chunks: Buffer[] = [];
	pack.on('data', (chunk: unknown) => {
		chunks.push(chunk as Buffer);
	});
	const ended = new Promise<void>(resolve => pack.on('end', () => resolve()));
	for (const entry of entries) {
		const header = {name: entry.name, type: entry.type ?? 'file', mode: entry.type === 'directory' ? 0o755 : 0o644, mtime: new Date('2020-01-01T00:00:00Z')};
		if (header.type === 'file') pack.entry(header, Buffer.from(entry.content ?? ''));
		else pack.entry(header);
	}
	pack.finalize();
	await ended;
	return Buffer.concat(chunks);
}

function imageConfig(diffIDs: string[]): Buffer {
	return Buffer.from(JSON.stringify({architecture: 'amd64', os: 'linux', created: '2020-01-01T00:00:00Z', config: {}, rootfs: {type: 'layers', diff_ids: diffIDs}, history: diffIDs.map(() => ({created: '2020-01-01T00:00:00Z'}))}));
}

/** A Docker 20.10 style archive: manifest.json, <id>.json, <dir>/layer.tar. `diffIDs` default to the layers' digests. */
async function dockerArchive(options: {layers: Buffer[]; diffIDs?: string[]; manifestLayers?: string[]; repoTags?: string[]}): Promise<Buffer> {
	const diffIDs = options.diffIDs ?? options.layers.map(layer => sha256(layer));
	const config = imageConfig(diffIDs);
	const configName = `${sha256(config).slice(7)}.json`;
	const entries: Entry[] = [];
	const names = options.layers.map((_, i) => `layer${i}/layer.tar`);
	options.layers.forEach((layer, i) => entries.push({name: `layer${i}/`, type: 'directory'}, {name: names[i]!, content: layer}));
	entries.push({name: configName, content: config});
	entries.push({name: 'manifest.json', content: JSON.stringify([{Config: configName, RepoTags: options.repoTags ?? ['bad:1'], Layers: options.manifestLayers ?? names}])});
	return makeTar(entries);
}

/** What must not change: index.json, the blob and layer-index names, images.json's records, and no temp files anywhere. */
function storeListing(root: string): string {
	const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '<none>');
	const list = (path: string) => (existsSync(path) ? readdirSync(path).sort().join('\n') : '<none>');
	const records = existsSync(join(root, 'strata', 'images.json')) ? Object.keys((JSON.parse(read(join(root, 'strata', 'images.json'))) as {images: object}).images).sort().join(',') : '<none>';
	return [
		`index.json: ${read(join(root, 'index.json'))}`,
		`blobs:\n${list(join(root, 'blobs', 'sha256'))}`,
		`layers:\n${list(join(root, 'strata', 'layers'))}`,
		`records: ${records}`,
		`tmp: ${list(join(root, 'strata', 'tmp'))}`,
		`top: ${list(root)}`,
		`meta: ${list(join(root, 'strata'))}`,
	].join('\n');
}

/** A store holding one small image, so that "unchanged" has something to compare. */
async function seededStore(root = tempDir('strata-bad')): Promise<string> {
	const input = join(tempDir('strata-bad-input'), 'seed.tar');
	writeFileSync(input, await makeTar([{name: 'etc/', type: 'directory'}, {name: 'etc/seed', content: 'seed\n'}]));
	const result = await runStrata(['import', input, 'seed:1'], {root});
	assert.equal(result.code, 0, result.stderr);
	return root;
}

/**
 * Runs a command that must fail: non-zero exit, one line on stderr matching every pattern, and the
 * store listing unchanged. Returns the line.
 */
async function rejects(root: string, args: string[], patterns: RegExp[], options: {input?: Buffer; env?: NodeJS.ProcessEnv} = {}): Promise<string> {
	const before = storeListing(root);
	const result = await runStrata(args, {root, ...options});
	assert.notEqual(result.code, 0, `strata ${args.join(' ')} should fail; stdout: ${result.stdout}`);
	assert.match(result.stderr, /^Error: [^\n]+\n$/, `one line on stderr, got: ${result.stderr}`);
	const line = result.stderr.trimEnd();
	for (const pattern of patterns) assert.match(line, pattern);
	assert.equal(storeListing(root), before, 'the store is unchanged');
	return line;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('bad input leaves the store as it was', () => {
	let fixture: Buffer;
	let work: string;

	before(async () => {
		fixture = readFileSync(await busyboxTar());
		work = tempDir('strata-bad-input');
	});

	const file = (name: string, data: Buffer) => {
		const path = join(work, name);
		writeFileSync(path, data);
		return path;
	};

	test('a truncated tar', async () => {
		const root = await seededStore();
		const path = file('truncated.tar', fixture.subarray(0, Math.floor(fixture.length / 2)));
		await rejects(root, ['import', path, 'x:1'], [new RegExp(`^Error: ${escape(path)}: `), /truncated tar/]);
	});

	test('a corrupt tar header', async () => {
		const root = await seededStore();
		const damaged = Buffer.from(fixture);
		// The second member's header (after "./" and "./bin/"): its name field scribbled over, checksum left as it was.
		const offsets: number[] = [];
		for (let offset = 0; offset < damaged.length && offsets.length < 3; offset += 512) {
			const header = damaged.subarray(offset, offset + 512);
			if (header.subarray(257, 262).toString('latin1') === 'ustar') offsets.push(offset);
		}
		damaged.write('garbage!', offsets[2]! + 2, 'latin1');
		const path = file('corrupt-header.tar', damaged);
		await rejects(root, ['import', path, 'x:1'], [new RegExp(`^Error: ${escape(path)}: `), /corrupt tar header/, /checksum/]);
	});

	test('a truncated gzip stream', async () => {
		const root = await seededStore();
		const gz = gzipSync(fixture);
		const path = file('truncated.tar.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
		await rejects(root, ['import', path, 'x:1'], [new RegExp(`^Error: ${escape(path)}: `), /gzip/, /unexpected end of file/]);
	});

	test('a corrupt gzip stream (wrong CRC)', async () => {
		const root = await seededStore();
		const gz = Buffer.from(gzipSync(fixture));
		gz.writeUInt32LE(gz.readUInt32LE(gz.length - 8) ^ 0xffffffff, gz.length - 8);
		const path = file('bad-crc.tar.gz', gz);
		await rejects(root, ['import', path, 'x:1'], [new RegExp(`^Error: ${escape(path)}: `), /corrupt gzip stream/, /incorrect data check/]);
	});

	test('a corrupt gzip header', async () => {
		const root = await seededStore();
		const gz = Buffer.from(gzipSync(fixture));
		gz[3] = 0xe0; // reserved flag bits
		const path = file('bad-header.tar.gz', gz);
		await rejects(root, ['import', path, 'x:1'], [new RegExp(`^Error: ${escape(path)}: `), /corrupt gzip stream/]);
	});

	test('a layer that does not hash to its diff ID (load)', async () => {
		const root = await seededStore();
		const layer = await makeTar([{name: 'file', content: 'what the archive really holds\n'}]);
		const claimed = sha256('something else');
		const path = file('mismatch.tar', await dockerArchive({layers: [layer], diffIDs: [claimed]}));
		await rejects(root, ['load', '-i', path], [
			new RegExp(`^Error: ${escape(path)}: layer0/layer\\.tar: `),
			new RegExp(`expected ${claimed}, got ${sha256(layer)}`),
			/does not match its diff ID/,
		]);
	});

	test('a manifest.json with the wrong layer count', async () => {
		const root = await seededStore();
		const layer = await makeTar([{name: 'file', content: 'x\n'}]);
		const path = file('count.tar', await dockerArchive({layers: [layer], manifestLayers: ['layer0/layer.tar', 'layer0/layer.tar']}));
		await rejects(root, ['load', '-i', path], [new RegExp(`^Error: ${escape(path)}: manifest\\.json lists 2 layers but the config has 1 diff ID$`)]);
	});

	test('an unknown layer media type in an OCI layout archive', async () => {
		const root = await seededStore();
		const layer = await makeTar([{name: 'file', content: 'x\n'}]);
		const config = imageConfig([sha256(layer)]);
		const manifest = Buffer.from(
			JSON.stringify({
				schemaVersion: 2,
				mediaType: 'application/vnd.oci.image.manifest.v1+json',
				config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length},
				layers: [{mediaType: 'application/vnd.example.mystery.layer', digest: sha256(layer), size: layer.length}],
			}),
		);
		const index = {schemaVersion: 2, manifests: [{mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(manifest), size: manifest.length, annotations: {'org.opencontainers.image.ref.name': 'docker.io/library/mystery:1'}}]};
		const path = file(
			'mystery.tar',
			await makeTar([
				{name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}'},
				{name: 'index.json', content: JSON.stringify(index)},
				{name: 'blobs/', type: 'directory'},
				{name: 'blobs/sha256/', type: 'directory'},
				{name: `blobs/sha256/${sha256(layer).slice(7)}`, content: layer},
				{name: `blobs/sha256/${sha256(config).slice(7)}`, content: config},
				{name: `blobs/sha256/${sha256(manifest).slice(7)}`, content: manifest},
			]),
		);
		await rejects(root, ['load', '-i', path], [new RegExp(`^Error: ${escape(path)}: `), /unsupported media type "application\/vnd\.example\.mystery\.layer"/]);
	});

	test('a ../evil entry in an imported tar', async () => {
		const root = await seededStore();
		const path = file('evil-import.tar', await makeTar([{name: 'ok', content: 'fine\n'}, {name: '../evil', content: 'escaped\n'}]));
		await rejects(root, ['import', path, 'x:1'], [new RegExp(`^Error: ${escape(path)}: `), /"\.\.\/evil"/, /escapes/]);
		await rejects(root, ['import', '-', 'x:1'], [/^Error: stdin: /, /"\.\.\/evil"/], {input: readFileSync(path)});
	});

	test('a ../evil entry in a layer of a loaded archive, and a manifest naming ../ members', async () => {
		const root = await seededStore();
		const evilLayer = await makeTar([{name: 'ok', content: 'fine\n'}, {name: 'dir/../../evil', content: 'escaped\n'}]);
		const path = file('evil-load.tar', await dockerArchive({layers: [evilLayer]}));
		await rejects(root, ['load', '-i', path], [new RegExp(`^Error: ${escape(path)}: layer0/layer\\.tar: `), /\.\.\/evil/, /escapes/]);
		const good = await makeTar([{name: 'ok', content: 'fine\n'}]);
		const outside = file('evil-member.tar', await dockerArchive({layers: [good], manifestLayers: ['../layer0/layer.tar']}));
		await rejects(root, ['load', '-i', outside], [new RegExp(`^Error: ${escape(outside)}: `), /\.\.\/layer0\/layer\.tar/]);
	});

	test('missing references: history, save, rmi, tag, inspect', async () => {
		const root = await seededStore();
		assert.equal(await rejects(root, ['history', 'nope'], []), 'Error: No such image: nope');
		assert.equal(await rejects(root, ['rmi', 'nope'], []), 'Error: No such image: nope');
		assert.equal(await rejects(root, ['tag', 'nope', 'x'], []), 'Error: No such image: nope');
		assert.equal(await rejects(root, ['inspect', 'nope'], []), 'Error: No such object: nope');
		assert.equal(await rejects(root, ['layers', 'nope:2'], []), 'Error: No such image: nope:2');
		const toStdout = await runStrata(['save', 'nope'], {root});
		assert.notEqual(toStdout.code, 0);
		assert.equal(toStdout.stderr, 'Error: No such image: nope\n');
		assert.equal(toStdout.stdout, '', 'no partial archive on stdout');
		const output = join(work, 'never-written.tar');
		assert.equal(await rejects(root, ['save', '-o', output, 'seed:1', 'nope'], []), 'Error: No such image: nope');
		assert.equal(existsSync(output), false, 'no output file for a failed save');
		assert.equal(await rejects(root, ['import', join(work, 'absent.tar'), 'x'], []), `Error: ${join(work, 'absent.tar')}: no such file or directory`);
		assert.equal(await rejects(root, ['load', '-i', join(work, 'absent.tar')], []), `Error: ${join(work, 'absent.tar')}: no such file or directory`);
	});

	describe('a disk that fills up mid-write', {skip: process.getuid?.() === 0 ? false : 'mounting a tmpfs needs root'}, () => {
		let mountPoint: string;

		before(() => {
			mountPoint = join(tempDir('strata-bad-tmpfs'), 'mnt');
			mkdirSync(mountPoint);
			const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint], {encoding: 'utf8'});
			assert.equal(mounted.status, 0, `mount: ${mounted.stderr}`);
		});

		after(() => {
			if (mountPoint) spawnSync('umount', [mountPoint]);
		});

		test('importing 5 MB into 2 MB: one line, the store still works, no temp files', async () => {
			const root = await seededStore(join(mountPoint, 'store1'));
			const images = await runStrata(['images', '-q'], {root});
			const big = file('big.tar', await makeTar([{name: 'blob', content: Buffer.alloc(5_000_000, 7)}]));
			await rejects(root, ['import', big, 'big:1'], [new RegExp(`^Error: store ${escape(root)}: no space left on device`)]);
			await rejects(root, ['load', '-i', file('big-archive.tar', await dockerArchive({layers: [readFileSync(big)]}))], [/no space left on device/]);
			// Still usable: it lists what it held, and takes a small image.
			assert.deepEqual(await runStrata(['images', '-q'], {root}), images);
			const small = file('small.tar', await makeTar([{name: 'small', content: 'fits\n'}]));
			const added = await runStrata(['import', small, 'small:1'], {root});
			assert.equal(added.code, 0, added.stderr);
			const removed = await runStrata(['rmi', 'small:1'], {root});
			assert.equal(removed.code, 0, removed.stderr);
			assert.deepEqual(readdirSync(join(root, 'strata', 'tmp')), []);
		});

		test('whichever write the disk fills up at (blob, layer index, config, catalog), the error is one line', async () => {
			const root = await seededStore(join(mountPoint, 'store2'));
			const page = 4096;
			// Layers that leave 0..7 pages free after their blob: the next write to fail moves along the commit.
			const free = Math.floor(statfsSync(mountPoint).bavail * statfsSync(mountPoint).bsize / page);
			const outcomes: string[] = [];
			for (let slack = 0; slack < 8; slack++) {
				// A tar of one file is 512 (header) + content rounded to 512 + 1024 (end): make it exactly (free - slack) pages.
				const size = (free - slack) * page - 1536;
				const path = file(`fill-${slack}.tar`, await makeTar([{name: 'fill', content: Buffer.alloc(size, slack)}]));
				const before = storeListing(root);
				const result = await runStrata(['import', path, `fill:${slack}`], {root});
				if (result.code === 0) {
					outcomes.push('stored');
					const removed = await runStrata(['rmi', `fill:${slack}`], {root});
					assert.equal(removed.code, 0, removed.stderr);
				} else {
					assert.match(result.stderr, new RegExp(`^Error: store ${escape(root)}: no space left on device; nothing was stored\\n$`), `slack ${slack}`);
					outcomes.push('full');
				}
				assert.equal(storeListing(root), before, `slack ${slack}: the store is as before`);
			}
			assert.ok(outcomes.includes('full') && outcomes.includes('stored'), `the disk filled up at some sizes only: ${outcomes.join(',')}`);
		});
	});

	test('a store locked by another process: the writer waits, then names the holder', async () => {
		const root = await seededStore();
		const lockPath = join(root, 'strata', 'lock');
		const script = `import {StoreLock} from ${JSON.stringify(join(REPO_ROOT, 'source/engine/store/lock.ts'))};
await StoreLock.acquire(${JSON.stringify(lockPath)}, {command: 'holder'});
process.stdout.write('held\\n');
setInterval(() => {}, 1000);`;
		const holder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit']});
		try {
			await new Promise<void>((resolve, reject) => {
				holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve());
				holder.once('exit', code => reject(new Error(`lock holder exited with ${code}`)));
			});
			const path = file('locked.tar', await makeTar([{name: 'x', content: 'x\n'}]));
			const started = Date.now();
			const line = await rejects(root, ['import', path, 'x:1'], [new RegExp(`^Error: store ${escape(root)} is locked by process ${holder.pid} \\(strata holder\\); gave up after 500ms$`)], {
				env: {STRATA_LOCK_TIMEOUT_MS: '500'},
			});
			assert.ok(Date.now() - started >= 500, `the writer waited before giving up: ${line}`);
			// Readers take no lock.
			const listed = await runStrata(['images', '-q'], {root});
			assert.equal(listed.code, 0);
			assert.equal(listed.stdout.trim().split('\n').length, 1);
			await rejects(root, ['tag', 'seed:1', 'other:1'], [/is locked by process/], {env: {STRATA_LOCK_TIMEOUT_MS: '300'}});
		} finally {
			holder.kill('SIGKILL');
		}
	});

	test('a reader that went away (| head): exit 141 like docker killed by SIGPIPE, nothing on stderr', async () => {
		const root = await seededStore();
		const child = spawn(process.execPath, [CLI_PATH, 'history', 'seed:1'], {env: {...process.env, STRATA_ROOT: root}, stdio: ['ignore', 'pipe', 'pipe']});
		// Closed before the CLI writes its first line (its start-up alone takes longer).
		child.stdout.destroy();
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const [code] = (await once(child, 'close')) as [number | null];
		assert.equal(stderr, '');
		assert.equal(code, 141);
	});
});
