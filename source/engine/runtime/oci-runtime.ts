import {execFile} from 'node:child_process';
import {accessSync, constants, readFileSync} from 'node:fs';
import {basename, delimiter, join} from 'node:path';
import {promisify} from 'node:util';
import {StrataError} from '../errors.js';
import type {StorePaths} from '../store/paths.js';

const execFileAsync = promisify(execFile);

/** Debian packages for the runtimes people name; anything else is suggested under its own name. */
const packages: Record<string, string> = {runc: 'runc', crun: 'crun', youki: 'youki', 'runsc': 'gvisor', 'kata-runtime': 'kata-containers'};

/** Where runtimes live besides $PATH: Debian puts runc in /usr/sbin, which a user's PATH may lack. */
const systemDirs = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/**
 * An OCI runtime binary (runc, crun...) and the state directory strata gives it (`--root`), so that
 * strata's containers are its own and survive strata restarts. Commands are spelled the way runc and
 * crun both accept them.
 */
export class OciRuntime {
	private constructor(
		/** The name the user chose (`runc`, `crun`, a path). */
		readonly name: string,
		readonly binary: string,
		readonly stateRoot: string,
	) {}

	/** Finds `name` on $PATH (or as a path); a missing one is a StrataError naming the package to install. */
	static resolve(storePaths: StorePaths, name: string, env: NodeJS.ProcessEnv = process.env): OciRuntime {
		const binary = findExecutable(name, env);
		if (!binary) {
			if (name.includes('/')) throw new StrataError(`OCI runtime "${name}" not found: no executable at that path`);
			throw new StrataError(`OCI runtime "${name}" not found: install it (apt-get install ${packages[name] ?? name})`);
		}
		const stateName = basename(name).replace(/[^\w.-]/g, '_');
		return new OciRuntime(name, binary, join(storePaths.root, 'runtime', stateName));
	}

	/**
	 * argv (command first) for `sub` with the global options. crun refuses to work at all on a hybrid
	 * cgroup host whose v2 hierarchy holds a controller (crun: "cgroups in hybrid mode not supported");
	 * there it runs in a private mount namespace in which that controller list reads empty, so it uses
	 * the v1 hierarchies like on a pure v1 host. Nothing outside crun's own process is changed.
	 */
	command(sub: string[]): string[] {
		const argv = [this.binary, '--root', this.stateRoot, ...sub];
		if (basename(this.binary) === 'crun' && hybridCgroupV2HasControllers()) {
			return ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', `mount --bind /dev/null ${unifiedControllers} && exec "$0" "$@"`, ...argv];
		}
		return argv;
	}

	/** Runs a short runtime command; failure is a StrataError with the runtime's stderr. */
	async exec(sub: string[], failure: string): Promise<string> {
		const [command, ...args] = this.command(sub) as [string, ...string[]];
		try {
			const {stdout} = await execFileAsync(command, args, {maxBuffer: 4 * 1024 * 1024});
			return stdout;
		} catch (error) {
			throw new StrataError(`${failure}: ${runtimeMessage((error as {stderr?: string}).stderr) || (error as Error).message}`);
		}
	}

	/** Sends a signal to the container's init (`kill ID SIG`); false when the runtime does not know it (any more). */
	async kill(id: string, signal: string): Promise<boolean> {
		try {
			await this.exec(['kill', id, signal.replace(/^SIG/, '')], `cannot signal container ${id}`);
			return true;
		} catch {
			return false;
		}
	}

	/** Forgets the container, killing what is left of it; quiet when there is nothing to delete. */
	async forceDelete(id: string): Promise<void> {
		await this.exec(['delete', '--force', id], `cannot delete container ${id}`).catch(() => {});
	}

	/** The runtime's view: `running`, `stopped`, `created`... or undefined when it has no such container. */
	async status(id: string): Promise<string | undefined> {
		try {
			return (JSON.parse(await this.exec(['state', id], `no state for ${id}`)) as {status?: string}).status;
		} catch {
			return undefined;
		}
	}
}

const unifiedControllers = '/sys/fs/cgroup/unified/cgroup.controllers';

function hybridCgroupV2HasControllers(): boolean {
	try {
		return readFileSync(unifiedControllers, 'utf8').trim() !== '';
	} catch {
		return false;
	}
}

function findExecutable(name: string, env: NodeJS.ProcessEnv): string | undefined {
	const candidates = name.includes('/') ? [name] : [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...systemDirs].map(dir => join(dir, name));
	for (const candidate of candidates) {
		try {
			accessSync(candidate, constants.X_OK);
			return candidate;
		} catch {
			// Not here: next.
		}
	}
	return undefined;
}

/** The useful line of a runtime's stderr: runc logs `time=... level=error msg="..."`, crun plain text. */
export function runtimeMessage(stderr: string | undefined): string {
	const lines = (stderr ?? '').split('\n').map(line => line.trim()).filter(Boolean);
	const messages = lines.map(line => {
		const logged = /level=(?:error|fatal)\s+msg="((?:[^"\\]|\\.)*)"/.exec(line);
		return logged ? logged[1]!.replace(/\\"/g, '"').replace(/\\\\/g, '\\') : line;
	});
	return messages.filter(line => !/^time="[^"]*" level=(?:warning|info|debug)/.test(line)).join('; ');
}
