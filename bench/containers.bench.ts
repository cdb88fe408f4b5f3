// The containers benchmark (issue 4): on the Debian minbase image, strata and Docker 20.10 (a private
// daemon) do the same work in one run: a container that writes 2,000 files and deletes /usr/share/doc,
// then a commit of it; and container start latency (`run --rm IMAGE true`). Prints medians and ratios, and
// writes bench/results/containers.json.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {cpus, loadavg, tmpdir} from 'node:os';
import {join} from 'node:path';
import {startDocker} from '../test/support/docker.js';
import {minbaseTar} from './support/minbase.js';
import {loadAverage, median, nodeStartup, timed} from './support/timing.js';

// STRATA_BENCH_CLI measures another build (a private one) than the shared dist/. STRATA_BENCH_BASELINE_CLI
// (optional) is a second build, say the last commit's, whose commits are timed in the same run on the
// same containers: before and after figures under the same load, next to Docker's.
const cli = process.env.STRATA_BENCH_CLI ?? join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', 'dist', 'cli.js');
const baselineCli = process.env.STRATA_BENCH_BASELINE_CLI;
const reps = Number(process.argv.find(arg => arg.startsWith('--reps='))?.slice(7) ?? 3);
const writeAndDelete = 'mkdir /data && i=0 && while [ $i -lt 2000 ]; do echo "file $i" > /data/f$i; i=$((i+1)); done && rm -rf /usr/share/doc';

async function main(): Promise<void> {
	const tar = await minbaseTar();
	const root = mkdtempSync(join(tmpdir(), 'strata-bench-containers-'));
	const daemon = await startDocker();
	const strata = (...args: string[]) => timed(process.execPath, [cli, '--root', root, ...args]);
	const docker = (...args: string[]) => timed('docker', args, {env: daemon.env});
	try {
		await strata('import', '--change', 'CMD ["bash"]', tar, 'minbase');
		await docker('import', '--change', 'CMD ["bash"]', tar, 'minbase');
		const rows: Array<[string, number[], number[]]> = [];
		// Docker extracts an image's layers when it imports it; strata unpacks an image the first time a
		// container needs it. That first run is timed on its own (no target), then the timed runs find both
		// images ready, as any run after the first does.
		const firstRun = [[await strata('run', '--rm', '--network', 'none', 'minbase', 'true')], [await docker('run', '--rm', '--network', 'none', 'minbase', 'true')]];
		const runs: number[][] = [[], []];
		const commits: number[][] = [[], []];
		const baselineCommits: number[] = [];
		const starts: number[][] = [[], []];
		// Each tool runs its container and commits it right away, as a user would; the tools take turns going
		// first, so that neither always works while the other's aftermath (a daemon cleaning up, dirty pages
		// being written back) is still going on.
		const runThenCommit: Record<'strata' | 'docker', (rep: number) => Promise<void>> = {
			strata: async rep => {
				runs[0].push(await strata('run', '--name', `w${rep}`, '--network', 'none', 'minbase', 'sh', '-c', writeAndDelete));
				// The two builds take turns going first: the second one finds the container's files in the page cache.
				if (baselineCli && rep % 2 === 1) baselineCommits.push(await timed(process.execPath, [baselineCli, '--root', root, 'commit', `w${rep}`, `baseline:${rep}`]));
				commits[0].push(await strata('commit', `w${rep}`, `written:${rep}`));
				if (baselineCli && rep % 2 === 0) baselineCommits.push(await timed(process.execPath, [baselineCli, '--root', root, 'commit', `w${rep}`, `baseline:${rep}`]));
			},
			docker: async rep => {
				runs[1].push(await docker('run', '--name', `w${rep}`, '--network', 'none', 'minbase', 'sh', '-c', writeAndDelete));
				commits[1].push(await docker('commit', `w${rep}`, `written:${rep}`));
			},
		};
		for (let rep = 0; rep < reps; rep++) {
			for (const tool of rep % 2 === 0 ? (['strata', 'docker'] as const) : (['docker', 'strata'] as const)) await runThenCommit[tool](rep);
		}
		for (let rep = 0; rep < reps + 2; rep++) {
			starts[0].push(await strata('run', '--rm', '--network', 'none', 'minbase', 'true'));
			starts[1].push(await docker('run', '--rm', '--network', 'none', 'minbase', 'true'));
		}
		rows.push(['first run after import (strata unpacks the image)', firstRun[0]!, firstRun[1]!]);
		rows.push(['run: write 2,000 files, rm -rf /usr/share/doc', runs[0], runs[1]]);
		rows.push(['commit of that container', commits[0], commits[1]]);
		if (baselineCli) rows.push(['commit, baseline build', baselineCommits, commits[1]]);
		rows.push(['run --rm minbase true (start latency)', starts[0], starts[1]]);
		const startup = await nodeStartup();
		console.log(`\ncontainers benchmark, medians of ${reps}+ fresh processes (load average ${loadAverage()}; \`node -e 0\` ${startup.nodeStartupMs} ms, NODE_EXTRA_CA_CERTS ${startup.extraCaCerts ? 'set' : 'unset'})`);
		console.log('operation | strata | docker | ratio (strata/docker) | target');
		const results = rows.map(([name, ours, theirs]) => {
			const ratio = median(ours) / median(theirs);
			const timedOnce = name.startsWith('first run');
			const pass = timedOnce ? undefined : ratio <= 1 && (!name.startsWith('commit') || median(ours) < 500);
			const target = timedOnce ? 'no target' : name.startsWith('commit') ? `≤ 1x, and < 500 ms: ${pass ? 'PASS' : 'MISS'}` : `≤ 1x: ${pass ? 'PASS' : 'MISS'}`;
			console.log(`${name} | ${median(ours).toFixed(0)} ms | ${median(theirs).toFixed(0)} ms | ${ratio.toFixed(2)}x | ${target}`);
			console.log(`  samples: strata ${ours.map(ms => ms.toFixed(0)).join(' ')}; docker ${theirs.map(ms => ms.toFixed(0)).join(' ')}`);
			return {operation: name, samplesMs: {strata: ours.map(Math.round), docker: theirs.map(Math.round)}, ratio: Math.round(ratio * 100) / 100, pass};
		});
		// A baseline build's figures are for comparing builds, not for the record.
		if (!baselineCli && !process.env.STRATA_BENCH_CLI) {
			const record = {date: new Date().toISOString(), machine: {cpus: cpus().length, loadAverageAfter: loadavg().map(value => Math.round(value * 100) / 100), node: process.version, ...startup}, reps, rows: results};
			writeFileSync(new URL('results/containers.json', import.meta.url), `${JSON.stringify(record, null, '\t')}\n`);
		}
	} finally {
		await timed(process.execPath, [cli, '--root', root, 'container', 'prune', '-f']).catch(() => 0);
		await daemon.stop();
		rmSync(root, {recursive: true, force: true});
	}
}

await main();
