import {existsSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

/**
 * A file shipped with strata (package.json, demo/...), found by walking up from this module to the
 * package root: one level up from the bundle (dist/), two from the sources (source/engine/), three
 * from a tsc build (dist/source/engine/). Undefined when it is not there.
 */
export function installedFile(relativePath: string): string | undefined {
	let dir = dirname(fileURLToPath(import.meta.url));
	for (let depth = 0; depth < 6; depth++) {
		const candidate = join(dir, relativePath);
		if (existsSync(candidate)) return candidate;
		dir = dirname(dir);
	}
	return undefined;
}

/** strata's version, from its package.json ('unknown' when the file cannot be found or read). */
export function packageVersion(): string {
	const file = installedFile('package.json');
	try {
		return file ? (JSON.parse(readFileSync(file, 'utf8')) as {version: string}).version : 'unknown';
	} catch {
		return 'unknown';
	}
}
