import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {StrataError} from '../errors.js';

const execFileAsync = promisify(execFile);

/**
 * The copy driver's root file system: `cp -a` of the image's unpacked root into `target` (which must not
 * exist). cp -a keeps owners, modes, mtimes, hard links and xattrs: the comparison with the lower dir that
 * finds the diff depends on it.
 */
export async function copyLowerInto(lower: string, target: string, label: string): Promise<void> {
	try {
		await execFileAsync('cp', ['-a', '--', lower, target], {maxBuffer: 1024 * 1024});
	} catch (error) {
		const stderr = ((error as {stderr?: string}).stderr ?? '').trim().split('\n').at(-1);
		throw new StrataError(`${label}: cannot copy the image's root file system: ${stderr || (error as Error).message}`);
	}
}
