// The build benchmark (issue 5, point 7): `strata build` against `docker build` (Docker 20.10's classic
// builder, a private daemon) and `buildah bud --isolation chroot --layers` (a private storage root), on
// the same contexts in one run, on the same busybox image loaded into all three:
//   app     5,000 small files (and a .dockerignore leaving out .git, logs, tmp/), a 6-step Dockerfile
//   stages  a 3-stage build: two independent stages that COPY 2,500 files and RUN, a final one that
//           COPY --froms both
// Each is built cold (`--no-cache`, for all three tools), rebuilt with nothing changed (all cache hits),
// and rebuilt after one copied file's content changed. Medians of --reps rounds (default 3), fresh
// processes, spawn to exit; the tools take turns at going first. strata runs as its CLI, as a user runs it
// (STRATA_BENCH_CLI names another build than dist/cli.js). Writes bench/results/build.json.
//
//   npm run bench -- build [--reps 5] [--only app,stages] [--no-write]
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {cpus, loadavg, tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {startDocker} from '../test/support/docker.js';
import {loadBusyboxIntoDocker} from '../test/support/busybox.js';
import {changeOneFile, writeAppContext, writeStagesContext, type BenchContext} from './support/build-contexts.js';
import {privateBuildah} from './support/buildah.js';
import {removeTree} from './support/minbase.js';
import {loadAverage, median, timed} from './support/timing.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = join(REPO_ROOT, 'bench', 'results', 'build.json');
const CLI = process.env.STRATA_BENCH_CLI ?? join(REPO_ROOT, 'dist', 'cli.js');

const {values: args} = parseArgs({
	options: {
		reps: {type: 'string', default: '3'},
		only: {type: 'string'},
		'no-write': {type: 'boolean', default: false},
	},
	strict: false,
});
const reps = Number(args.reps);
if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps: not a positive whole number: ${String(args.reps)}`);
const only = typeof args.only === 'string' ? new Set(args.only.split(',')) : undefined;

type Phase = 'cold' | 'no-op' | 'one-file';
type Tool = 'strata' | 'docker' | 'buildah';
const PHASES: Phase[] = ['cold', 'no-op', 'one-file'];
const TOOLS: Tool[] = ['strata', 'docker', 'buildah'];
/** strata's time as a fraction of Docker's, at most. */
const TARGETS: Record<Phase, number> = {cold: 1, 'no-op': 0.3, 'one-file': 0.5};

/** Builds `context` tagged `tag` (`--no-cache` when cold) and resolves with the image ID it wrote. */
type Builder = (context: BenchContext, tag: string, noCache: boolean) => Promise<{ms: number; id: string}>;

interface Row {
	context: string;
	phase: Phase;
	samplesMs: Record<Tool, number[]>;
}

async function main(): Promise<void> {
	const work = mkdtempSync(join(tmpdir(), 'strata-bench-build-'));
	const daemon = await startDocker();
	const buildah = await privateBuildah(join(work, 'buildah'));
	try {
		progress('loading the busybox image into strata, docker and buildah');
		const strataRoot = join(work, 'strata');
		await loadBusyboxIntoDocker(daemon);
		const baseArchive = join(work, 'busybox-docker-save.tar');
		await daemon.docker(['save', '-o', baseArchive, 'busybox:latest'], {check: true});
		await timed(process.execPath, [CLI, '--root', strataRoot, 'load', '-i', baseArchive]);
		await buildah.buildah(['pull', `docker-archive:${baseArchive}`]);

		const iidfile = join(work, 'iid');
		const readId = () => readFileSync(iidfile, 'utf8').trim();
		const builders: Record<Tool, Builder> = {
			strata: async (context, tag, noCache) => {
				const ms = await timed(process.execPath, [CLI, '--root', strataRoot, 'build', ...(noCache ? ['--no-cache'] : []), '--iidfile', iidfile, '-t', tag, context.dir]);
				return {ms, id: readId()};
			},
			docker: async (context, tag, noCache) => {
				// DOCKER_BUILDKIT=0: the classic builder, which is what a 20.10 daemon without buildx runs.
				const env = {...daemon.env, DOCKER_BUILDKIT: '0'};
				const ms = await timed('docker', ['build', ...(noCache ? ['--no-cache'] : []), '--iidfile', iidfile, '-t', tag, context.dir], {env});
				return {ms, id: readId()};
			},
			buildah: async (context, tag, noCache) => {
				const options = ['--isolation', 'chroot', '--layers', '--pull=never', ...(noCache ? ['--no-cache'] : []), '--iidfile', iidfile, '-t', tag];
				const ms = await timed('buildah', [...buildah.globalArgs, 'bud', ...options, context.dir]);
				return {ms, id: readId()};
			},
		};

		const contexts: Array<[string, (dir: string) => BenchContext]> = [
			['app', writeAppContext],
			['stages', writeStagesContext],
		];
		const rows: Row[] = [];
		const inputs: Record<string, {copiedFiles: number; steps: number}> = {};
		for (const [name, write] of contexts) {
			if (only && !only.has(name)) continue;
			const context = write(join(work, `context-${name}`));
			inputs[name] = {copiedFiles: context.copiedFiles, steps: context.steps};
			rows.push(...(await measure(name, context, builders)));
		}
		report(rows, inputs);
	} finally {
		await buildah.clear();
		await daemon.stop();
		removeTree(work);
	}
}

/** `reps` rounds of cold, no-op and one-file-change builds of one context by every tool. */
async function measure(name: string, context: BenchContext, builders: Record<Tool, Builder>): Promise<Row[]> {
	const samples = Object.fromEntries(PHASES.map(phase => [phase, Object.fromEntries(TOOLS.map(tool => [tool, [] as number[]]))])) as Record<Phase, Record<Tool, number[]>>;
	const tag = `bench-${name}:latest`;
	// The images each tool built from the context as it is now: a no-op rebuild must give one of them (the
	// cold build's, or the last round's one-file rebuild's, which had the same files), a one-file rebuild none.
	let built = new Map<Tool, Set<string>>(TOOLS.map(tool => [tool, new Set<string>()]));
	for (let round = 0; round < reps; round++) {
		// Each round a different tool goes first, so that none always meets the page cache cold.
		const order = TOOLS.map((_, index) => TOOLS[(index + round) % TOOLS.length]!);
		for (const tool of order) {
			progress(`${name} round ${round + 1}/${reps}: ${tool} cold`);
			const {ms, id} = await builders[tool](context, tag, true);
			samples.cold[tool].push(ms);
			built.get(tool)!.add(id);
		}
		for (const tool of order) {
			progress(`${name} round ${round + 1}/${reps}: ${tool} no-op rebuild`);
			const {ms, id} = await builders[tool](context, tag, false);
			// A no-op rebuild that wrote another image was no cache hit: its time would mean nothing.
			if (!built.get(tool)!.has(id)) throw new Error(`${tool}'s no-op rebuild of ${name} made ${id}, an image it had not built from these files`);
			samples['no-op'][tool].push(ms);
		}
		changeOneFile(context, round);
		const before = built;
		built = new Map(TOOLS.map(tool => [tool, new Set<string>()]));
		for (const tool of order) {
			progress(`${name} round ${round + 1}/${reps}: ${tool} one-file-change rebuild`);
			const {ms, id} = await builders[tool](context, tag, false);
			if (before.get(tool)!.has(id)) throw new Error(`${tool}'s rebuild of ${name} after ${context.changedFile} changed made the same image`);
			samples['one-file'][tool].push(ms);
			built.get(tool)!.add(id);
		}
	}
	return PHASES.map(phase => ({context: name, phase, samplesMs: samples[phase]}));
}

function report(rows: Row[], inputs: Record<string, {copiedFiles: number; steps: number}>): void {
	const lines = [
		`\nbuild benchmark: medians of ${reps} rounds, fresh processes (load average ${loadAverage()}; ${cpus().length} cores)`,
		'context, build | strata | docker | buildah | strata/docker | strata/buildah | target (vs docker)',
	];
	const results = rows.map(row => {
		const medians = Object.fromEntries(TOOLS.map(tool => [tool, Math.round(median(row.samplesMs[tool]))])) as Record<Tool, number>;
		const ratio = {docker: medians.strata / medians.docker, buildah: medians.strata / medians.buildah};
		const pass = ratio.docker <= TARGETS[row.phase];
		const label = `${row.context} (${inputs[row.context]!.copiedFiles} files, ${inputs[row.context]!.steps} steps), ${row.phase}`;
		lines.push(
			`${label} | ${seconds(medians.strata)} | ${seconds(medians.docker)} | ${seconds(medians.buildah)} | ${ratio.docker.toFixed(2)}x | ${ratio.buildah.toFixed(2)}x | ≤ ${TARGETS[row.phase].toFixed(1)}x ${pass ? 'PASS' : 'MISS'}`,
		);
		return {...row, mediansMs: medians, ratio: {docker: round2(ratio.docker), buildah: round2(ratio.buildah)}, target: TARGETS[row.phase], pass};
	});
	console.log(lines.join('\n'));
	if (args['no-write']) return;
	const record = {
		date: new Date().toISOString(),
		machine: {cpus: cpus().length, loadAverageAfter: loadavg().map(round2), node: process.version},
		method: {reps, cold: '--no-cache for all three tools', docker: 'classic builder (DOCKER_BUILDKIT=0)', buildah: 'bud --isolation chroot --layers, overlay storage', timing: 'fresh process per build, spawn to exit; medians'},
		inputs,
		rows: results,
	};
	writeFileSync(RESULTS, `${JSON.stringify(record, null, '\t')}\n`);
	console.log(`written: ${RESULTS}`);
}

function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(2)} s`;
}

function round2(value: number): number {
	return Math.round(value * 100) / 100;
}

function progress(message: string): void {
	process.stderr.write(`bench: ${message}\n`);
}

await main();
