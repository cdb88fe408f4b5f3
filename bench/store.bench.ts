// strata's store against Docker 20.10 (a private daemon started here), on the same inputs, in one run:
//
//   import  `strata import TAR`            vs `docker import TAR`
//   save    `strata save -o OUT REF`       vs `docker save -o OUT REF`
//   load    `strata load -i strata's OUT`  vs `docker load -i docker's OUT` (into an empty store / after rmi)
//   images  `strata images`, 1,000 images  vs `docker images`, 1,000 tags of one image
//
// for the minbase rootfs (bench/support/minbase.ts) and a 1 GiB synthetic layer (bench/support/synthetic.ts),
// plus each strata command's peak RSS. Every command is a fresh process (the CLI as users run it), timed
// from spawn to exit; the tools alternate which goes first, and the table shows medians. Results go to
// bench/results/store.json.
//
//   npm run bench [-- --reps 5 --big-reps 3 --no-big --only import,save,load,images --drop-caches --no-write]
//   node bench/run.mjs --cli /other/build/dist/cli.js --no-write     (the same against another build, for A/B)
import {spawn} from 'node:child_process';
import {createHash, randomFillSync} from 'node:crypto';
import {cpus, loadavg, totalmem} from 'node:os';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {request} from 'node:http';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {startDocker, type DockerDaemon} from '../test/support/docker.js';
import {busyboxTar} from '../test/support/busybox.js';
import {minbaseTar} from './support/minbase.js';
import {IMAGE_COUNT, seedThousandImages} from './support/seed-images.js';
import {syntheticLayerTar} from './support/synthetic.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = join(REPO_ROOT, 'bench', 'results', 'store.json');
const TIME = '/usr/bin/time';
const MiB = 1024 * 1024;

const TARGETS = {
	/** import, save and load: at most this fraction of Docker's time. */
	ratio: 0.5,
	/** `strata images` over 1,000 images. */
	imagesMs: 300,
	/** Peak RSS of import/save/load of a 1 GB layer. */
	rssMiB: 150,
};

const {values: args} = parseArgs({
	options: {
		reps: {type: 'string', default: '5'},
		'big-reps': {type: 'string', default: '3'},
		'no-big': {type: 'boolean', default: false},
		only: {type: 'string'},
		'drop-caches': {type: 'boolean', default: false},
		'no-write': {type: 'boolean', default: false},
		keep: {type: 'boolean', default: false},
		cli: {type: 'string'},
	},
});
const CLI = args.cli ? resolve(args.cli) : join(REPO_ROOT, 'dist', 'cli.js');
const reps = Number(args.reps);
const bigReps = Number(args['big-reps']);
const only = args.only ? new Set(args.only.split(',')) : undefined;
const wants = (part: string) => !only || only.has(part);

// --- Running and measuring one command ---

type Sample = {
	/** Spawn to exit, ms. */
	wallMs: number;
	/** User + system CPU, ms: the process and its reaped children, plus dockerd's for Docker commands. */
	cpuMs?: number;
	/** Peak RSS of the process, KiB (strata only: Docker's memory is the daemon's). */
	maxRssKiB?: number;
	stdout: string;
};

type RunOptions = {env?: NodeJS.ProcessEnv; /** CPU of this pid (and its reaped children) counts too. */ daemonPid?: number};

const haveTime = existsSync(TIME);
const clockTicks = 100; // USER_HZ: 100 on every Linux architecture Node supports

/** utime + stime + cutime + cstime of pid, ms. */
function processCpuMs(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// After the comm field: state is field 3 (index 0), utime 14, stime 15, cutime 16, cstime 17.
	return ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) / clockTicks;
}

let timeFileCounter = 0;
let workDir = '';

async function run(command: string, commandArgs: string[], options: RunOptions = {}): Promise<Sample> {
	const timeFile = join(workDir, `time-${timeFileCounter++}.txt`);
	const [file, argv] = haveTime ? [TIME, ['-f', '%U %S %M', '-o', timeFile, command, ...commandArgs]] : [command, commandArgs];
	const daemonBefore = options.daemonPid ? processCpuMs(options.daemonPid) : 0;
	const started = performance.now();
	const {code, stdout, stderr} = await new Promise<{code: number; stdout: string; stderr: string}>((resolvePromise, reject) => {
		const child = spawn(file, argv, {env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe']});
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
		child.once('error', reject);
		child.once('close', exitCode => resolvePromise({code: exitCode ?? 1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString()}));
	});
	const wallMs = performance.now() - started;
	if (code !== 0) throw new Error(`${command} ${commandArgs.join(' ')} exited ${code}:\n${stderr || stdout}`);
	const sample: Sample = {wallMs, stdout};
	if (haveTime) {
		const [user, system, rss] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
		rmSync(timeFile, {force: true});
		sample.cpuMs = (user! + system!) * 1000;
		if (!options.daemonPid) sample.maxRssKiB = rss;
	}
	if (options.daemonPid && sample.cpuMs !== undefined) sample.cpuMs += processCpuMs(options.daemonPid) - daemonBefore;
	return sample;
}

function strata(root: string, ...commandArgs: string[]): Promise<Sample> {
	return run(process.execPath, [CLI, '--root', root, ...commandArgs]);
}

let dockerd: DockerDaemon | undefined;
let dockerdPid = 0;

function docker(...commandArgs: string[]): Promise<Sample> {
	return run('docker', commandArgs, {env: dockerd!.env, daemonPid: dockerdPid});
}

/** Untimed housekeeping against the daemon. */
async function dockerQuiet(...commandArgs: string[]): Promise<string> {
	return (await dockerd!.docker(commandArgs, {check: true})).stdout;
}

async function dropCaches(): Promise<void> {
	if (!args['drop-caches']) return;
	await run('sh', ['-c', 'sync; echo 3 > /proc/sys/vm/drop_caches']);
}

// --- Statistics and reporting ---

type Stats = {medianMs: number; minMs: number; maxMs: number; samplesMs: number[]; cpuMedianMs?: number; maxRssMiB?: number};

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function stats(samples: Sample[]): Stats {
	const walls = samples.map(sample => sample.wallMs);
	const cpu = samples.map(sample => sample.cpuMs).filter((value): value is number => value !== undefined);
	const rss = samples.map(sample => sample.maxRssKiB).filter((value): value is number => value !== undefined);
	return {
		medianMs: Math.round(median(walls)),
		minMs: Math.round(Math.min(...walls)),
		maxMs: Math.round(Math.max(...walls)),
		samplesMs: walls.map(Math.round),
		...(cpu.length > 0 ? {cpuMedianMs: Math.round(median(cpu))} : {}),
		...(rss.length > 0 ? {maxRssMiB: Math.round((Math.max(...rss) / 1024) * 10) / 10} : {}),
	};
}

type Row = {
	operation: string;
	strata: Stats;
	peer?: Stats;
	peerNote?: string;
	/** strata / peer, medians. */
	ratio?: number;
	target?: string;
	pass?: boolean;
	bytes?: number;
};

const rows: Row[] = [];

function compare(operation: string, strataSamples: Sample[], dockerSamples: Sample[], options: {bytes?: number; target?: boolean; peerNote?: string} = {}): Row {
	const row: Row = {operation, strata: stats(strataSamples), peer: stats(dockerSamples), bytes: options.bytes, peerNote: options.peerNote};
	row.ratio = Math.round((row.strata.medianMs / row.peer!.medianMs) * 100) / 100;
	if (options.target !== false) {
		row.target = `<= ${TARGETS.ratio.toFixed(2)}x Docker`;
		row.pass = row.ratio <= TARGETS.ratio;
	}
	rows.push(row);
	return row;
}

function seconds(ms: number): string {
	return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms} ms`;
}

function spread(stat: Stats): string {
	return `${seconds(stat.medianMs)} (${seconds(stat.minMs)}–${seconds(stat.maxMs)})`;
}

function table(header: string[], body: string[][]): string {
	const widths = header.map((cell, i) => Math.max(cell.length, ...body.map(line => (line[i] ?? '').length)));
	const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ').trimEnd();
	return [line(header), widths.map(width => '-'.repeat(width)).join('-|-'), ...body.map(line)].join('\n');
}

function progress(message: string): void {
	process.stderr.write(`bench: ${message}\n`);
}

// --- The cases ---

/** import, save and load of one tar, `count` rounds, the tools alternating which goes first. */
async function archiveCases(label: string, tar: string, count: number): Promise<void> {
	const ref = 'bench/layer:latest';
	const bytes = statSync(tar).size;
	const dir = join(workDir, label);
	mkdirSync(dir);
	const strataStore = join(dir, 'strata-store');
	const strataLoadStore = join(dir, 'strata-load-store');
	const strataArchive = join(dir, 'strata-save.tar');
	const dockerArchive = join(dir, 'docker-save.tar');
	const samples = {
		import: {strata: [] as Sample[], docker: [] as Sample[]},
		save: {strata: [] as Sample[], docker: [] as Sample[]},
		load: {strata: [] as Sample[], docker: [] as Sample[]},
	};
	const removeDockerImages = async () => {
		const ids = (await dockerQuiet('images', '-aq')).split('\n').filter(Boolean);
		if (ids.length > 0) await dockerQuiet('rmi', '-f', ...new Set(ids));
	};
	await removeDockerImages();
	for (let round = 0; round < count; round++) {
		const order = round % 2 === 0 ? (['strata', 'docker'] as const) : (['docker', 'strata'] as const);
		progress(`${label}: round ${round + 1}/${count}`);
		for (const tool of order) {
			if (tool === 'strata') {
				rmSync(strataStore, {recursive: true, force: true});
				await dropCaches();
				samples.import.strata.push(await strata(strataStore, 'import', tar, ref));
			} else {
				await removeDockerImages();
				await dropCaches();
				samples.import.docker.push(await docker('import', tar, ref));
			}
		}
		for (const tool of order) {
			if (tool === 'strata') {
				rmSync(strataArchive, {force: true});
				await dropCaches();
				samples.save.strata.push(await strata(strataStore, 'save', '-o', strataArchive, ref));
			} else {
				rmSync(dockerArchive, {force: true});
				await dropCaches();
				samples.save.docker.push(await docker('save', '-o', dockerArchive, ref));
			}
		}
		for (const tool of order) {
			if (tool === 'strata') {
				rmSync(strataLoadStore, {recursive: true, force: true});
				await dropCaches();
				const sample = await strata(strataLoadStore, 'load', '-i', strataArchive);
				if (!sample.stdout.includes(`Loaded image: ${ref}`)) throw new Error(`strata load printed:\n${sample.stdout}`);
				samples.load.strata.push(sample);
			} else {
				// Every image and layer gone, so that the load stores the layer rather than finding it.
				await removeDockerImages();
				await dropCaches();
				const sample = await docker('load', '-i', dockerArchive);
				if (!sample.stdout.includes(`Loaded image: ${ref}`)) throw new Error(`docker load printed:\n${sample.stdout}`);
				samples.load.docker.push(sample);
			}
		}
	}
	const size = `${Math.round(bytes / MiB)} MiB`;
	compare(`import ${label} (${size})`, samples.import.strata, samples.import.docker, {bytes});
	compare(`save ${label}`, samples.save.strata, samples.save.docker, {bytes});
	compare(`load ${label}`, samples.load.strata, samples.load.docker, {bytes});
	await removeDockerImages();
	if (!args.keep) rmSync(dir, {recursive: true, force: true});
}

/** Docker Engine API over the daemon's socket (for seeding 1,000 tags without 1,000 client processes). */
function dockerApi(method: string, path: string): Promise<void> {
	const socketPath = dockerd!.host.replace(/^unix:\/\//, '');
	return new Promise((resolvePromise, reject) => {
		const req = request({socketPath, method, path: `/v1.41${path}`}, response => {
			const body: Buffer[] = [];
			response.on('data', (chunk: Buffer) => body.push(chunk));
			response.on('end', () => {
				if ((response.statusCode ?? 500) >= 300) reject(new Error(`${method} ${path}: ${response.statusCode} ${Buffer.concat(body).toString()}`));
				else resolvePromise();
			});
		});
		req.once('error', reject);
		req.end();
	});
}


async function seedDocker(): Promise<void> {
	const tar = await busyboxTar();
	const id = (await dockerQuiet('import', '--change', 'CMD ["sh"]', tar, 'bench/images:0')).trim();
	let next = 1;
	const worker = async () => {
		while (next < IMAGE_COUNT) {
			const i = next++;
			await dockerApi('POST', `/images/${encodeURIComponent(id)}/tag?repo=bench%2Fimages&tag=${i}`);
		}
	};
	await Promise.all(Array.from({length: 8}, worker));
}

async function imagesCases(): Promise<void> {
	const dir = join(workDir, 'images');
	mkdirSync(dir);
	const emptyStore = join(dir, 'empty-store');
	const fullStore = join(dir, 'store');
	progress(`images: seeding strata with ${IMAGE_COUNT} images and Docker with ${IMAGE_COUNT} tags`);
	await seedThousandImages(fullStore);
	const ids = (await dockerQuiet('images', '-aq')).split('\n').filter(Boolean);
	if (ids.length > 0) await dockerQuiet('rmi', '-f', ...new Set(ids));
	const empty = {strata: [] as Sample[], docker: [] as Sample[]};
	// Warm both (first run compiles, fills caches), untimed.
	await strata(emptyStore, 'images');
	await docker('images');
	for (let round = 0; round < reps; round++) {
		empty.strata.push(await strata(emptyStore, 'images'));
		empty.docker.push(await docker('images'));
	}
	await seedDocker();
	const full = {strata: [] as Sample[], docker: [] as Sample[]};
	const lines = (sample: Sample) => sample.stdout.trimEnd().split('\n').length - 1;
	await strata(fullStore, 'images');
	await docker('images');
	for (let round = 0; round < reps; round++) {
		const order = round % 2 === 0 ? ['strata', 'docker'] : ['docker', 'strata'];
		for (const tool of order) {
			const sample = tool === 'strata' ? await strata(fullStore, 'images') : await docker('images');
			if (lines(sample) !== IMAGE_COUNT) throw new Error(`${tool} images listed ${lines(sample)} rows, expected ${IMAGE_COUNT}`);
			full[tool as 'strata' | 'docker'].push(sample);
		}
	}
	compare('images, empty store (startup)', empty.strata, empty.docker, {target: false});
	const row = compare(`images, ${IMAGE_COUNT} rows`, full.strata, full.docker, {target: false, peerNote: `Docker: ${IMAGE_COUNT} tags of ONE image; strata: ${IMAGE_COUNT} distinct images`});
	row.target = `< ${TARGETS.imagesMs} ms`;
	row.pass = row.strata.medianMs < TARGETS.imagesMs;
	const ids2 = (await dockerQuiet('images', '-aq')).split('\n').filter(Boolean);
	if (ids2.length > 0) await dockerQuiet('rmi', '-f', ...new Set(ids2));
	if (!args.keep) rmSync(dir, {recursive: true, force: true});
}

// --- How busy the machine is: the same yardsticks before and after, printed beside the results ---

type Calibration = {sha256GBps: number; nodeStartupMs: number; loadAverage: number[]};

async function calibrate(): Promise<Calibration> {
	const chunk = randomFillSync(Buffer.allocUnsafe(MiB));
	const hash = createHash('sha256');
	const started = performance.now();
	for (let i = 0; i < 256; i++) hash.update(chunk);
	hash.digest();
	const sha256GBps = Math.round(((256 * MiB) / 1e9 / ((performance.now() - started) / 1000)) * 100) / 100;
	const startups: number[] = [];
	for (let i = 0; i < 5; i++) startups.push((await run(process.execPath, ['-e', '0'])).wallMs);
	return {sha256GBps, nodeStartupMs: Math.round(median(startups)), loadAverage: loadavg().map(n => Math.round(n * 10) / 10)};
}

// --- Main ---

async function main(): Promise<void> {
	if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm run bench does)`);
	if (process.getuid?.() !== 0) throw new Error('the benchmark needs root (a private dockerd; the minbase fixture)');
	if (args['drop-caches'] && !existsSync('/proc/sys/vm/drop_caches')) throw new Error('--drop-caches: /proc/sys/vm/drop_caches is missing');
	if (!haveTime) progress(`${TIME} is missing (apt-get install time): no CPU or peak RSS figures`);
	const minbase = await minbaseTar();
	const big = args['no-big'] || !wants('big') ? undefined : syntheticLayerTar();
	workDir = mkdtempSync('/var/tmp/strata-bench-');
	const started = new Date();
	progress(`work dir ${workDir}; starting a private dockerd`);
	dockerd = await startDocker();
	try {
		const before = await calibrate();
		dockerdPid = Number(readFileSync(join(dockerd.dir, 'dockerd.pid'), 'utf8').trim());
		const dockerVersion = (await dockerQuiet('version', '--format', '{{.Server.Version}}')).trim();
		const driver = (await dockerQuiet('info', '--format', '{{.Driver}}')).trim();
		if (wants('import') || wants('save') || wants('load')) await archiveCases('minbase', minbase, reps);
		if (big) await archiveCases('1GiB-synthetic', big, bigReps);
		if (wants('images')) await imagesCases();
		report({dockerVersion, driver, before, after: await calibrate(), started, minbase, big});
	} finally {
		await dockerd.stop();
		if (!args.keep) rmSync(workDir, {recursive: true, force: true});
		else progress(`kept ${workDir}`);
	}
}

function report(context: {dockerVersion: string; driver: string; before: Calibration; after: Calibration; started: Date; minbase: string; big?: string}): void {
	const cores = cpus().length;
	const verdict = (row: Row) => (row.pass === undefined ? '' : row.pass ? 'PASS' : 'MISS');
	const out: string[] = [];
	out.push('');
	out.push(`strata vs Docker ${context.dockerVersion} (${context.driver}), medians of ${reps} runs (${bigReps} for 1 GiB); every command a fresh process, spawn to exit`);
	if (args.cli) out.push(`strata build: ${CLI}`);
	out.push(`page cache: ${args['drop-caches'] ? 'dropped before every timed run' : 'warm (not dropped)'}; ${cores} cores`);
	const machine = (when: string, c: Calibration) => `${when}: load average ${c.loadAverage.join(' ')}, sha256 ${c.sha256GBps} GB/s in-process, \`node -e 0\` ${c.nodeStartupMs} ms (NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset'})`;
	out.push(`machine ${machine('before', context.before)}; ${machine('after', context.after)}`);
	if (Math.max(context.before.loadAverage[0]!, context.after.loadAverage[0]!) > cores) {
		out.push(`warning: the machine was busy (load average above ${cores}): wall times are inflated and noisy; compare ratios and CPU, and rerun when quiet`);
	}
	out.push('');
	out.push(
		table(
			['operation', 'strata', 'peer (docker)', 'ratio (strata/peer)', 'target', ''],
			rows.map(row => [row.operation, seconds(row.strata.medianMs), row.peer ? seconds(row.peer.medianMs) : '', row.ratio !== undefined ? `${row.ratio.toFixed(2)}x` : '', row.target ?? '', verdict(row)]),
		),
	);
	for (const row of rows) if (row.peerNote) out.push(`note: ${row.operation}: ${row.peerNote}`);
	out.push('');
	out.push('spread (median, min–max) and CPU (user+sys; Docker: client + dockerd and its untar children)');
	out.push(
		table(
			['operation', 'strata', 'docker', 'strata CPU', 'docker CPU', 'strata MB/s'],
			rows.map(row => [
				row.operation,
				spread(row.strata),
				row.peer ? spread(row.peer) : '',
				row.strata.cpuMedianMs !== undefined ? seconds(row.strata.cpuMedianMs) : '',
				row.peer?.cpuMedianMs !== undefined ? seconds(row.peer.cpuMedianMs) : '',
				row.bytes ? ((row.bytes / 1e6) / (row.strata.medianMs / 1000)).toFixed(0) : '',
			]),
		),
	);
	const rssRows = rows.filter(row => row.bytes && row.strata.maxRssMiB !== undefined);
	const rss: Array<{operation: string; maxRssMiB: number; target?: string; pass?: boolean}> = [];
	if (rssRows.length > 0) {
		out.push('');
		out.push(`peak RSS of strata (max over runs; target <= ${TARGETS.rssMiB} MB for a 1 GB layer)`);
		out.push(
			table(
				['operation', 'peak RSS', 'target', ''],
				rssRows.map(row => {
					const isBig = row.operation.includes('1GiB');
					const entry = {operation: row.operation, maxRssMiB: row.strata.maxRssMiB!, ...(isBig ? {target: `<= ${TARGETS.rssMiB} MB`, pass: row.strata.maxRssMiB! * 1.048576 <= TARGETS.rssMiB} : {})};
					rss.push(entry);
					return [row.operation, `${row.strata.maxRssMiB!.toFixed(1)} MiB`, entry.target ?? '', entry.pass === undefined ? '' : entry.pass ? 'PASS' : 'MISS'];
				}),
			),
		);
	}
	process.stdout.write(`${out.join('\n')}\n`);
	if (args['no-write'] || only || args['no-big'] || args.cli) {
		progress(`partial run or --no-write: ${RESULTS} not written`);
		return;
	}
	const results = {
		date: context.started.toISOString(),
		machine: {cpus: cores, cpuModel: cpus()[0]?.model, memoryMiB: Math.round(totalmem() / MiB), node: process.version, before: context.before, after: context.after},
		docker: {version: context.dockerVersion, storageDriver: context.driver},
		method: {reps, bigReps, pageCache: args['drop-caches'] ? 'dropped before every timed run' : 'warm', timing: 'fresh process per command, spawn to exit; medians'},
		inputs: {minbase: {bytes: statSync(context.minbase).size}, ...(context.big ? {synthetic1GiB: {bytes: statSync(context.big).size}} : {})},
		targets: TARGETS,
		rows: rows.map(row => ({...row, strata: {...row.strata}, peer: row.peer && {...row.peer}})),
		rss,
	};
	mkdirSync(dirname(RESULTS), {recursive: true});
	writeFileSync(RESULTS, `${JSON.stringify(results, null, '\t')}\n`);
	progress(`wrote ${RESULTS}`);
}

await main();
