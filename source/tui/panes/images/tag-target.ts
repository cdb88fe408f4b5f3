import {shortId} from '../../../engine/digest.js';
import {familiarReference, fullReference, parseReferenceWithDefaultTag} from '../../../engine/reference/reference.js';
import type {ImageCatalog} from '../../../engine/store/image-catalog.js';
import type {Digest} from '../../../engine/digest.js';

export type TagCheck =
	| {ok: false; message: string}
	| {ok: true; reference: string; message: string; moves: boolean};

/** Checks what the user types as a new tag, as `docker tag` would, and says what it will do. */
export function checkTagTarget(input: string, imageId: Digest, catalog: ImageCatalog | undefined): TagCheck {
	const text = input.trim();
	if (text === '') return {ok: false, message: 'type a reference: NAME[:TAG], e.g. myapp:1.0 or registry:5000/team/app:dev'};
	let full: string;
	let familiar: string;
	try {
		const reference = parseReferenceWithDefaultTag(text);
		if (reference.digest) return {ok: false, message: 'a tag cannot contain a digest (@sha256:...)'};
		full = fullReference(reference);
		familiar = familiarReference(reference);
	} catch (error) {
		return {ok: false, message: (error as Error).message};
	}
	const current = catalog?.tags.get(full);
	if (current === imageId) return {ok: false, message: `${familiar} already tags this image`};
	if (current) return {ok: true, reference: familiar, moves: true, message: `${familiar} moves here from ${shortId(current)}`};
	return {ok: true, reference: familiar, moves: false, message: `new tag ${familiar}`};
}
