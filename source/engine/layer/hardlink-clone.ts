// A copy of an unpacked root that shares its files: directories are made anew (with the source's owner,
// mode and mtime), everything else is hard-linked. An image that adds one small layer on top of another
// then unpacks as the parent's clone plus that layer: thousands of link(2) calls instead of thousands of
// files created and written again. Unpacked roots are never written in place (containers write to an
// overlay's upper dir or to their own copy, and extraction replaces a file rather than rewriting it), so
// sharing inodes between them is safe; the one in-place change extraction makes, a hard link entry taking
// its header's attributes, must first make the file private (see extractLayer's `shared`).
import {chmodSync, lchownSync, linkSync, lstatSync, lutimesSync, mkdirSync, readdirSync} from 'node:fs';
import {Pacer} from '../pacer.js';

const asRoot = process.getuid?.() === 0;

/**
 * Clones `source` into `target` (an existing, empty directory); returns the paths in `target` that are
 * hard links into `source`, as `target`/relative-path strings.
 */
export async function cloneByHardLinks(source: string, target: string): Promise<Set<string>> {
	const shared = new Set<string>();
	const pacer = new Pacer(256);
	const directories: Array<{from: string; to: string}> = [{from: source, to: target}];
	// Directories' attributes are set once their contents are in place, deepest first (mtimes stay put).
	const finished: Array<{from: string; to: string}> = [];
	while (directories.length > 0) {
		const {from, to} = directories.pop()!;
		finished.push({from, to});
		for (const entry of readdirSync(from, {withFileTypes: true})) {
			const fromPath = `${from}/${entry.name}`;
			const toPath = `${to}/${entry.name}`;
			if (entry.isDirectory()) {
				mkdirSync(toPath, 0o700);
				directories.push({from: fromPath, to: toPath});
			} else {
				linkSync(fromPath, toPath);
				shared.add(toPath);
			}
			await pacer.step(1);
		}
	}
	for (const {from, to} of finished.reverse()) {
		const stats = lstatSync(from);
		if (asRoot) lchownSync(to, stats.uid, stats.gid);
		chmodSync(to, stats.mode & 0o7777);
		lutimesSync(to, stats.atime, stats.mtime);
		await pacer.step(1);
	}
	return shared;
}
