// buildah on a private storage root (`--root`, `--runroot` under the benchmark's temp dir), so a run never
// touches or depends on /var/lib/containers. Builds use chroot isolation (no runc set-up per RUN, as
// buildah is used in CI containers) and --layers, so that its intermediate images are a cache.
import {execFile} from 'node:child_process';
import {mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);

export interface PrivateBuildah {
	/** The global options that select the private storage: they go before the subcommand. */
	globalArgs: string[];
	/** Runs `buildah <globalArgs> args`, resolving with its stdout. */
	buildah(args: string[]): Promise<string>;
	/** Removes every container and image in the private storage (which unmounts their layers). */
	clear(): Promise<void>;
}

export async function privateBuildah(dir: string): Promise<PrivateBuildah> {
	try {
		await run('buildah', ['--version']);
	} catch {
		throw new Error('buildah is missing: apt-get install buildah (scripts/system-packages.sh installs it)');
	}
	mkdirSync(join(dir, 'root'), {recursive: true});
	mkdirSync(join(dir, 'runroot'), {recursive: true});
	const globalArgs = ['--root', join(dir, 'root'), '--runroot', join(dir, 'runroot'), '--storage-driver', 'overlay'];
	const buildah = async (args: string[]) => (await run('buildah', [...globalArgs, ...args], {maxBuffer: 64 << 20})).stdout;
	return {
		globalArgs,
		buildah,
		async clear() {
			await buildah(['rm', '--all']).catch(() => '');
			await buildah(['rmi', '--all', '--force']).catch(() => '');
		},
	};
}
