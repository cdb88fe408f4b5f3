import {StrataError} from '../errors.js';
import type {ByteSink} from './output-sink.js';
import {blockSize, encodeHeader, encodePaxRecords, maxOctalSize, paddingFor} from './tar-header.js';

// Headers and small members are gathered into writes of about this size; big chunks go straight through.
const batchSize = 1024 * 1024;

/** Writes a tar stream of directories and regular files onto a sink. Every entry has mtime 0 and root owner. */
export class TarWriter {
	private pending: Buffer[] = [];
	private pendingSize = 0;

	constructor(private readonly sink: ByteSink) {}

	private async push(chunk: Buffer): Promise<void> {
		if (chunk.length >= batchSize / 4) {
			await this.flush();
			await this.sink.write(chunk);
			return;
		}
		this.pending.push(chunk);
		this.pendingSize += chunk.length;
		if (this.pendingSize >= batchSize) await this.flush();
	}

	private async flush(): Promise<void> {
		if (this.pendingSize === 0) return;
		const batch = Buffer.concat(this.pending, this.pendingSize);
		this.pending = [];
		this.pendingSize = 0;
		await this.sink.write(batch);
	}

	private async header(name: string, typeflag: string, mode: number, size: number): Promise<void> {
		if (size > maxOctalSize) {
			const records = encodePaxRecords({size: String(size)});
			await this.push(encodeHeader({name: 'PaxHeader', mode: 0o644, size: records.length, mtime: 0, typeflag: 'x', linkname: ''}));
			await this.push(records);
			await this.push(Buffer.alloc(paddingFor(records.length)));
		}
		await this.push(encodeHeader({name, mode, size, mtime: 0, typeflag, linkname: ''}));
	}

	async addDirectory(name: string): Promise<void> {
		await this.header(name.endsWith('/') ? name : `${name}/`, '5', 0o755, 0);
	}

	async addFile(name: string, content: Buffer): Promise<void> {
		await this.header(name, '0', 0o644, content.length);
		await this.push(content);
		await this.push(Buffer.alloc(paddingFor(content.length)));
	}

	/** A member whose `size` bytes come from `content`; fewer or more bytes is an error, not a corrupt tar. */
	async addStream(name: string, size: number, content: AsyncIterable<Buffer>): Promise<void> {
		await this.header(name, '0', 0o644, size);
		let written = 0;
		for await (const chunk of content) {
			written += chunk.length;
			if (written > size) break;
			await this.push(chunk);
		}
		if (written !== size) throw new StrataError(`${name}: expected ${size} bytes, read ${written}; the store's copy is damaged`);
		await this.push(Buffer.alloc(paddingFor(size)));
	}

	/** The end-of-archive marker, then everything buffered. */
	async finish(): Promise<void> {
		await this.push(Buffer.alloc(blockSize * 2));
		await this.flush();
	}
}
