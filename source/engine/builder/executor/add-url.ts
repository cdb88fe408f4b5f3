// ADD from a URL, by the classic builder's rules (moby builder/dockerfile/copy.go, downloadSource): a GET
// that follows redirects, the file named after the URL path's last element (else Content-Disposition's
// filename, else `__unnamed__`, which a destination ending in `/` cannot take), mode 0600, mtime from
// Last-Modified (else the epoch), never unpacked. `--checksum` (BuildKit's) is checked on the download.
import {createHash, type Hash} from 'node:crypto';
import {createReadStream, createWriteStream} from 'node:fs';
import {get as httpGet, type IncomingMessage} from 'node:http';
import {get as httpsGet} from 'node:https';
import {Transform} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {StrataError} from '../../errors.js';
import {headerText} from '../context/copy-hash.js';
import type {ContextSource} from '../context/copy-sources.js';
import type {FileSources} from './file-source.js';

export interface AddUrlOptions {
	/** ADD's destination as written (a trailing `/` needs a file name). */
	destination: string;
	/** `--checksum=ALGO:HEX`, expanded. */
	checksum?: string;
}

const unnamedFilename = '__unnamed__';
const maxRedirects = 10;
/** A server that stops sending for this long fails the step rather than hanging the build. */
const idleTimeoutMs = 120_000;
const checksumAlgorithms: Record<string, {hash: string; hexLength: number}> = {
	sha256: {hash: 'sha256', hexLength: 64},
	sha384: {hash: 'sha384', hexLength: 96},
	sha512: {hash: 'sha512', hexLength: 128},
};

/** Downloads `url` into a file source; a StrataError reads `ADD <url>: <reason>`. */
export async function downloadUrlSource(files: FileSources, url: string, options: AddUrlOptions): Promise<ContextSource> {
	const failed = (reason: string) => new StrataError(`ADD ${url}: ${reason}`);
	const expected = options.checksum === undefined ? undefined : parseChecksum(options.checksum, failed);
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw failed('invalid URL');
	}
	const response = await fetchFollowingRedirects(parsed, failed);
	let name = fileNameForDownload(parsed, response);
	if (name === '') {
		if (options.destination.endsWith('/')) {
			response.destroy();
			throw new StrataError(`ADD failed: cannot determine filename for source ${url}`);
		}
		name = unnamedFilename;
	}
	const modified = Date.parse(response.headers['last-modified'] ?? '');
	const digest = expected ? createHash(expected.algorithm) : undefined;
	const source = await files.add(
		name,
		async path => {
			try {
				await pipeline(response, hashing(digest), createWriteStream(path, {flags: 'wx', mode: 0o600}));
			} catch (error) {
				throw failed(`download interrupted: ${(error as Error).message}`);
			}
		},
		{mode: 0o600, mtimeMs: Number.isNaN(modified) || modified < 0 ? 0 : modified, remote: true},
	);
	if (expected && digest) {
		const actual = `${expected.algorithm}:${digest.digest('hex')}`;
		if (actual !== expected.digest) throw failed(`checksum mismatch: expected ${expected.digest}, downloaded ${actual}`);
	}
	return source;
}

/**
 * The classic builder's hash of a download, bare (no `file:`): tarsum of the header Go's FileInfoHeader
 * makes for the daemon's temp file (type bits in the mode, the owner's names) and the content.
 */
export async function downloadHash(source: ContextSource): Promise<string> {
	const hash = createHash('sha256');
	hash.update(headerText({...source.entry, mode: source.entry.mode | 0o100000}, 'context', {uname: 'root', gname: 'root'}));
	for await (const chunk of createReadStream(`${source.context.root}/${source.entry.path}`)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

function parseChecksum(checksum: string, failed: (reason: string) => StrataError): {algorithm: string; digest: string} {
	const [algorithm = '', hex = ''] = checksum.split(':', 2);
	const known = checksumAlgorithms[algorithm];
	if (!known || !checksum.includes(':')) throw failed(`invalid checksum ${checksum}: want sha256:, sha384: or sha512: and the hex digest`);
	if (hex.length !== known.hexLength || !/^[\da-f]+$/.test(hex)) throw failed(`invalid checksum ${checksum}: not a ${algorithm} hex digest`);
	return {algorithm: known.hash, digest: `${algorithm}:${hex}`};
}

/** Go's http.Get: redirects followed (at most 10), a status of 400 or more is a failure. */
async function fetchFollowingRedirects(start: URL, failed: (reason: string) => StrataError): Promise<IncomingMessage> {
	let url = start;
	for (let redirects = 0; ; redirects++) {
		const response = await request(url, failed);
		const status = response.statusCode ?? 0;
		const location = response.headers.location;
		if (status >= 300 && status < 400 && location !== undefined && status !== 304) {
			response.resume();
			if (redirects === maxRedirects) throw failed(`stopped after ${maxRedirects} redirects`);
			try {
				url = new URL(location, url);
			} catch {
				throw failed(`bad redirect location ${JSON.stringify(location)}`);
			}
			if (url.protocol !== 'http:' && url.protocol !== 'https:') throw failed(`redirected to ${url.protocol} URL ${url.href}`);
			continue;
		}
		if (status >= 400) {
			response.resume();
			throw failed(`the server answered ${status} ${response.statusMessage ?? ''}`.trimEnd());
		}
		return response;
	}
}

function request(url: URL, failed: (reason: string) => StrataError): Promise<IncomingMessage> {
	return new Promise((resolve, reject) => {
		const get = url.protocol === 'https:' ? httpsGet : httpGet;
		const outgoing = get(url, {headers: {'user-agent': 'strata'}}, resolve);
		outgoing.setTimeout(idleTimeoutMs, () => outgoing.destroy(new Error(`no answer for ${idleTimeoutMs / 1000} s`)));
		outgoing.on('error', error => reject(failed(networkReason(error))));
	});
}

function networkReason(error: Error & {code?: string}): string {
	if (error.code === 'ECONNREFUSED') return `connection refused (${error.message})`;
	if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return `cannot resolve the host (${error.message})`;
	return error.message;
}

/** getFilenameForDownload: the URL path's last element, else Content-Disposition's filename. */
function fileNameForDownload(url: URL, response: IncomingMessage): string {
	const path = decodePath(url.pathname);
	if (path !== '' && !path.endsWith('/')) {
		const name = path.slice(path.lastIndexOf('/') + 1);
		if (name !== '' && name !== '.' && name !== '..') return name;
	}
	const disposition = response.headers['content-disposition'];
	const match = disposition === undefined ? null : /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/i.exec(disposition);
	const given = match ? (match[1]?.replace(/\\(.)/g, '$1') ?? match[2] ?? '') : '';
	if (given === '' || given.endsWith('/')) return '';
	const name = given.slice(given.lastIndexOf('/') + 1);
	return name === '.' || name === '..' ? '' : name;
}

function decodePath(pathname: string): string {
	try {
		return decodeURIComponent(pathname);
	} catch {
		return pathname;
	}
}

/** Passes bytes through, feeding them to `digest` when there is one. */
function hashing(digest: Hash | undefined): Transform {
	return new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			digest?.update(chunk);
			callback(null, chunk);
		},
	});
}
