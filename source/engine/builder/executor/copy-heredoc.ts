// COPY/ADD heredoc sources (`COPY <<EOF /etc/motd`): BuildKit makes each body a file named after its
// delimiter, mode 0644, and copies it like a context file (so `--chmod`, `--chown` and the destination rules
// apply). The body arrives already `<<-`-stripped and, for an unquoted delimiter, expanded with the stage's
// ENV and ARGs (expand-instruction.ts). Its content hash goes into the history text, so a changed body
// misses the cache.
import {writeFile} from 'node:fs/promises';
import {StrataError} from '../../errors.js';
import type {ContextSource} from '../context/copy-sources.js';
import type {InlineSource} from '../dockerfile/types.js';
import type {FileSources} from './file-source.js';

export async function heredocSource(files: FileSources, heredoc: InlineSource): Promise<ContextSource> {
	const {name, content} = heredoc;
	if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
		throw new StrataError(`heredoc <<${name} cannot be a file name: a heredoc source is copied as a file named after its delimiter`);
	}
	return files.add(name, path => writeFile(path, content, {flag: 'wx'}), {mode: 0o644, mtimeMs: Date.now()});
}
