#!/usr/bin/env node
// `npm run build` (after tsc's type check): bundles strata with esbuild into dist/, because start-up is
// most of a small command's time and loading ~150 modules one by one (plus node_modules) was most of
// start-up. Two bundles, both ESM:
//  - dist/cli.js, the bin, split into chunks along the dynamic imports (each CLI command's module, the
//    TUI), so a command loads its own code and never Ink/React; the chunks sit beside it in dist/;
//  - dist/supervisor.js, one self-contained file with only what a container's supervisor needs, since
//    every container start waits for it to load.
// Everything is flat in dist/, so `./supervisor.js` from the launching code and the package root one
// level up (package.json, demo/) are found the same way from any chunk. `--outdir DIR` builds elsewhere
// (a private build: `node scripts/build.mjs --outdir .mine-dist`).
import {chmod, rm} from 'node:fs/promises';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdirArgument = process.argv.indexOf('--outdir');
const outdir = resolve(root, outdirArgument === -1 ? 'dist' : process.argv[outdirArgument + 1]);

// Bundled CommonJS dependencies (react, commander...) call require() for Node's built-ins; ESM output
// has no require, so each output file gets one.
const requireShim = "import {createRequire as __strataCreateRequire} from 'node:module';\nconst require = __strataCreateRequire(import.meta.url);";

const common = {
	absWorkingDir: root,
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	banner: {js: requireShim},
	// Ink loads it only under DEV=true (React DevTools); it is not installed.
	external: ['react-devtools-core'],
	logLevel: 'warning',
	legalComments: 'none',
};

await rm(outdir, {recursive: true, force: true});
await Promise.all([
	build({...common, entryPoints: {cli: 'cli.tsx'}, outdir, splitting: true, chunkNames: '[name]-[hash]'}),
	build({...common, entryPoints: {supervisor: 'source/engine/runtime/supervisor.ts'}, outdir}),
]);
await chmod(join(outdir, 'cli.js'), 0o755);
