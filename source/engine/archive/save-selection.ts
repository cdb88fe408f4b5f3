import type {Digest} from '../digest.js';
import {StrataError} from '../errors.js';
import {resolveImage} from '../image/resolve.js';
import {fullReference, parseReference, type Reference, repositoryName, tryParseReference} from '../reference/reference.js';
import type {ImageCatalog, ImageRecord} from '../store/image-catalog.js';

/** An image to save and the tags it is saved under (none when named by ID or digest). */
export type SelectedImage = {record: ImageRecord; tags: Reference[]};

/**
 * Resolves `save` arguments as Docker does: `name:tag` saves that tag; a bare name saves every tag of
 * the repository (or, with none, falls back to an ID prefix); an ID or `name@digest` saves the image
 * untagged. Each image appears once, in the order first named.
 */
export function selectImages(catalog: ImageCatalog, inputs: string[]): SelectedImage[] {
	if (inputs.length === 0) throw new StrataError('save needs at least one image');
	const selected = new Map<Digest, SelectedImage>();
	const add = (record: ImageRecord, tag?: Reference) => {
		let entry = selected.get(record.id);
		if (!entry) {
			entry = {record, tags: []};
			selected.set(record.id, entry);
		}
		if (tag && !entry.tags.some(known => fullReference(known) === fullReference(tag))) entry.tags.push(tag);
	};
	for (const input of inputs) {
		// `sha256:<hex>` would parse as the repository "sha256"; Docker takes it as an ID, as does this.
		const reference = input.startsWith('sha256:') ? undefined : tryParseReference(input);
		if (reference && reference.tag === undefined && reference.digest === undefined) {
			const repository = repositoryName(reference);
			const tagged = [...catalog.tags]
				.filter(([name]) => repositoryName(parseReference(name)) === repository)
				.sort(([a], [b]) => a.localeCompare(b));
			for (const [name, id] of tagged) add(catalog.records.get(id)!, parseReference(name));
			if (tagged.length === 0) add(resolveImage(catalog, input));
		} else if (reference?.tag !== undefined && reference.digest === undefined) {
			const id = catalog.tags.get(fullReference(reference));
			const record = id === undefined ? undefined : catalog.records.get(id);
			if (!record) throw new StrataError(`No such image: ${input}`);
			add(record, reference);
		} else {
			add(resolveImage(catalog, input));
		}
	}
	return [...selected.values()];
}
