#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's test runner (tsx for TypeScript). Node 20's --test takes no
// globs, so the files are listed here. `node test/run.mjs store` runs only files whose path has "store".
import {spawnSync} from 'node:child_process';
import {readdirSync} from 'node:fs';
import {join} from 'node:path';

function listTests(dir) {
	return readdirSync(dir, {withFileTypes: true}).flatMap(entry => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : listTests(path);
		return entry.name.endsWith('.test.ts') || entry.name.endsWith('.test.tsx') ? [path] : [];
	});
}

const filters = process.argv.slice(2);
const files = listTests('test')
	.filter(file => filters.length === 0 || filters.some(filter => file.includes(filter)))
	.sort();
const result = spawnSync(
	process.execPath,
	['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
	{stdio: 'inherit'},
);
process.exit(result.status ?? 1);
