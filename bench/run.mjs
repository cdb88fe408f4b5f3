#!/usr/bin/env node
// `npm run bench` (after the build): the store benchmark, strata against a private Docker 20.10 daemon.
// Arguments go through: `npm run bench -- --reps 3 --no-big`. TypeScript runs through tsx, as in the tests.
import {spawnSync} from 'node:child_process';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'store.bench.ts'), ...process.argv.slice(2)], {
	stdio: 'inherit',
	cwd: join(here, '..'),
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);
