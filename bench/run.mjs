#!/usr/bin/env node
// `npm run bench` (after the build): the store benchmark, strata against a private Docker 20.10 daemon.
// Arguments go through: `npm run bench -- --reps 3 --no-big`. TypeScript runs through tsx, as in the tests.
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

// `npm run bench -- containers` runs only the benchmarks whose name is given (store, containers, tui, build).
const here = dirname(fileURLToPath(import.meta.url));
const names = ['store', 'containers', 'tui', 'build'];
const args = process.argv.slice(2);
const chosen = names.filter(name => args.includes(name));
const rest = args.filter(arg => !names.includes(arg));
let status = 0;
for (const name of chosen.length > 0 ? chosen : names) {
	const file = join(here, `${name}.bench.ts`);
	if (!existsSync(file)) continue;
	const result = spawnSync(process.execPath, ['--import', 'tsx', file, ...rest], {stdio: 'inherit', cwd: join(here, '..')});
	if (result.error) throw result.error;
	status ||= result.status ?? 1;
}
process.exit(status);
