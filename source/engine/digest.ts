import {createHash} from 'node:crypto';

/** A content digest in OCI form: `sha256:<64 hex>`. */
export type Digest = `sha256:${string}`;

const digestPattern = /^sha256:[a-f\d]{64}$/;

export function isDigest(value: string): value is Digest {
	return digestPattern.test(value);
}

export function sha256Digest(data: string | Uint8Array): Digest {
	return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** The hex part of a digest, used as a file name under blobs/sha256/. */
export function digestHex(digest: Digest): string {
	return digest.slice('sha256:'.length);
}

/** Docker's 12-character short ID (`stringid.TruncateID`). */
export function shortId(digest: string): string {
	const hex = digest.includes(':') ? digest.slice(digest.indexOf(':') + 1) : digest;
	return hex.slice(0, 12);
}
