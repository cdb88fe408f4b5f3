// Synchronous file-system calls beat thread-pool round trips for many small files (extraction, diffs,
// hashing), but a long synchronous run would freeze the TUI: a Pacer counts the work done and gives the
// event loop a turn every `yieldEvery` units.
import {setImmediate as nextTurn} from 'node:timers/promises';

export class Pacer {
	private count = 0;

	/** `yieldEvery`: units of work between turns (a unit: one small file's calls, say). */
	constructor(private readonly yieldEvery = 256) {}

	async step(units = 1): Promise<void> {
		this.count += units;
		if (this.count < this.yieldEvery) return;
		this.count = 0;
		await nextTurn();
	}
}
