// An offline busybox root filesystem, built from the host's static busybox (Debian busybox-static), and a
// GNU tar of it — a test input that doesn't depend on strata's own tar writer. Both are built once and
// cached under /tmp/strata-fixtures-<uid>/, keyed by the busybox binary's sha256 (and RECIPE below).
// Treat the returned paths as read-only: they are shared by every test process.
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {chmodSync, copyFileSync, existsSync, lutimesSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {DockerDaemon} from './docker.js';

/** The busybox binary the fixture is built from. */
export const BUSYBOX_BINARY = '/bin/busybox';
/** Every entry in the fixture has this mtime. */
export const FIXTURE_MTIME = new Date('2024-01-01T00:00:00Z');
/** Bump when the layout below changes, so stale caches aren't reused. */
const RECIPE = 'v1';

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n';
const GROUP = 'root:x:0:\nnogroup:x:65534:\n';

let cached: Promise<{rootfs: string; tar: string}> | undefined;

/** Path of the busybox root dir (bin/busybox + applet symlinks, etc/passwd, etc/group, tmp, root, proc, sys, dev). */
export async function busyboxRootfs(): Promise<string> {
	return (await fixture()).rootfs;
}

/** Path of a GNU tar (`tar --numeric-owner --sort=name -C rootfs -cf out .`) of busyboxRootfs(). */
export async function busyboxTar(): Promise<string> {
	return (await fixture()).tar;
}

/** `docker import`s busyboxTar() as tag with CMD ["sh"]; returns the image id. */
export async function loadBusyboxIntoDocker(daemon: Pick<DockerDaemon, 'docker'>, tag = 'busybox:latest'): Promise<string> {
	const tar = await busyboxTar();
	const {stdout} = await daemon.docker(['import', '--change', 'CMD ["sh"]', tar, tag], {check: true});
	return stdout.trim();
}

function fixture(): Promise<{rootfs: string; tar: string}> {
	cached ??= Promise.resolve().then(build);
	cached.catch(() => {
		cached = undefined;
	});
	return cached;
}

function build(): {rootfs: string; tar: string} {
	if (!existsSync(BUSYBOX_BINARY)) {
		throw new Error(`${BUSYBOX_BINARY} is missing: apt-get install busybox-static`);
	}
	const binary = readFileSync(BUSYBOX_BINARY);
	const sha = createHash('sha256').update(binary).digest('hex');
	const base = `/tmp/strata-fixtures-${process.getuid?.() ?? 'user'}`;
	const final = join(base, `busybox-${sha.slice(0, 16)}-${RECIPE}`);
	const result = {rootfs: join(final, 'rootfs'), tar: join(final, 'busybox.tar')};
	if (existsSync(join(final, 'complete'))) return result;

	mkdirSync(base, {recursive: true, mode: 0o700});
	// Build in a private dir, then rename into place, so concurrent test processes never see a half-built fixture.
	const work = join(base, `.build-${process.pid}-${Date.now()}`);
	rmSync(work, {recursive: true, force: true});
	try {
		const rootfs = join(work, 'rootfs');
		makeRootfs(rootfs, binary);
		execFileSync('tar', ['--numeric-owner', '--owner=0', '--group=0', '--format=gnu', '--sort=name', '-C', rootfs, '-cf', join(work, 'busybox.tar'), '.'], {stdio: ['ignore', 'ignore', 'pipe']});
		writeFileSync(join(work, 'complete'), `${sha}\n`);
		try {
			renameSync(work, final);
		} catch {
			// Another process finished first (rename onto a non-empty dir fails): use theirs.
			if (!existsSync(join(final, 'complete'))) {
				// A leftover without the marker (crashed build): replace it.
				rmSync(final, {recursive: true, force: true});
				renameSync(work, final);
			}
		}
	} finally {
		rmSync(work, {recursive: true, force: true});
	}
	return result;
}

function makeRootfs(rootfs: string, binary: Buffer): void {
	const dirs: Array<[string, number]> = [
		['', 0o755],
		['bin', 0o755],
		['dev', 0o755],
		['etc', 0o755],
		['proc', 0o555],
		['root', 0o700],
		['sys', 0o555],
		['tmp', 0o1777],
	];
	for (const [dir] of dirs) mkdirSync(join(rootfs, dir), {recursive: true});

	const busybox = join(rootfs, 'bin', 'busybox');
	copyFileSync(BUSYBOX_BINARY, busybox);
	chmodSync(busybox, 0o755);
	const applets = execFileSync(BUSYBOX_BINARY, ['--list'], {encoding: 'utf8'})
		.split('\n')
		.map(line => line.trim())
		// `busybox --list` includes busybox itself; a symlink there would replace the binary with a loop.
		.filter(applet => applet !== '' && applet !== 'busybox' && !applet.includes('/'));
	for (const applet of new Set(applets)) symlinkSync('busybox', join(rootfs, 'bin', applet));

	writeFileSync(join(rootfs, 'etc', 'passwd'), PASSWD);
	writeFileSync(join(rootfs, 'etc', 'group'), GROUP);
	chmodSync(join(rootfs, 'etc', 'passwd'), 0o644);
	chmodSync(join(rootfs, 'etc', 'group'), 0o644);

	// Modes regardless of umask (tmp's sticky bit in particular), then mtimes, children before parents.
	for (const [dir, mode] of dirs) chmodSync(join(rootfs, dir), mode);
	setTimes(rootfs);
	if (!readFileSync(busybox).equals(binary)) throw new Error(`copy of ${BUSYBOX_BINARY} differs from the original`);
}

function setTimes(path: string): void {
	for (const entry of readdirSync(path, {withFileTypes: true})) {
		const child = join(path, entry.name);
		if (entry.isDirectory()) setTimes(child);
		else lutimesSync(child, FIXTURE_MTIME, FIXTURE_MTIME);
	}
	lutimesSync(path, FIXTURE_MTIME, FIXTURE_MTIME);
}
