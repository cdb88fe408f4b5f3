// A 1 GiB synthetic layer for throughput and memory figures: a GNU tar of four 256 MiB files of random bytes
// (incompressible, so nothing downstream can shortcut it). Built once and cached under /var/cache/strata-bench/.
import {execFileSync} from 'node:child_process';
import {randomFillSync} from 'node:crypto';
import {closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, utimesSync, writeFileSync, writeSync} from 'node:fs';
import {join} from 'node:path';
import {BENCH_CACHE} from './minbase.js';

/** Bump when the recipe below changes, so stale caches aren't reused. */
const RECIPE = 'v1';
const FILES = 4;
const FILE_SIZE = 256 * 1024 * 1024;
const CHUNK = 8 * 1024 * 1024;
const MTIME = new Date('2024-01-01T00:00:00Z');

const dir = join(BENCH_CACHE, `synthetic-1g-${RECIPE}`);
const tarPath = join(dir, 'layer.tar');

/** Path of a GNU tar holding data/blob-0 … data/blob-3, 256 MiB of random bytes each (~1 GiB in all). */
export function syntheticLayerTar(): string {
	if (existsSync(join(dir, 'complete'))) return tarPath;
	mkdirSync(BENCH_CACHE, {recursive: true});
	const work = join(BENCH_CACHE, `.build-synthetic-${process.pid}-${Date.now()}`);
	const rootfs = join(work, 'rootfs');
	mkdirSync(join(rootfs, 'data'), {recursive: true});
	try {
		const started = Date.now();
		process.stderr.write(`bench: writing the 1 GiB synthetic layer (once; cached in ${dir})\n`);
		const buffer = Buffer.allocUnsafe(CHUNK);
		for (let i = 0; i < FILES; i++) {
			const path = join(rootfs, 'data', `blob-${i}`);
			const fd = openSync(path, 'w', 0o644);
			try {
				for (let written = 0; written < FILE_SIZE; written += CHUNK) {
					randomFillSync(buffer);
					writeSync(fd, buffer, 0, CHUNK);
				}
			} finally {
				closeSync(fd);
			}
			utimesSync(path, MTIME, MTIME);
		}
		utimesSync(join(rootfs, 'data'), MTIME, MTIME);
		utimesSync(rootfs, MTIME, MTIME);
		execFileSync('tar', ['--numeric-owner', '--owner=0', '--group=0', '--format=gnu', '--sort=name', '-C', rootfs, '-cf', join(work, 'layer.tar'), '.'], {stdio: ['ignore', 'ignore', 'pipe']});
		rmSync(rootfs, {recursive: true, force: true});
		writeFileSync(join(work, 'complete'), `${new Date().toISOString()}\n`);
		rmSync(dir, {recursive: true, force: true});
		renameSync(work, dir);
		process.stderr.write(`bench: synthetic layer ready in ${Math.round((Date.now() - started) / 1000)} s\n`);
	} finally {
		rmSync(work, {recursive: true, force: true});
	}
	return tarPath;
}
