import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {requireWithCodeCache} from './code-cache.js';

type CliModule = typeof import('../cli/run-cli.js');

/**
 * The CLI face: in a build, dist/cli-core.cjs (one CommonJS bundle of the CLI and the engine, loaded
 * through V8's code cache, see requireWithCodeCache); from the sources (tsx), the modules themselves.
 * One CommonJS file is faster to load than ESM chunks: no module graph to link, no asynchronous reads.
 */
export async function loadCli(): Promise<CliModule> {
	const bundle = fileURLToPath(new URL('./cli-core.cjs', import.meta.url));
	if (existsSync(bundle)) return requireWithCodeCache(bundle) as CliModule;
	return import('../cli/run-cli.js');
}
