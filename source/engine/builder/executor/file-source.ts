// COPY/ADD sources that are no file of the context: a heredoc's body, a download. Each is written to its
// own temp directory and described as a one-file build context, so the copy, the content hash and the
// layer treat it exactly like a context file (owned 0:0, its own mode and mtime).
import {chmod, mkdtemp, rm, stat, utimes} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createBuildContext} from '../context/build-context.js';
import type {ContextEntry} from '../context/context-entry.js';
import type {ContextSource} from '../context/copy-sources.js';

export interface FileSourceOptions {
	mode: number;
	mtimeMs: number;
	/** A download: never unpacked by ADD. */
	remote?: boolean;
}

/** Temp directories of a step's file sources, removed once the step's layer is written. */
export class FileSources {
	private readonly dirs: string[] = [];

	/** A source named `name` whose content `fill` writes at the path it is given. */
	async add(name: string, fill: (path: string) => Promise<void>, options: FileSourceOptions): Promise<ContextSource> {
		const dir = await mkdtemp(join(tmpdir(), 'strata-build-file-'));
		this.dirs.push(dir);
		const path = join(dir, name);
		await fill(path);
		await chmod(path, options.mode);
		await utimes(path, options.mtimeMs / 1000, options.mtimeMs / 1000);
		const entry: ContextEntry = {
			path: name,
			type: 'file',
			mode: options.mode,
			size: (await stat(path)).size,
			uid: 0,
			gid: 0,
			mtimeMs: options.mtimeMs,
			linkname: '',
			devmajor: 0,
			devminor: 0,
		};
		const context = createBuildContext(dir, [entry], 'context');
		return {kind: 'context', source: name, path: name, name, entry, context, ...(options.remote ? {remote: true} : {})};
	}

	async cleanUp(): Promise<void> {
		await Promise.all(this.dirs.splice(0).map(dir => rm(dir, {recursive: true, force: true}).catch(() => {})));
	}
}
