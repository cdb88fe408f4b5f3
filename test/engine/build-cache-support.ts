// Shared by the build cache tests: what a build's output says its step images are, and the bytes of a
// stored layer counted with GNU tar (not strata's indexer), so expected cache sizes are computed apart
// from the code under test.
import {execFileSync} from 'node:child_process';
import {join} from 'node:path';

/** Short IDs of the images a `strata build` output names for its steps after FROM (` ---> 3f2a…`, last per step). */
export function stepImages(buildOutput: string): string[] {
	return buildOutput
		.split(/^Step \d+\/\d+ : /m)
		.slice(2)
		.map(step => {
			const ids = [...step.matchAll(/^ ---> ([\da-f]{12})$/gm)];
			if (ids.length === 0) throw new Error(`no image for a step in:\n${buildOutput}`);
			return ids.at(-1)![1]!;
		});
}

/** Docker's layer size of a stored (uncompressed) layer: regular files' sizes plus symlink targets' lengths. */
export function tarContentSize(root: string, diffID: string): number {
	const listing = execFileSync('tar', ['--numeric-owner', '--quoting-style=literal', '-tvf', join(root, 'blobs', 'sha256', diffID.slice(7))], {encoding: 'utf8'});
	let size = 0;
	for (const line of listing.split('\n').filter(Boolean)) {
		const match = /^(\S)\S*\s+\S+\s+(\d+)\s+\S+\s+\S+\s(.*)$/.exec(line);
		if (!match) throw new Error(`unexpected tar listing line: ${line}`);
		if (match[1] === '-') size += Number(match[2]);
		if (match[1] === 'l') size += Buffer.byteLength(match[3]!.split(' -> ')[1]!);
	}
	return size;
}

/** Bytes of the layers that `removed` images use and `kept` images do not (each layer counted once). */
export function exclusiveSize(root: string, layersOf: (id: string) => string[], removed: Iterable<string>, kept: Iterable<string>): number {
	const keptLayers = new Set([...kept].flatMap(layersOf));
	const only = new Set([...removed].flatMap(layersOf).filter(diffID => !keptLayers.has(diffID)));
	return [...only].reduce((sum, diffID) => sum + tarContentSize(root, diffID), 0);
}
