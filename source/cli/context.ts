import type {Readable, Writable} from 'node:stream';
import {Store} from '../engine/store/store.js';
import {resolveStoreRoot} from '../engine/store/paths.js';

/** What every command gets: where to write, where stdin is, and the store (opened on first use). */
export type CliContext = {
	stdout: Writable;
	stderr: Writable;
	stdin: Readable;
	rootOption?: string;
	version: string;
	store(): Promise<Store>;
	print(text: string): void;
};

export function createCliContext(io: {stdout: Writable; stderr: Writable; stdin: Readable}, version: string): CliContext {
	let opened: Promise<Store> | undefined;
	const context: CliContext = {
		...io,
		version,
		store() {
			opened ??= Store.open(resolveStoreRoot(context.rootOption));
			return opened;
		},
		print(text: string) {
			io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
		},
	};
	return context;
}

/** Collects repeatable options (`--change a --change b`). */
export function collect(value: string, previous: string[] = []): string[] {
	return [...previous, value];
}
