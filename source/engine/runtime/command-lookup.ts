import {stat} from 'node:fs/promises';
import {posix} from 'node:path';
import {resolveInRoot} from './rootfs-path.js';

/** Why a container's command cannot start, in runc's words, with Docker's exit code (127 missing, 126 not executable). */
export type CommandProblem = {message: string; exitCode: 126 | 127};

export const defaultPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Checks that `command` can be executed in the container before the runtime is asked to (Go's
 * exec.LookPath, as runc does it, but inside `rootfs`): a name is searched in the process's PATH, a
 * path must be an executable file. Finding it here gives the same message for every runtime and an exit
 * code without parsing runtime output.
 */
export async function checkCommand(rootfs: string, command: string, env: string[], cwd: string): Promise<CommandProblem | undefined> {
	if (command.includes('/')) {
		const path = command.startsWith('/') ? command : posix.join(cwd || '/', command);
		const problem = await checkExecutable(rootfs, path);
		if (problem === 'missing') return {message: `exec: "${command}": stat ${command}: no such file or directory`, exitCode: 127};
		if (problem === 'not-executable') return {message: `exec: "${command}": permission denied`, exitCode: 126};
		return undefined;
	}
	const pathVariable = [...env].reverse().find(entry => entry.startsWith('PATH='))?.slice(5) ?? defaultPath;
	for (const dir of pathVariable.split(':')) {
		// Like Go's LookPath, a non-executable match does not end the search, and none found is "not found".
		if ((await checkExecutable(rootfs, posix.join(dir.startsWith('/') ? dir : posix.join(cwd || '/', dir), command))) === undefined) return undefined;
	}
	return {message: `exec: "${command}": executable file not found in $PATH`, exitCode: 127};
}

async function checkExecutable(rootfs: string, path: string): Promise<'missing' | 'not-executable' | undefined> {
	try {
		const info = await stat(await resolveInRoot(rootfs, path));
		return !info.isDirectory() && (info.mode & 0o111) !== 0 ? undefined : 'not-executable';
	} catch {
		return 'missing';
	}
}
