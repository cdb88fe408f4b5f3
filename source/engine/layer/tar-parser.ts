import {
	applyPaxRecords,
	blockSize,
	checkBlock,
	contentSize,
	decodeGnuLongName,
	decodeHeaderBlock,
	maxMetaSize,
	paddingFor,
	parsePaxRecords,
	TarFormatError,
	typeflags,
	type TarHeader,
} from './tar-header.js';

/** Receives what the parser finds, synchronously, in archive order. */
export type TarSink = {
	entry(header: TarHeader): void;
	/** A piece of the current entry's content: a view into the pushed chunk, not a copy. */
	data?(chunk: Buffer): void;
	/** The current entry's content is complete. */
	entryEnd?(): void;
};

type State =
	| 'header'
	/** Content of a PAX or GNU meta entry, collected into `meta`. */
	| 'meta'
	| 'content'
	| 'padding'
	/** One zero block seen: the next block must be zero too, or the stream must end. */
	| 'zero'
	/** The end-of-archive marker was read; the rest (record padding) is ignored, as Go does. */
	| 'done';

/**
 * A push parser for tar streams: feed it chunks of any size and it calls the sink per entry.
 * It is synchronous and copies nothing but headers, which is what makes indexing fast; it checks
 * what Go's archive/tar checks (checksums, numeric fields, PAX syntax, truncation).
 */
export class TarParser {
	private state: State = 'header';
	/** A header block split across chunks is assembled here. */
	private readonly partialBlock = Buffer.alloc(blockSize);
	private partialLength = 0;
	private remaining = 0;
	private padding = 0;
	private metaHeader: TarHeader | undefined;
	private metaPosition = 0;
	private meta: Buffer[] = [];
	private pendingPax: Map<string, Buffer> | undefined;
	private pendingLongName: string | undefined;
	private pendingLongLink: string | undefined;
	private current: TarHeader | undefined;
	private bytesRead = 0;

	constructor(private readonly sink: TarSink) {}

	push(chunk: Buffer): void {
		let offset = 0;
		const length = chunk.length;
		while (offset < length) {
			switch (this.state) {
				case 'header':
				case 'zero': {
					if (this.partialLength === 0 && length - offset >= blockSize) {
						this.block(chunk, offset, this.bytesRead + offset);
						offset += blockSize;
						break;
					}
					const take = Math.min(blockSize - this.partialLength, length - offset);
					chunk.copy(this.partialBlock, this.partialLength, offset, offset + take);
					this.partialLength += take;
					offset += take;
					if (this.partialLength === blockSize) {
						this.partialLength = 0;
						this.block(this.partialBlock, 0, this.bytesRead + offset - blockSize);
					}
					break;
				}
				case 'content': {
					const take = Math.min(this.remaining, length - offset);
					if (this.sink.data) this.sink.data(chunk.subarray(offset, offset + take));
					this.remaining -= take;
					offset += take;
					if (this.remaining === 0) this.endContent();
					break;
				}
				case 'meta': {
					const take = Math.min(this.remaining, length - offset);
					// Copied: the chunk may be reused by the producer before the meta entry is complete.
					this.meta.push(Buffer.from(chunk.subarray(offset, offset + take)));
					this.remaining -= take;
					offset += take;
					if (this.remaining === 0) this.endMeta();
					break;
				}
				case 'padding': {
					const take = Math.min(this.padding, length - offset);
					this.padding -= take;
					offset += take;
					if (this.padding === 0) this.state = 'header';
					break;
				}
				case 'done':
					offset = length;
					break;
			}
		}
		this.bytesRead += length;
	}

	/** Call when the stream has ended: a tar must end at its end-of-archive marker. */
	end(): void {
		if (this.state === 'done' || this.state === 'zero') return;
		if (this.state === 'header' && this.partialLength === 0 && this.bytesRead === 0) return;
		throw new TarFormatError(`truncated tar: ${this.truncation()}`);
	}

	private truncation(): string {
		const quoted = (name: string | undefined) => (name === undefined ? '' : ` ${JSON.stringify(name)}`);
		if (this.state === 'content' || this.state === 'padding') {
			return `unexpected end of data in entry${quoted(this.current?.name)}`;
		}
		const pendingName = this.pendingLongName ?? this.pendingPax?.get('path')?.toString('utf8');
		if (this.state === 'meta' || pendingName !== undefined || this.pendingPax || this.pendingLongLink !== undefined) {
			return `unexpected end of data in the extended header of entry${quoted(pendingName)}`;
		}
		const after = this.current ? ` after entry ${JSON.stringify(this.current.name)}` : '';
		if (this.partialLength > 0) return `unexpected end of data in a header${after}`;
		return `missing end-of-archive marker${after}`;
	}

	/** Handles the block at `offset` of `block`, which starts at byte `position` of the stream. */
	private block(block: Buffer, offset: number, position: number): void {
		const kind = checkBlock(block, offset);
		if (this.state === 'zero') {
			if (kind !== 'zero') throw this.corrupt('data after the end-of-archive marker', position);
			this.state = 'done';
			return;
		}
		if (kind === 'zero') {
			// PAX or GNU headers without an entry are dropped, as Go does.
			this.pendingPax = undefined;
			this.pendingLongName = undefined;
			this.pendingLongLink = undefined;
			this.state = 'zero';
			return;
		}
		if (kind === 'corrupt') throw this.corrupt('checksum mismatch', position);
		let header: TarHeader;
		try {
			header = decodeHeaderBlock(block, offset);
		} catch (error) {
			throw error instanceof TarFormatError ? this.corrupt(error.message, position) : error;
		}
		if (header.size < 0) throw this.corrupt('negative size', position);
		switch (header.typeflag) {
			case typeflags.paxHeader:
			case typeflags.paxGlobal:
			case typeflags.gnuLongName:
			case typeflags.gnuLongLink:
				if (header.size > maxMetaSize) {
					throw this.corrupt(`${header.typeflag} header exceeds ${maxMetaSize} bytes`, position);
				}
				this.metaHeader = header;
				this.metaPosition = position;
				this.meta = [];
				this.remaining = header.size;
				this.padding = paddingFor(header.size);
				this.state = 'meta';
				if (this.remaining === 0) this.endMeta();
				return;
		}
		if (this.pendingPax) {
			try {
				applyPaxRecords(header, this.pendingPax);
			} catch (error) {
				throw error instanceof TarFormatError ? this.corrupt(error.message, position) : error;
			}
		}
		// Go applies GNU long names after PAX records, so they win.
		if (this.pendingLongName !== undefined) header.name = this.pendingLongName;
		if (this.pendingLongLink !== undefined) header.linkname = this.pendingLongLink;
		this.pendingPax = undefined;
		this.pendingLongName = undefined;
		this.pendingLongLink = undefined;
		header.size = contentSize(header);
		this.current = header;
		this.sink.entry(header);
		this.remaining = header.size;
		this.padding = paddingFor(header.size);
		if (this.remaining === 0) this.endContent();
		else this.state = 'content';
	}

	private endContent(): void {
		this.sink.entryEnd?.();
		this.state = this.padding === 0 ? 'header' : 'padding';
	}

	private endMeta(): void {
		try {
			this.decodeMeta();
		} catch (error) {
			throw error instanceof TarFormatError ? this.corrupt(error.message, this.metaPosition) : error;
		}
		this.state = this.padding === 0 ? 'header' : 'padding';
	}

	private decodeMeta(): void {
		const header = this.metaHeader!;
		const data = this.meta.length === 1 ? this.meta[0]! : Buffer.concat(this.meta);
		this.meta = [];
		this.metaHeader = undefined;
		switch (header.typeflag) {
			case typeflags.paxHeader:
				// A second PAX header replaces the first, as in Go.
				this.pendingPax = parsePaxRecords(data);
				break;
			case typeflags.paxGlobal:
				// Docker ignores global PAX headers (git archive writes one with a comment); so does strata.
				parsePaxRecords(data);
				break;
			case typeflags.gnuLongName:
				this.pendingLongName = decodeGnuLongName(data);
				break;
			case typeflags.gnuLongLink:
				this.pendingLongLink = decodeGnuLongName(data);
				break;
		}
	}

	private corrupt(reason: string, position: number): TarFormatError {
		const after = this.current ? ` after entry ${JSON.stringify(this.current.name)}` : '';
		return new TarFormatError(`corrupt tar header at byte ${position}${after}: ${reason}`);
	}
}

/** The parser's findings as a sequence, for consumers that await work per entry (extraction). */
export type TarEvent =
	| {kind: 'entry'; header: TarHeader}
	| {kind: 'data'; chunk: Buffer}
	| {kind: 'entryEnd'};

/**
 * Parses a tar stream into events. Backpressure is natural: the next chunk is read only after the
 * consumer has handled the events of this one (data chunks are valid until then).
 */
export async function* readTarEvents(source: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<TarEvent> {
	let events: TarEvent[] = [];
	const parser = new TarParser({
		entry: header => events.push({kind: 'entry', header}),
		data: chunk => events.push({kind: 'data', chunk}),
		entryEnd: () => events.push({kind: 'entryEnd'}),
	});
	for await (const chunk of source) {
		parser.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
		const batch = events;
		events = [];
		yield* batch;
	}
	parser.end();
}
