// A realistic base-image rootfs for benchmarks: `debootstrap --variant=minbase bookworm` (~6,700 entries,
// ~120 MB, some hard links), tarred with GNU tar. Built once and cached under /var/cache/strata-bench/.
//
// There is no general internet here, but the Debian mirror apt uses is reachable, and debootstrap uses that
// same mirror (taken from /etc/apt/sources*, or STRATA_BENCH_MIRROR). Needs root and debootstrap; the first
// build takes about a minute and a half (downloads ~90 .debs, kept in the cache for rebuilds).
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

export const BENCH_CACHE = '/var/cache/strata-bench';
const SUITE = 'bookworm';
const DEFAULT_MIRROR = 'http://deb.debian.org/debian';
/** Bump when the recipe below changes, so stale caches aren't reused. */
const RECIPE = 'v1';

const dir = join(BENCH_CACHE, `minbase-${SUITE}-${RECIPE}`);
const paths = {rootfs: join(dir, 'rootfs'), tar: join(dir, 'rootfs.tar')};

let building: Promise<typeof paths> | undefined;

/** Path of a GNU tar (`tar --numeric-owner --sort=name -C rootfs -cf out .`) of a minbase bookworm rootfs. */
export async function minbaseTar(): Promise<string> {
	return (await minbase()).tar;
}

/** Path of the minbase rootfs dir the tar was made from (read-only: it is the cache). */
export async function minbaseRootfs(): Promise<string> {
	return (await minbase()).rootfs;
}

function minbase(): Promise<typeof paths> {
	building ??= Promise.resolve().then(build);
	building.catch(() => {
		building = undefined;
	});
	return building;
}

/** The Debian mirror apt uses for SUITE: STRATA_BENCH_MIRROR, else the first matching apt source. */
export function debianMirror(): string {
	if (process.env.STRATA_BENCH_MIRROR) return process.env.STRATA_BENCH_MIRROR;
	const sources: string[] = [];
	for (const file of ['/etc/apt/sources.list', ...listDir('/etc/apt/sources.list.d').map(name => join('/etc/apt/sources.list.d', name))]) {
		if (!file.endsWith('.list') && !file.endsWith('.sources')) continue;
		let text: string;
		try {
			text = readFileSync(file, 'utf8');
		} catch {
			continue;
		}
		if (file.endsWith('.sources')) {
			// deb822: stanzas of "Field: value" separated by blank lines.
			for (const stanza of text.split(/\n\s*\n/)) {
				const field = (name: string) => stanza.match(new RegExp(`^${name}:\\s*(.+)$`, 'mi'))?.[1]?.trim().split(/\s+/) ?? [];
				if (field('Enabled')[0] === 'no' || !field('Types').includes('deb') || !field('Suites').includes(SUITE)) continue;
				sources.push(...field('URIs'));
			}
		} else {
			for (const line of text.split('\n')) {
				const words = line.replace(/#.*/, '').replace(/\[[^\]]*\]/, '').trim().split(/\s+/);
				if (words[0] === 'deb' && words[2] === SUITE && words[1]) sources.push(words[1]);
			}
		}
	}
	return sources.find(uri => /^https?:\/\//.test(uri)) ?? DEFAULT_MIRROR;
}

function listDir(path: string): string[] {
	try {
		return readdirSync(path).sort();
	} catch {
		return [];
	}
}

function build(): typeof paths {
	if (existsSync(join(dir, 'complete'))) return paths;
	if (process.getuid?.() !== 0) throw new Error('minbaseTar() needs root (debootstrap)');
	try {
		execFileSync('debootstrap', ['--version'], {stdio: 'ignore'});
	} catch {
		throw new Error('debootstrap is missing: apt-get install debootstrap');
	}
	const debs = join(BENCH_CACHE, 'debs');
	mkdirSync(debs, {recursive: true});
	const work = join(BENCH_CACHE, `.build-${process.pid}-${Date.now()}`);
	const rootfs = join(work, 'rootfs');
	mkdirSync(work, {recursive: true});
	try {
		const mirror = debianMirror();
		const started = Date.now();
		process.stderr.write(`bench: building the minbase ${SUITE} rootfs with debootstrap from ${mirror} (once; cached in ${dir})\n`);
		try {
			execFileSync('debootstrap', ['--variant=minbase', `--cache-dir=${debs}`, SUITE, rootfs, mirror], {stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20});
		} catch (error) {
			const output = `${(error as {stdout?: Buffer}).stdout ?? ''}${(error as {stderr?: Buffer}).stderr ?? ''}`;
			const log = readTail(join(rootfs, 'debootstrap', 'debootstrap.log'));
			throw new Error(`debootstrap failed (mirror ${mirror}; set STRATA_BENCH_MIRROR to override):\n${output.trim()}\n${log}`);
		}
		// Trim it like a published base image: no package caches or apt lists, no device nodes (the runtime adds /dev).
		unmountUnder(rootfs);
		emptyDir(join(rootfs, 'var', 'cache', 'apt', 'archives'), ['partial', 'lock']);
		emptyDir(join(rootfs, 'var', 'lib', 'apt', 'lists'), ['partial', 'lock']);
		emptyDir(join(rootfs, 'dev'), []);
		execFileSync('tar', ['--numeric-owner', '--owner=0', '--group=0', '--format=gnu', '--sort=name', '-C', rootfs, '-cf', join(work, 'rootfs.tar'), '.'], {stdio: ['ignore', 'ignore', 'pipe']});
		writeFileSync(join(work, 'complete'), `${new Date().toISOString()} ${mirror}\n`);
		removeTree(dir);
		renameSync(work, dir);
		process.stderr.write(`bench: minbase rootfs ready in ${Math.round((Date.now() - started) / 1000)} s\n`);
	} finally {
		removeTree(work);
	}
	return paths;
}

// debootstrap mounts proc/sys (and in containers bind-mounts the host's /dev) into the target while it works,
// and a failed run can leave them: never rm -rf through a mount.
function unmountUnder(path: string): void {
	for (let attempt = 0; attempt < 3; attempt++) {
		const points = mountsUnder(path);
		if (points.length === 0) return;
		for (const point of points) {
			if (spawnSync('umount', [point], {stdio: 'ignore'}).status !== 0) spawnSync('umount', ['-l', point], {stdio: 'ignore'});
		}
	}
	const left = mountsUnder(path);
	if (left.length > 0) throw new Error(`cannot unmount ${left.join(', ')}; not removing ${path}`);
}

function mountsUnder(path: string): string[] {
	let info = '';
	try {
		info = readFileSync('/proc/self/mountinfo', 'utf8');
	} catch {}
	const points = info
		.split('\n')
		.map(line => line.split(' ')[4])
		.filter((field): field is string => field !== undefined)
		.map(field => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))))
		.filter(point => point === path || point.startsWith(path + '/'));
	return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** rm -rf that first unmounts whatever is mounted below (never deletes through a mount). */
export function removeTree(path: string): void {
	if (!existsSync(path)) return;
	unmountUnder(path);
	rmSync(path, {recursive: true, force: true});
}

function emptyDir(path: string, keep: string[]): void {
	for (const name of listDir(path)) {
		if (!keep.includes(name)) rmSync(join(path, name), {recursive: true, force: true});
	}
}

function readTail(path: string, lines = 30): string {
	try {
		return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}
