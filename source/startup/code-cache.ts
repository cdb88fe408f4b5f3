import {readFileSync, renameSync, unlinkSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {basename, dirname, join} from 'node:path';
import {Script} from 'node:vm';

/**
 * Loads a CommonJS bundle as require() would, but compiled through V8's code cache, a file beside the
 * bundle: start-up is most of a small command's time, and compiling the CLI's 1.4 MB bundle was half of
 * it (`strata --version`: ~60 ms compiled, ~40 ms from the cache, Node's own start ~17 ms). Node 22 does
 * this itself (module.enableCompileCache); Node 20 has only vm.Script's cachedData.
 *
 * The build writes the cache (scripts/build.mjs runs `--version` once). V8 refuses a cache made by
 * another Node version or with other V8 flags; the bundle is then compiled as usual and the cache made
 * anew, through a temp file and a rename, when the directory can be written (else it just stays slow).
 */
export function requireWithCodeCache(file: string): unknown {
	// The bundle is ASCII (esbuild escapes the rest; the build checks): read as latin1, a one-byte
	// string, without decoding UTF-8 (~1-3 ms of 1.4 MB).
	const source = readFileSync(file, 'latin1');
	const cacheFile = join(dirname(file), `${basename(file)}.${process.version}-${process.arch}.v8cache`);
	let cachedData: Buffer | undefined;
	try {
		cachedData = readFileSync(cacheFile);
	} catch {
		// No cache yet: compile, then make one.
	}
	const script = new Script(wrapCommonJs(source), {filename: file, cachedData});
	const module = {exports: {} as unknown};
	const init = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: {exports: unknown}, filename: string, dirname: string) => void;
	init.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
	// After the bundle's top level ran: the cache then holds the functions that start-up compiled too.
	if (cachedData === undefined || script.cachedDataRejected) saveCodeCache(cacheFile, script);
	return module.exports;
}

/** Node's CommonJS wrapper (Module.wrap), on one line so that line numbers in stack traces stay true. */
function wrapCommonJs(source: string): string {
	return `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
}

function saveCodeCache(cacheFile: string, script: Script): void {
	const temp = `${cacheFile}.${process.pid}.tmp`;
	try {
		writeFileSync(temp, script.createCachedData());
		renameSync(temp, cacheFile);
	} catch {
		// A read-only installation: the cache is only an optimisation.
		try {
			unlinkSync(temp);
		} catch {
			// Never written.
		}
	}
}
