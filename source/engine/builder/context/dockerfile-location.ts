// Where `strata build [-f FILE] DIR` finds its context and Dockerfile, by the Docker CLI's rules
// (cli/command/image/build/context.go): symlinks in both paths are resolved; without -f it is DIR/Dockerfile,
// or DIR/dockerfile when only that exists; -f is relative to the current directory; `-f -` reads stdin; a
// Dockerfile outside the context is read from there and is not part of the context.
import {lstat, realpath, stat} from 'node:fs/promises';
import {isAbsolute, join, relative, resolve, sep} from 'node:path';
import {StrataError} from '../../errors.js';

export type DockerfileLocation =
	/** Inside the context: `path` is relative to it, `/`-separated. */
	| {kind: 'context'; path: string; absolute: string}
	| {kind: 'outside'; absolute: string}
	| {kind: 'stdin'};

export interface BuildInput {
	/** Absolute context directory, symlinks resolved. */
	contextDir: string;
	dockerfile: DockerfileLocation;
}

export async function resolveBuildInput(
	contextPath: string,
	dockerfile: string | undefined,
	{cwd = process.cwd()}: {cwd?: string} = {},
): Promise<BuildInput> {
	const contextDir = await resolveContextDir(contextPath, cwd);
	if (dockerfile === '-') return {contextDir, dockerfile: {kind: 'stdin'}};
	let absolute: string;
	if (dockerfile === undefined || dockerfile === '') {
		absolute = join(contextDir, 'Dockerfile');
		// Only when Dockerfile is missing and dockerfile exists.
		if (!(await exists(absolute)) && (await exists(join(contextDir, 'dockerfile')))) absolute = join(contextDir, 'dockerfile');
	} else {
		absolute = resolve(cwd, dockerfile);
	}
	try {
		absolute = await realpath(absolute);
	} catch (error) {
		throw prepareError(`unable to evaluate symlinks in Dockerfile path: ${errnoText(error, absolute)}`);
	}
	const inside = relative(contextDir, absolute);
	if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
		return {contextDir, dockerfile: {kind: 'outside', absolute}};
	}
	return {contextDir, dockerfile: {kind: 'context', path: inside.split(sep).join('/'), absolute}};
}

async function resolveContextDir(contextPath: string, cwd: string): Promise<string> {
	const absolute = resolve(cwd, contextPath);
	try {
		await stat(absolute);
	} catch {
		throw prepareError(`path ${JSON.stringify(contextPath)} not found`);
	}
	let real: string;
	try {
		real = await realpath(absolute);
	} catch (error) {
		throw prepareError(`unable to evaluate symlinks in context path: ${errnoText(error, absolute)}`);
	}
	if (!(await stat(real)).isDirectory()) throw prepareError(`context must be a directory: ${real}`);
	return real;
}

async function exists(path: string): Promise<boolean> {
	try {
		await lstat(path);
		return true;
	} catch {
		return false;
	}
}

function prepareError(message: string): StrataError {
	return new StrataError(`unable to prepare context: ${message}`);
}

/** Go's PathError text: `lstat /x/Dockerfile: no such file or directory`. */
function errnoText(error: unknown, path: string): string {
	const code = (error as NodeJS.ErrnoException).code;
	const reason = code === 'ENOENT' ? 'no such file or directory' : code === 'ENOTDIR' ? 'not a directory' : (error as Error).message;
	return `lstat ${path}: ${reason}`;
}
