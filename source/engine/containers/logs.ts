import {open} from 'node:fs/promises';
import {setTimeout as sleep} from 'node:timers/promises';
import {ContainerPaths} from './container-paths.js';
import type {ContainerRecord} from './container-record.js';
import {observedState} from './observed-state.js';
import {isActive} from './wait.js';
import type {StoreLocation} from './store-location.js';

/** One entry of container.log (Docker's json-file format). */
export type LogEntry = {stream: 'stdout' | 'stderr'; time: string; log: string};

export type LogOptions = {
	/** Keep reading while the container runs (`logs -f`). */
	follow?: boolean;
	/** Only the last N entries (`--tail N`); all when undefined. */
	tail?: number;
	/** Checked between reads while following; return true to stop (the caller went away). */
	stopped?: () => boolean;
};

/**
 * The container's output, oldest first. Following, new entries are picked up as the supervisor appends
 * them (whole lines only: a line still being written waits for the next read) until the container is no
 * longer running and everything it wrote has been read.
 */
export async function* readLogs(store: StoreLocation, record: ContainerRecord, options: LogOptions = {}): AsyncGenerator<LogEntry> {
	const path = new ContainerPaths(store.paths).log(record.id);
	let offset = 0;
	let rest = '';
	let first = true;
	for (;;) {
		const active = options.follow ? isActive(await observedState(store, record.id)) : false;
		const chunk = await readFrom(path, offset);
		offset += chunk.length;
		const lines = (rest + chunk.toString('utf8')).split('\n');
		rest = lines.pop() ?? '';
		let entries = lines.flatMap(parseEntry);
		if (first && options.tail !== undefined) entries = options.tail <= 0 ? [] : entries.slice(-options.tail);
		first = false;
		yield* entries;
		// `active` was read before this chunk: once it is false, the chunk held everything the container wrote.
		if (!options.follow || !active || options.stopped?.()) return;
		await sleep(100);
	}
}

async function readFrom(path: string, offset: number): Promise<Buffer> {
	let handle;
	try {
		handle = await open(path, 'r');
	} catch {
		return Buffer.alloc(0);
	}
	try {
		const {size} = await handle.stat();
		if (size <= offset) return Buffer.alloc(0);
		const buffer = Buffer.alloc(size - offset);
		const {bytesRead} = await handle.read(buffer, 0, buffer.length, offset);
		return buffer.subarray(0, bytesRead);
	} finally {
		await handle.close();
	}
}

function parseEntry(line: string): LogEntry[] {
	if (line.trim() === '') return [];
	try {
		const entry = JSON.parse(line) as LogEntry;
		return typeof entry.log === 'string' ? [entry] : [];
	} catch {
		return [];
	}
}
