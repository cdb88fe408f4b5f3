/**
 * Long work (import, load, save, build, commit, pull) is an async generator of progress events whose
 * return value is the result. Both faces render the same events: the CLI as lines, the TUI as a pane.
 */
export type ProgressEvent =
	| {kind: 'step'; message: string}
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
