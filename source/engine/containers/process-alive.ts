import {readFileSync} from 'node:fs';
import {isAlive} from '../store/lock.js';

export {isAlive};

/**
 * True when `pid` is alive and its command line contains `marker` (a container ID): a pid recorded
 * long ago may have been reused by an unrelated process, which must not pass for our supervisor.
 */
export function isProcessOf(pid: number, marker: string): boolean {
	if (!isAlive(pid)) return false;
	try {
		const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
		if (!cmdline.includes(marker)) return false;
		// A zombie still has its pid and cmdline (until its parent reaps it) but is dead for our purposes.
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		// No /proc (or the process just went): trust the signal check.
		return isAlive(pid);
	}
}
