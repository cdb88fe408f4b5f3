#!/usr/bin/env node
// `npm run build` (after tsc's type check): bundles strata with esbuild into dist/, because start-up is
// most of a small command's time and loading ~150 modules one by one (plus node_modules) was most of
// start-up. Three bundles:
//  - dist/cli.js, the bin (ESM): the entry, and the TUI in chunks along its dynamic imports, so that
//    only the TUI loads Ink and React; the chunks sit beside it in dist/;
//  - dist/cli-core.cjs, the CLI face and the engine in one CommonJS file, which the bin loads through
//    V8's code cache (source/startup/code-cache.ts): one file compiled from the cache starts faster than
//    ESM chunks (`strata --version` ~100 ms → ~40 ms here). The cache is made at the end of the build;
//  - dist/supervisor.cjs, one self-contained CommonJS file with only what a container's supervisor
//    needs, since every container start waits for it to load (CommonJS: ~5 ms less than ESM).
// Everything is flat in dist/, so `./supervisor.cjs` and `./cli-core.cjs` from the launching code and the
// package root one level up (package.json, demo/) are found the same way from any of them. `--outdir DIR`
// builds elsewhere (a private build: `node scripts/build.mjs --outdir .mine-dist`).
import {execFileSync} from 'node:child_process';
import {chmod, readFile, rm} from 'node:fs/promises';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdirArgument = process.argv.indexOf('--outdir');
const outdir = resolve(root, outdirArgument === -1 ? 'dist' : process.argv[outdirArgument + 1]);

// Bundled CommonJS dependencies (react, commander...) call require() for Node's built-ins; ESM output
// has no require, so each output file gets one.
const requireShim = "import {createRequire as __strataCreateRequire} from 'node:module';\nconst require = __strataCreateRequire(import.meta.url);";
// CommonJS output has no import.meta: the sources' `import.meta.url` (to find files shipped beside the
// code) becomes the bundle's own URL. import.meta.resolve serves only runs from the sources (tsx).
// "use strict" comes first, or the shim before it would leave the bundle in sloppy mode.
const importMetaShim = "'use strict';\nconst __strataImportMetaUrl = require('node:url').pathToFileURL(__filename).href;\nconst __strataImportMetaResolve = specifier => require.resolve(specifier);";

const common = {
	absWorkingDir: root,
	bundle: true,
	platform: 'node',
	target: 'node20',
	// Ink loads it only under DEV=true (React DevTools); it is not installed.
	external: ['react-devtools-core'],
	logLevel: 'warning',
	legalComments: 'none',
};
const commonJs = {
	...common,
	format: 'cjs',
	outExtension: {'.js': '.cjs'},
	banner: {js: importMetaShim},
	define: {'import.meta.url': '__strataImportMetaUrl', 'import.meta.resolve': '__strataImportMetaResolve'},
};

await rm(outdir, {recursive: true, force: true});
await Promise.all([
	build({...common, format: 'esm', banner: {js: requireShim}, entryPoints: {cli: 'cli.tsx'}, outdir, splitting: true, chunkNames: '[name]-[hash]'}),
	build({...commonJs, entryPoints: {'cli-core': 'source/cli/run-cli.ts'}, outdir}),
	build({...commonJs, entryPoints: {supervisor: 'source/engine/runtime/supervisor.ts'}, outdir}),
]);
// The CommonJS bundles are run by vm.Script (cli-core) or plain node: an import() left in them would
// need a module loader they do not have. esbuild turns every import() of bundled code into a require.
// cli-core.cjs is read as latin1 (source/startup/code-cache.ts): it must be ASCII, as esbuild writes it.
for (const name of ['cli-core.cjs', 'supervisor.cjs']) {
	const code = await readFile(join(outdir, name), 'utf8');
	if (/\bimport\(/.test(code)) throw new Error(`${name}: a dynamic import() was left in a CommonJS bundle`);
	if (/[^\x00-\x7f]/.test(code)) throw new Error(`${name}: not ASCII`);
}
await chmod(join(outdir, 'cli.js'), 0o755);
// Loading the CLI once writes its code cache beside cli-core.cjs.
execFileSync(process.execPath, [join(outdir, 'cli.js'), '--version'], {stdio: 'ignore'});
