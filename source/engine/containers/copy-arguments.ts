import {StrataError} from '../errors.js';

/** One side of `cp`: a container path (`c1:/etc/hosts`), a local path, or `-` (a tar on stdin or stdout). */
export type CopyEndpoint = {container: string; path: string} | {container?: undefined; path: string};

/**
 * Docker's `splitCpArg`: an absolute path is local; otherwise `NAME:PATH` names a container, unless
 * the part before the colon starts with `.` (`./file:name.txt` is a local file with a colon in it).
 */
export function parseCopyEndpoint(argument: string): CopyEndpoint {
	if (argument.startsWith('/')) return {path: argument};
	const colon = argument.indexOf(':');
	if (colon === -1 || argument.startsWith('.')) return {path: argument};
	return {container: argument.slice(0, colon), path: argument.slice(colon + 1)};
}

/** The two sides of `cp SRC DST`, checked the way Docker's CLI checks them. */
export function parseCopyArguments(source: string, destination: string): {source: CopyEndpoint; destination: CopyEndpoint} {
	const from = parseCopyEndpoint(source);
	const to = parseCopyEndpoint(destination);
	if (from.container !== undefined && to.container !== undefined) throw new StrataError('copying between containers is not supported');
	if (from.container === undefined && to.container === undefined) throw new StrataError('must specify at least one container source');
	if (from.container !== undefined && from.path === '') throw new StrataError('source can not be empty');
	if (to.container !== undefined && to.path === '') throw new StrataError('destination can not be empty');
	return {source: from, destination: to};
}
