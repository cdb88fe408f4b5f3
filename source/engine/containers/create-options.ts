import {readFile} from 'node:fs/promises';
import {StrataError} from '../errors.js';
import type {ContainerConfig} from '../image/types.js';

/** What `create` / `run` take besides the image: Docker's flags of the same names. */
export type CreateOptions = {
	/** The image as the user names it (tag, ID, prefix). */
	image: string;
	/** Arguments after the image: replace the image's Cmd. */
	command?: string[];
	name?: string;
	/** `-e K=V` (or `-e K`: the value of K here, if set). */
	env?: string[];
	/** `--env-file F`: read before -e, which wins. */
	envFiles?: string[];
	/** `-w`: must be absolute. */
	workdir?: string;
	/** `-u name|uid[:group|gid]`. */
	user?: string;
	/** `--entrypoint E`: one program (not split); `''` clears the image's. */
	entrypoint?: string;
	network?: 'host' | 'none';
	tty?: boolean;
	interactive?: boolean;
	/** `--rm`: removed once it exits. */
	autoRemove?: boolean;
	/** OCI runtime; default: the `runtime` setting (runc). */
	runtime?: string;
	/** The new container's ID, when the caller needs it before the container exists (newContainerId). */
	id?: string;
};

/** Docker's env-file format: `KEY=VALUE` lines taken literally, `KEY` alone copies our value, `#` comments. */
export async function readEnvFile(path: string, hostEnv: NodeJS.ProcessEnv = process.env): Promise<string[]> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch {
		throw new StrataError(`open ${path}: no such file or directory`);
	}
	const entries: string[] = [];
	for (const [index, raw] of text.replace(/^\uFEFF/, '').split(/\r?\n/).entries()) {
		const line = raw.trimStart();
		if (line === '' || line.startsWith('#')) continue;
		entries.push(...expandEnv(line, hostEnv, `${path}:${index + 1}`));
	}
	return entries;
}

/** `K=V` as is; `K` becomes `K=<our value>` when we have one, else nothing (Docker). */
export function expandEnv(entry: string, hostEnv: NodeJS.ProcessEnv = process.env, where = 'environment'): string[] {
	const equals = entry.indexOf('=');
	const key = equals === -1 ? entry : entry.slice(0, equals);
	if (key === '') throw new StrataError(`invalid environment variable: ${entry} (${where})`);
	if (/\s/.test(key)) throw new StrataError(`variable '${key}' contains whitespaces (${where})`);
	if (equals !== -1) return [entry];
	const value = hostEnv[key];
	return value === undefined ? [] : [`${key}=${value}`];
}

/**
 * Docker's merge of the run flags into the image config (daemon `merge`): an entrypoint given on the
 * command line drops the image's Cmd; arguments replace Cmd. Returns the process (path + args) too.
 */
export function mergeCommand(image: ContainerConfig, options: Pick<CreateOptions, 'command' | 'entrypoint'>): {entrypoint: string[] | null; cmd: string[] | null; argv: string[]} {
	const userCmd = options.command && options.command.length > 0 ? options.command : undefined;
	let entrypoint: string[] | null;
	let cmd: string[] | null;
	if (options.entrypoint !== undefined) {
		entrypoint = options.entrypoint === '' ? null : [options.entrypoint];
		cmd = userCmd ?? null;
	} else {
		entrypoint = image.Entrypoint && image.Entrypoint.length > 0 ? image.Entrypoint : null;
		cmd = userCmd ?? (image.Cmd && image.Cmd.length > 0 ? image.Cmd : null);
	}
	const argv = [...(entrypoint ?? []), ...(cmd ?? [])];
	if (argv.length === 0) throw new StrataError('No command specified');
	return {entrypoint, cmd, argv};
}
