// The TUI's speed and memory (a benchmark, not a test: it prints numbers and writes bench/results/tui.json).
//
//   first frame   1,000 images in the store: from starting the TUI to the images table with its rows
//   tree open     the Debian minbase image (bench/support/minbase.ts, ~6,700 paths): from `l` in the
//                 images pane to the layer tree's first frame
//   key latency   scrolling that tree: from `j` to the frame it causes
//   peak RSS      of the TUI process (VmHWM), with 1,000 images, and with the minbase tree open and scrolled
//
// Each is measured two ways:
//   - in process: App rendered with ink-testing-library (React's production build, as the CLI runs it),
//     modules already loaded; a key's time is from stdin.write to the frame written;
//   - end to end: the built CLI (dist/cli.js) in a pseudo-terminal (`script`), 100×30; a frame's time is
//     when its text has arrived on the terminal, so Node's and the modules' start-up count for the
//     first frame, and a key's time runs to the first output after it.
// The targets apply to what a user waits for: first frame (in process) < 300 ms, tree open < 500 ms,
// key latency < 30 ms, peak RSS (end to end) < 150 MB. The machine may be shared: the load average
// before and after, and each measurement's CPU time, are in the output.
//
//   npm run bench                                   # all the benchmarks (bench/run.mjs)
//   node --import tsx bench/tui.bench.ts [--reps 5] [--keys 40] [--no-write] [--cli other/dist/cli.js]
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {cpus, loadavg, tmpdir, totalmem} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {Store} from '../source/engine/store/store.js';
import {minbaseTar} from './support/minbase.js';
import {IMAGE_COUNT, seedThousandImages} from './support/seed-images.js';

// As the CLI does for the TUI (cli.tsx), before React loads (it is imported below, dynamically). CI would
// make Ink draw only the last frame; colours on, as in a terminal.
process.env.NODE_ENV ??= 'production';
delete process.env.CI;
process.env.FORCE_COLOR ??= '1';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = join(REPO_ROOT, 'bench', 'results', 'tui.json');
const MiB = 1024 * 1024;
const MINBASE_REF = 'bench/debian:bookworm-minbase';
const COLUMNS = 100;
const ROWS = 30;

const TARGETS = {firstFrameMs: 300, treeOpenMs: 500, keyLatencyMs: 30, rssMiB: 150};

const {values: args} = parseArgs({
	options: {
		reps: {type: 'string', default: '5'},
		keys: {type: 'string', default: '40'},
		'no-write': {type: 'boolean', default: false},
		keep: {type: 'boolean', default: false},
		cli: {type: 'string'},
	},
	// bench/run.mjs hands every benchmark the same arguments; the store benchmark's are not ours.
	strict: false,
});
const CLI = typeof args.cli === 'string' ? resolve(args.cli) : join(REPO_ROOT, 'dist', 'cli.js');
const reps = Math.max(1, Number(args.reps));
const keyCount = Math.max(5, Number(args.keys));

const sleep = (milliseconds: number) => new Promise(done => setTimeout(done, milliseconds));
const immediate = () => new Promise(done => setImmediate(done));
const plain = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\x1b[=>78]/g, '');

function progress(message: string): void {
	process.stderr.write(`bench: ${message}\n`);
}

type Summary = {medianMs: number; minMs: number; maxMs: number; p95Ms?: number; samplesMs: number[]; cpuMedianMs?: number};

function summarize(samples: number[], cpu?: number[]): Summary {
	const sorted = [...samples].sort((a, b) => a - b);
	const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
	const median = sorted.length % 2 === 1 ? sorted[sorted.length >> 1]! : (sorted[(sorted.length >> 1) - 1]! + sorted[sorted.length >> 1]!) / 2;
	const round = (value: number) => Math.round(value * 10) / 10;
	const summary: Summary = {medianMs: round(median), minMs: round(sorted[0]!), maxMs: round(sorted.at(-1)!), samplesMs: samples.map(round)};
	if (samples.length >= 10) summary.p95Ms = round(at(0.95));
	if (cpu && cpu.length > 0) summary.cpuMedianMs = round([...cpu].sort((a, b) => a - b)[cpu.length >> 1]!);
	return summary;
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
const verdict = (value: number, target: number) => (value < target ? `✓ < ${target}` : `✗ ≥ ${target}`);

// --- The stores ---

/** The minbase rootfs imported by the CLI, as a user would. */
async function importMinbase(root: string): Promise<number> {
	const tar = await minbaseTar();
	const started = performance.now();
	await new Promise<void>((done, fail) => {
		const child = spawn(process.execPath, [CLI, 'import', tar, MINBASE_REF], {env: {...process.env, STRATA_ROOT: root}, stdio: ['ignore', 'ignore', 'pipe']});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
		child.once('error', fail);
		child.once('close', code => (code === 0 ? done() : fail(new Error(`strata import ${tar}: exit ${code}\n${stderr}`))));
	});
	return performance.now() - started;
}

// --- In process (ink-testing-library) ---

type InProcessResults = {
	firstFrame: Summary;
	treeOpen: Summary;
	keyLatency: Summary;
	keyLatencyPageDown: Summary;
	maxRssMiB: number;
};

async function inProcess(thousandRoot: string, minbaseRoot: string): Promise<InProcessResults> {
	const React = await import('react');
	const {render} = await import('ink-testing-library');
	const {App} = await import('../source/tui/App.js');
	type View = ReturnType<typeof render>;

	const frameOf = (view: View) => plain(view.lastFrame() ?? '');
	const until = async (view: View, predicate: (frame: string) => boolean, what: string, timeoutMs = 30_000) => {
		const started = performance.now();
		while (!predicate(frameOf(view))) {
			if (performance.now() - started > timeoutMs) throw new Error(`in process: timed out waiting for ${what}; the frame:\n${frameOf(view)}`);
			await immediate();
		}
	};
	/** Wall and CPU ms from writing `key` to the next frame (undefined: no frame within 1 s). */
	const keyTime = async (view: View, key: string) => {
		const frames = view.frames.length;
		const cpuBefore = process.cpuUsage();
		const started = performance.now();
		view.stdin.write(key);
		while (view.frames.length === frames && performance.now() - started < 1000) await immediate();
		const wall = performance.now() - started;
		const cpu = process.cpuUsage(cpuBefore);
		// Let effects that follow the frame finish before the next key.
		for (let turn = 0; turn < 5; turn++) await immediate();
		await sleep(5);
		return view.frames.length === frames ? undefined : {wall, cpu: (cpu.user + cpu.system) / 1000};
	};
	const app = (store: Store) => React.createElement(App, {version: 'bench', store, watchStore: false});

	// First frame with 1,000 images: the store opened and the catalog read, then the table with its rows.
	const firstFrames: number[] = [];
	const firstFramesCpu: number[] = [];
	for (let rep = 0; rep < reps + 1; rep++) {
		const cpuBefore = process.cpuUsage();
		const started = performance.now();
		const store = await Store.open(thousandRoot);
		const view = render(app(store));
		await until(view, frame => /bench\/images +\d+ /.test(frame), 'the images table');
		const wall = performance.now() - started;
		const cpu = process.cpuUsage(cpuBefore);
		// The first render also loads code paths once: reported apart (rep 0), not in the median.
		if (rep > 0) {
			firstFrames.push(wall);
			firstFramesCpu.push((cpu.user + cpu.system) / 1000);
		} else progress(`in process: first frame (1,000 images), first render of the process: ${ms(wall)}`);
		view.unmount();
		await sleep(20);
	}

	// The minbase layer tree: `l` on the image, to the tree's first frame; then j in the tree.
	const opens: number[] = [];
	const opensCpu: number[] = [];
	const keys: number[] = [];
	const keysCpu: number[] = [];
	const pageDowns: number[] = [];
	for (let rep = 0; rep < reps; rep++) {
		const store = await Store.open(minbaseRoot);
		const view = render(app(store));
		await until(view, frame => frame.includes('bench/debian'), 'the minbase image in the table');
		await sleep(50);
		const cpuBefore = process.cpuUsage();
		const started = performance.now();
		view.stdin.write('l');
		await until(view, frame => /changes of layer 0 · [\d,]+ rows/.test(frame) && /[├└]── /.test(frame), 'the layer tree');
		const wall = performance.now() - started;
		const cpu = process.cpuUsage(cpuBefore);
		opens.push(wall);
		opensCpu.push((cpu.user + cpu.system) / 1000);
		if (rep === 0) {
			// Focus the file tree, then scroll it.
			await keyTime(view, '\t');
			for (let index = 0; index < keyCount; index++) {
				const time = await keyTime(view, 'j');
				if (time) {
					keys.push(time.wall);
					keysCpu.push(time.cpu);
				}
			}
			for (let index = 0; index < 10; index++) {
				const time = await keyTime(view, '\x1b[6~');
				if (time) pageDowns.push(time.wall);
			}
		}
		view.unmount();
		await sleep(20);
	}
	return {
		firstFrame: summarize(firstFrames, firstFramesCpu),
		treeOpen: summarize(opens, opensCpu),
		keyLatency: summarize(keys, keysCpu),
		keyLatencyPageDown: summarize(pageDowns),
		maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
	};
}

// --- End to end: the built CLI in a pseudo-terminal ---

/** `strata` (the TUI) in a pty made by util-linux `script`, 100×30, its output collected as it arrives. */
class PtyTui {
	private readonly child;
	private output = '';
	private chunks: Array<{at: number; text: string}> = [];
	private exited = false;
	readonly started = performance.now();

	constructor(root: string) {
		const command = `stty cols ${COLUMNS} rows ${ROWS} && exec ${[process.execPath, CLI].map(word => `'${word}'`).join(' ')}`;
		const env: NodeJS.ProcessEnv = {...process.env, STRATA_ROOT: root, TERM: 'xterm-256color', STRATA_CONFIG_DIR: join(root, '..', 'config')};
		delete env.CI;
		delete env.NODE_ENV;
		delete env.FORCE_COLOR;
		this.child = spawn('script', ['-qfec', command, '/dev/null'], {env, stdio: ['pipe', 'pipe', 'pipe']});
		this.child.stdout.on('data', (chunk: Buffer) => {
			const text = chunk.toString('utf8');
			this.output += text;
			this.chunks.push({at: performance.now(), text});
		});
		this.child.once('close', () => (this.exited = true));
	}

	/** Output since `since` (ms, performance.now()) as plain text. */
	textSince(since: number): string {
		return plain(
			this.chunks
				.filter(chunk => chunk.at >= since)
				.map(chunk => chunk.text)
				.join(''),
		);
	}

	/** When output after `since` first satisfies `predicate` (the time of the chunk that completed it). */
	async waitFor(since: number, predicate: (text: string) => boolean, what: string, timeoutMs = 30_000): Promise<number> {
		const deadline = performance.now() + timeoutMs;
		for (;;) {
			let text = '';
			for (const chunk of this.chunks) {
				if (chunk.at < since) continue;
				text += plain(chunk.text);
				if (predicate(text)) return chunk.at;
			}
			if (this.exited) throw new Error(`end to end: strata exited while waiting for ${what}:\n${plain(this.output).slice(-2000)}`);
			if (performance.now() > deadline) throw new Error(`end to end: timed out waiting for ${what}; the last output:\n${plain(this.output).slice(-2000)}`);
			await sleep(2);
		}
	}

	/** When the first output came (the TUI switching to the alternate screen: its modules are loaded). */
	firstOutputAt(): number | undefined {
		return this.chunks[0]?.at;
	}

	/** Writes a key; resolves with the time of the first output after it. */
	async key(key: string, timeoutMs = 2000): Promise<number | undefined> {
		const before = this.chunks.length;
		const started = performance.now();
		this.child.stdin.write(key);
		while (this.chunks.length === before) {
			if (performance.now() - started > timeoutMs) return undefined;
			await sleep(0.5);
		}
		return this.chunks[before]!.at - started;
	}

	write(text: string): void {
		this.child.stdin.write(text);
	}

	/** The TUI process (script's child, which exec'd node). */
	pid(): number {
		const scriptPid = this.child.pid!;
		const children = readFileSync(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8').trim().split(/\s+/).map(Number);
		return children[0]!;
	}

	/** Peak RSS (VmHWM) of the TUI process so far, MiB. */
	peakRssMiB(): number {
		const status = readFileSync(`/proc/${this.pid()}/status`, 'utf8');
		const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
		return Math.round((kib / 1024) * 10) / 10;
	}

	async quit(): Promise<void> {
		if (this.exited) return;
		this.child.stdin.write('q');
		const deadline = performance.now() + 10_000;
		while (!this.exited && performance.now() < deadline) await sleep(20);
		if (!this.exited) this.child.kill('SIGKILL');
	}
}

type EndToEndResults = {
	nodeStartup: Summary;
	firstOutput: Summary;
	firstFrame: Summary;
	treeOpen: Summary;
	keyLatency: Summary;
	rssMiB: {thousandImages: number; minbaseTree: number};
};

/** `node dist/cli.js --version`: Node's own start-up and the CLI's entry, for scale. */
async function nodeStartup(): Promise<number> {
	const started = performance.now();
	await new Promise<void>((done, fail) => {
		const child = spawn(process.execPath, [CLI, '--version'], {stdio: 'ignore'});
		child.once('error', fail);
		child.once('close', () => done());
	});
	return performance.now() - started;
}

async function endToEnd(thousandRoot: string, minbaseRoot: string): Promise<EndToEndResults> {
	const startups: number[] = [];
	for (let rep = 0; rep < reps; rep++) startups.push(await nodeStartup());

	const firstFrames: number[] = [];
	const firstOutputs: number[] = [];
	let thousandRss = 0;
	for (let rep = 0; rep < reps; rep++) {
		const tui = new PtyTui(thousandRoot);
		try {
			const at = await tui.waitFor(tui.started, text => /bench\/images +\d+ /.test(text) && text.includes('REPOSITORY'), 'the images table');
			firstFrames.push(at - tui.started);
			firstOutputs.push(tui.firstOutputAt()! - tui.started);
			// Page through the table and back, then read the peak.
			await sleep(300);
			for (const key of ['G', 'g', '\x1b[6~', '\x1b[6~', 'g']) {
				await tui.key(key);
				await sleep(30);
			}
			await sleep(200);
			thousandRss = Math.max(thousandRss, tui.peakRssMiB());
		} finally {
			await tui.quit();
		}
	}

	const opens: number[] = [];
	const keys: number[] = [];
	let minbaseRss = 0;
	for (let rep = 0; rep < reps; rep++) {
		const tui = new PtyTui(minbaseRoot);
		try {
			await tui.waitFor(tui.started, text => text.includes('bench/debian'), 'the minbase image in the table');
			await sleep(300);
			const pressed = performance.now();
			tui.write('l');
			const at = await tui.waitFor(pressed, text => /changes of layer 0 · [\d,]+ rows/.test(text) && /[├└]── /.test(text), 'the layer tree');
			opens.push(at - pressed);
			await sleep(300);
			if (rep === 0) {
				await tui.key('\t');
				await sleep(100);
				for (let index = 0; index < keyCount; index++) {
					const latency = await tui.key('j');
					if (latency !== undefined) keys.push(latency);
					// Ink draws at most 30 frames a second: keys further apart than that each get their own frame.
					await sleep(60);
				}
			}
			await sleep(200);
			minbaseRss = Math.max(minbaseRss, tui.peakRssMiB());
		} finally {
			await tui.quit();
		}
	}
	return {
		nodeStartup: summarize(startups),
		firstOutput: summarize(firstOutputs),
		firstFrame: summarize(firstFrames),
		treeOpen: summarize(opens),
		keyLatency: summarize(keys),
		rssMiB: {thousandImages: thousandRss, minbaseTree: minbaseRss},
	};
}

// --- Main ---

async function main(): Promise<void> {
	if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm run bench does)`);
	const loadBefore = loadavg().map(value => Math.round(value * 100) / 100);
	const started = new Date();
	const work = mkdtempSync(join(tmpdir(), 'strata-tui-bench-'));
	try {
		mkdirSync(join(work, 'config'));
		const thousandRoot = join(work, 'thousand');
		const minbaseRoot = join(work, 'minbase');
		progress(`seeding ${IMAGE_COUNT} images`);
		await seedThousandImages(thousandRoot);
		progress('importing the minbase rootfs (built once by bench/support/minbase.ts, then cached)');
		const importMs = await importMinbase(minbaseRoot);
		progress(`  imported in ${ms(importMs)}`);

		progress('in process (ink-testing-library)');
		const inside = await inProcess(thousandRoot, minbaseRoot);
		progress('end to end (dist/cli.js in a pty)');
		const outside = await endToEnd(thousandRoot, minbaseRoot);
		const loadAfter = loadavg().map(value => Math.round(value * 100) / 100);

		const line = (label: string, value: string, target = '') => console.log(`  ${label.padEnd(52)} ${value.padEnd(50)} ${target}`);
		const describe = (summary: Summary) =>
			`${ms(summary.medianMs)} median (${ms(summary.minMs)}–${ms(summary.maxMs)}${summary.p95Ms !== undefined ? `, p95 ${ms(summary.p95Ms)}` : ''})${summary.cpuMedianMs !== undefined ? ` · cpu ${ms(summary.cpuMedianMs)}` : ''}`;
		console.log(`\nstrata TUI benchmark · ${cpus().length} CPUs · load average ${loadBefore.join(' ')} before, ${loadAfter.join(' ')} after · ${process.version}`);
		console.log('in process (modules loaded; App in ink-testing-library, 100 columns):');
		line('first frame, 1,000 images', describe(inside.firstFrame), verdict(inside.firstFrame.medianMs, TARGETS.firstFrameMs));
		line('open the layer tree, minbase (l)', describe(inside.treeOpen), verdict(inside.treeOpen.medianMs, TARGETS.treeOpenMs));
		line(`key j → frame, scrolling that tree (${inside.keyLatency.samplesMs.length})`, describe(inside.keyLatency), verdict(inside.keyLatency.medianMs, TARGETS.keyLatencyMs));
		line('key PgDn → frame, same tree', describe(inside.keyLatencyPageDown));
		line('peak RSS of this process (tsx, harness, both stores)', `${inside.maxRssMiB} MiB (not the TUI alone: see below)`);
		console.log(`end to end (node ${CLI.replace(REPO_ROOT + '/', '')} in a ${COLUMNS}×${ROWS} pty):`);
		line('node dist/cli.js --version (start-up, for scale)', describe(outside.nodeStartup));
		line('spawn → first output (modules loaded, alternate screen)', describe(outside.firstOutput));
		line('spawn → first frame, 1,000 images', describe(outside.firstFrame));
		line('l → layer tree on the terminal, minbase', describe(outside.treeOpen), verdict(outside.treeOpen.medianMs, TARGETS.treeOpenMs));
		line(`j → first output, scrolling that tree (${outside.keyLatency.samplesMs.length})`, describe(outside.keyLatency), verdict(outside.keyLatency.medianMs, TARGETS.keyLatencyMs));
		line('peak RSS, 1,000 images, paged through', `${outside.rssMiB.thousandImages} MiB`, verdict(outside.rssMiB.thousandImages, TARGETS.rssMiB));
		line('peak RSS, minbase tree open and scrolled', `${outside.rssMiB.minbaseTree} MiB`, verdict(outside.rssMiB.minbaseTree, TARGETS.rssMiB));

		if (args['no-write'] || args.cli) {
			progress(`--no-write or --cli: ${RESULTS} not written`);
			return;
		}
		const results = {
			date: started.toISOString(),
			machine: {cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryMiB: Math.round(totalmem() / MiB), node: process.version, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter},
			method: {
				reps,
				keys: keyCount,
				inProcess: 'App in ink-testing-library (100 columns), NODE_ENV=production, modules loaded; first frame = Store.open + render until the table has rows (first render of the process excluded)',
				endToEnd: `dist/cli.js in a ${COLUMNS}×${ROWS} pty (util-linux script); times to the output chunk that completes the expected text; peak RSS = VmHWM`,
			},
			inputs: {images: IMAGE_COUNT, minbase: MINBASE_REF, minbaseImportMs: Math.round(importMs)},
			targets: TARGETS,
			inProcess: inside,
			endToEnd: outside,
		};
		mkdirSync(dirname(RESULTS), {recursive: true});
		writeFileSync(RESULTS, `${JSON.stringify(results, null, '\t')}\n`);
		progress(`wrote ${RESULTS}`);
	} finally {
		if (args.keep) progress(`kept ${work}`);
		else rmSync(work, {recursive: true, force: true});
	}
}

await main();
