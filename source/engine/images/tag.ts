import {StrataError} from '../errors.js';
import {resolveImage} from '../image/resolve.js';
import {fullReference, parseReferenceWithDefaultTag} from '../reference/reference.js';
import type {Store} from '../store/store.js';

/** `docker tag SRC DST`: an existing DST is silently moved. */
export async function tagImage(store: Store, source: string, target: string): Promise<void> {
	const ref = parseReferenceWithDefaultTag(target);
	if (ref.digest) throw new StrataError(`refusing to create a tag with a digest reference: ${target}`);
	await store.write('tag', async tx => {
		const record = resolveImage(tx.catalog, source);
		tx.setTag(fullReference(ref), record.id);
	});
}
