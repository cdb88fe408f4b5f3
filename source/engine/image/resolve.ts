import {type Digest, isDigest} from '../digest.js';
import {StrataError} from '../errors.js';
import {fullReference, parseReferenceWithDefaultTag, tryParseReference} from '../reference/reference.js';
import type {ImageCatalog, ImageRecord} from '../store/image-catalog.js';

/**
 * Finds an image the way Docker's GetImage does: a full ID (`sha256:...` or 64 hex), a tag
 * (`busybox` = `docker.io/library/busybox:latest`), `name@digest` (manifest digest), or a unique
 * prefix of an ID. Throws `No such image: X` otherwise.
 */
export function findImage(catalog: ImageCatalog, input: string): ImageRecord | undefined {
	if (isDigest(input)) return catalog.records.get(input);
	if (/^[a-f\d]{64}$/.test(input)) return catalog.records.get(`sha256:${input}` as Digest);
	const ref = tryParseReference(input);
	if (ref?.digest) {
		for (const record of catalog.records.values()) if (record.manifest.digest === ref.digest) return record;
	} else if (ref) {
		const id = catalog.tags.get(fullReference(parseReferenceWithDefaultTag(input)));
		if (id) return catalog.records.get(id);
	}
	const prefix = input.startsWith('sha256:') ? input.slice(7) : input;
	if (/^[a-f\d]{1,63}$/.test(prefix)) {
		const matches = [...catalog.records.values()].filter(record => record.id.slice(7).startsWith(prefix));
		if (matches.length === 1) return matches[0];
		if (matches.length > 1) throw new StrataError(`ambiguous image ID prefix ${input}: matches ${matches.length} images`);
	}
	return undefined;
}

export function resolveImage(catalog: ImageCatalog, input: string): ImageRecord {
	const record = findImage(catalog, input);
	if (!record) throw new StrataError(`No such image: ${input}`);
	return record;
}
