import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {ContainerPaths} from '../containers/container-paths.js';
import type {ContainerRecord} from '../containers/container-record.js';
import {mountFilesystem} from '../containers/container-filesystem.js';
import {hasEnv, mergeEnv} from '../containers/environment.js';
import {buildRuntimeSpec} from './bundle-spec.js';
import {type CommandProblem, checkCommand, defaultPath} from './command-lookup.js';
import {type ProcessUser, resolveUser} from './container-user.js';
import {writeInitFiles} from './init-files.js';
import type {StoreLocation} from '../containers/store-location.js';

/**
 * The environment of the container's process, Docker's way: PATH and HOSTNAME (and TERM for a
 * terminal) first, replaced by the container's Env, then HOME from the user's passwd entry if unset.
 */
export function processEnv(record: ContainerRecord, user: ProcessUser, terminal: boolean, extra: string[] = []): string[] {
	const base = [`PATH=${defaultPath}`, `HOSTNAME=${record.config.Hostname}`, ...(terminal ? ['TERM=xterm'] : [])];
	const env = mergeEnv(mergeEnv(base, record.config.Env), extra);
	return hasEnv(env, 'HOME') ? env : [...env, `HOME=${user.home}`];
}

/**
 * Makes the OCI bundle for a start: mounts the root file system, resolves the user in it, checks the
 * command exists there, writes the init files and config.json. A command that cannot run is returned
 * as a problem (nothing is started).
 */
export async function writeBundle(store: StoreLocation, record: ContainerRecord, options: {terminal: boolean}): Promise<{bundle: string; problem?: CommandProblem}> {
	const paths = new ContainerPaths(store.paths);
	// The init files do not depend on the root file system: written while it is mounted.
	const initWritten = writeInitFiles(paths.init(record.id), record);
	initWritten.catch(() => {});
	const rootfs = await mountFilesystem(store, record);
	const user = await resolveUser(rootfs, record.config.User);
	const env = processEnv(record, user, options.terminal);
	const cwd = record.config.WorkingDir || '/';
	const args = [record.path, ...record.args];
	const problem = await checkCommand(rootfs, record.path, env, cwd);
	await initWritten;
	if (problem) return {bundle: paths.bundle(record.id), problem};
	await mkdir(paths.bundle(record.id), {recursive: true});
	const spec = buildRuntimeSpec(record, {args, env, cwd, user, terminal: options.terminal}, paths.init(record.id));
	// Written for this start only and read only by the runtime started after it: no temp file and fsync needed.
	await writeFile(join(paths.bundle(record.id), 'config.json'), JSON.stringify(spec, null, '\t'));
	return {bundle: paths.bundle(record.id)};
}
