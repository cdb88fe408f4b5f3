import {closeSync, openSync, rmSync, writeFileSync} from 'node:fs';
import {readFile, unlink} from 'node:fs/promises';
import {setTimeout as sleep} from 'node:timers/promises';
import {StrataError} from '../errors.js';

type LockOwner = {pid: number; command: string; since: string};

/** Whether a process exists (EPERM: it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
	try {
		return JSON.parse(await readFile(path, 'utf8')) as LockOwner;
	} catch {
		return undefined;
	}
}

/**
 * The store's writer lock: a file created with O_EXCL that holds the owner's pid. Writers (any
 * process) are serialized by it; readers never take it because every write is an atomic rename.
 * A lock whose owner died is taken over, so a killed strata never wedges the store.
 */
export class StoreLock {
	private held = false;

	private constructor(private readonly path: string) {}

	static async acquire(path: string, options: {timeoutMs?: number; command?: string} = {}): Promise<StoreLock> {
		const timeoutMs = options.timeoutMs ?? Number(process.env.STRATA_LOCK_TIMEOUT_MS ?? 30_000);
		const me: LockOwner = {pid: process.pid, command: options.command ?? process.argv.slice(2).join(' '), since: new Date().toISOString()};
		const deadline = Date.now() + timeoutMs;
		// Most waits are short (a container's supervisor waiting for `run` to let go of the container after
		// the start): poll soon, then back off.
		let delay = 1;
		for (;;) {
			// Synchronous calls: three thread-pool round trips cost more than the calls (every write and every
			// container start takes a lock).
			try {
				const fd = openSync(path, 'wx', 0o644);
				try {
					writeFileSync(fd, JSON.stringify(me));
				} catch (error) {
					// A full disk: leave no ownerless lock behind.
					closeSync(fd);
					rmSync(path, {force: true});
					throw error;
				}
				closeSync(fd);
				const lock = new StoreLock(path);
				lock.held = true;
				return lock;
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			}
			const owner = await readOwner(path);
			if (owner && !isAlive(owner.pid)) {
				// The owner died mid-write: its temp files are swept by the next writer, the lock goes.
				await unlink(path).catch(() => {});
				continue;
			}
			if (!owner) {
				// Created but not yet written by its owner, or garbage: give the owner a moment.
				await sleep(20);
				const again = await readOwner(path);
				if (!again) {
					await unlink(path).catch(() => {});
					continue;
				}
			}
			if (Date.now() >= deadline) {
				const who = owner ? `process ${owner.pid}${owner.command ? ` (strata ${owner.command})` : ''}` : 'another process';
				throw new StrataError(
					`store ${path.replace(/\/strata\/lock$/, '')} is locked by ${who}; gave up after ${timeoutMs < 1000 ? `${timeoutMs}ms` : `${Math.round(timeoutMs / 1000)}s`}`,
				);
			}
			await sleep(delay);
			delay = Math.min(delay * 2, 100);
		}
	}

	async release(): Promise<void> {
		if (!this.held) return;
		this.held = false;
		rmSync(this.path, {force: true});
	}
}
