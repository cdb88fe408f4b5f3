import {open, type FileHandle} from 'node:fs/promises';

/** Docker's json-file driver splits a line longer than this into several entries. */
const maxEntryBytes = 16 * 1024;

const wallAtStart = BigInt(Date.now()) * 1_000_000n;
const monotonicAtStart = process.hrtime.bigint();

/**
 * RFC 3339 with nanoseconds, fixed 9 digits, UTC (what `docker logs -t` prints). The wall clock gives
 * milliseconds; the monotonic clock since this process started adds the rest, so entries are in order.
 */
export function timestampNow(): string {
	const nanos = wallAtStart + (process.hrtime.bigint() - monotonicAtStart);
	const iso = new Date(Number(nanos / 1_000_000n)).toISOString();
	return `${iso.slice(0, 19)}.${(nanos % 1_000_000_000n).toString().padStart(9, '0')}Z`;
}

export type LogStream = 'stdout' | 'stderr';

/**
 * Appends a container's output to container.log as JSON lines, Docker's json-file format:
 * `{"stream":"stdout","time":"2024-01-02T03:04:05.123456789Z","log":"hello\n"}`, one entry per line of
 * output (a partial line waits for its end, or for the stream to close). Writes are appends of whole
 * lines, so a reader following the file never sees half an entry.
 */
export class ContainerLogWriter {
	private readonly partial: Record<LogStream, Buffer> = {stdout: Buffer.alloc(0), stderr: Buffer.alloc(0)};
	private queue: Promise<void> = Promise.resolve();

	private constructor(private readonly file: FileHandle) {}

	static async open(path: string): Promise<ContainerLogWriter> {
		return new ContainerLogWriter(await open(path, 'a', 0o640));
	}

	write(stream: LogStream, chunk: Buffer): void {
		let data = Buffer.concat([this.partial[stream], chunk]);
		const entries: string[] = [];
		for (;;) {
			const newline = data.indexOf(0x0a);
			if (newline === -1 || newline >= maxEntryBytes) {
				if (data.length < maxEntryBytes) break;
				entries.push(this.entry(stream, data.subarray(0, maxEntryBytes)));
				data = data.subarray(maxEntryBytes);
				continue;
			}
			entries.push(this.entry(stream, data.subarray(0, newline + 1)));
			data = data.subarray(newline + 1);
		}
		this.partial[stream] = Buffer.from(data);
		if (entries.length > 0) this.append(entries.join(''));
	}

	/** Writes what is left of unfinished lines (output that did not end in a newline). */
	flush(stream: LogStream): void {
		if (this.partial[stream].length === 0) return;
		const rest = this.partial[stream];
		this.partial[stream] = Buffer.alloc(0);
		this.append(this.entry(stream, rest));
	}

	async close(): Promise<void> {
		this.flush('stdout');
		this.flush('stderr');
		await this.queue;
		await this.file.close();
	}

	private entry(stream: LogStream, data: Buffer): string {
		return `${JSON.stringify({stream, time: timestampNow(), log: data.toString('utf8')})}\n`;
	}

	private append(text: string): void {
		this.queue = this.queue.then(() => this.file.appendFile(text)).catch(() => {
			// A full disk must not take the container down with it; the output is lost, the container runs on.
		});
	}
}
