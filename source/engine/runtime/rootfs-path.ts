import {lstat, readlink} from 'node:fs/promises';
import {posix} from 'node:path';

/**
 * The host path of `path` as seen inside the container whose root is `root`: symlinks are followed the
 * way the kernel would inside the container (absolute targets from `root`, `..` stopping at `root`), so
 * the result never leaves `root` (like Go's securejoin). Missing components are kept as they are.
 */
export async function resolveInRoot(root: string, path: string): Promise<string> {
	const pending = posix.normalize(`/${path}`).split('/').filter(Boolean);
	let resolved: string[] = [];
	let hops = 0;
	while (pending.length > 0) {
		const part = pending.shift()!;
		if (part === '.') continue;
		if (part === '..') {
			resolved.pop();
			continue;
		}
		const candidate = posix.join(root, ...resolved, part);
		const info = await lstat(candidate).catch(() => undefined);
		if (!info?.isSymbolicLink()) {
			resolved.push(part);
			continue;
		}
		if (++hops > 40) throw Object.assign(new Error(`too many levels of symbolic links: ${path}`), {code: 'ELOOP'});
		const target = await readlink(candidate);
		if (target.startsWith('/')) resolved = [];
		pending.unshift(...target.split('/').filter(Boolean));
	}
	return posix.join(root, ...resolved);
}
