/**
 * Long work (import, load, save, build, commit, pull) is an async generator of progress events whose
 * return value is the result. Both faces render the same events: the CLI as lines, the TUI as a pane.
 */
import type {BuildEvent} from './builder/build-events.js';

export type ProgressEvent =
	| {kind: 'step'; message: string}
	/** A build's structured events (see builder/build-events.ts); faces render them their own way. */
	| {kind: 'build'; event: BuildEvent}
	| {kind: 'bytes'; id: string; label: string; current: number; total?: number}
	| {kind: 'log'; message: string};

export type Operation<T> = AsyncGenerator<ProgressEvent, T, undefined>;

/** Runs an operation to its end, handing every event to `onEvent`, and returns its result. */
export async function drain<T>(operation: Operation<T>, onEvent?: (event: ProgressEvent) => void): Promise<T> {
	for (;;) {
		const next = await operation.next();
		if (next.done) return next.value;
		onEvent?.(next.value);
	}
}

/**
 * Adapts callback-style work (which may emit from inside a store transaction) to an Operation:
 * events are queued and yielded in order; the work's result or error ends the operation.
 */
export async function* operation<T>(work: (emit: (event: ProgressEvent) => void) => Promise<T>): Operation<T> {
	const queue: ProgressEvent[] = [];
	let wake: (() => void) | undefined;
	let settled = false;
	const emit = (event: ProgressEvent) => {
		queue.push(event);
		wake?.();
	};
	const running = work(emit).finally(() => {
		settled = true;
		wake?.();
	});
	running.catch(() => {});
	for (;;) {
		while (queue.length > 0) yield queue.shift()!;
		if (settled) break;
		await new Promise<void>(resolve => {
			wake = resolve;
		});
		wake = undefined;
	}
	return running;
}
