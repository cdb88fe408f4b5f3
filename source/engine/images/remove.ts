import {containersUsing} from '../containers/image-users.js';
import {type Digest, shortId} from '../digest.js';
import {StrataError} from '../errors.js';
import {chainIDs} from '../image/identity.js';
import {findImage} from '../image/resolve.js';
import {familiarReference, fullReference, parseReference, parseReferenceWithDefaultTag} from '../reference/reference.js';
import type {StoreTransaction} from '../store/store.js';

/** One line of `rmi` output: Docker's `Untagged: busybox:latest` / `Deleted: sha256:...`. */
export type RemovalRecord = {untagged: string} | {deleted: string};

type ConflictMask = {dependentChild: boolean; activeReference: boolean; runningContainer?: boolean; stoppedContainer?: boolean};

class DeleteConflict extends StrataError {
	constructor(id: Digest, readonly hard: boolean, reason: string, readonly used = false) {
		super(`conflict: unable to delete ${shortId(id)} (${hard ? 'cannot' : 'must'} be forced) - ${reason}`);
	}
}

function checkConflict(tx: StoreTransaction, id: Digest, mask: ConflictMask): DeleteConflict | undefined {
	if (mask.dependentChild && tx.catalog.childrenOf(id).length > 0) return new DeleteConflict(id, true, 'image has dependent child images');
	const running = mask.runningContainer ? containersUsing(tx, id).find(user => user.running) : undefined;
	if (running) {
		const user = running.kind === 'build' ? `a running build (pid ${running.id})` : `running container ${shortId(running.id)}`;
		return new DeleteConflict(id, true, `image is being used by ${user}`, true);
	}
	if (mask.activeReference && tx.catalog.tagsOf(id).length > 0) return new DeleteConflict(id, false, 'image is referenced in multiple repositories');
	const stopped = mask.stoppedContainer ? containersUsing(tx, id).find(user => !user.running) : undefined;
	if (stopped) return new DeleteConflict(id, false, `image is being used by stopped container ${shortId(stopped.id)}`, true);
	return undefined;
}

function isDangling(tx: StoreTransaction, id: Digest): boolean {
	return tx.catalog.tagsOf(id).length === 0 && tx.catalog.childrenOf(id).length === 0;
}

/** Chain IDs of `id`'s layers that no other image still uses, top layer first (Docker's release order). */
function releasedLayers(tx: StoreTransaction, id: Digest): Digest[] {
	const record = tx.catalog.records.get(id)!;
	const inUse = new Set<Digest>();
	for (const other of tx.catalog.records.values()) if (other.id !== id) for (const chain of chainIDs(other.diffIDs)) inUse.add(chain);
	return chainIDs(record.diffIDs).filter(chain => !inUse.has(chain)).reverse();
}

/** Docker's `imageDeleteHelper`: delete the image, then (with prune) its untagged parents, quietly. */
function deleteImage(tx: StoreTransaction, id: Digest, records: RemovalRecord[], force: boolean, quiet: boolean, prune: boolean): void {
	const conflict = checkConflict(tx, id, {dependentChild: true, runningContainer: true, activeReference: !force, stoppedContainer: !force});
	if (conflict) {
		// After an untag, a conflict just means the image stays (it has children, a container uses it), unless it is dangling and unused.
		if (quiet && (!isDangling(tx, id) || conflict.used)) return;
		throw conflict;
	}
	const parent = tx.catalog.records.get(id)?.parent;
	for (const name of tx.catalog.tagsOf(id)) {
		tx.removeTag(name);
		records.push({untagged: familiarReference(parseReference(name))});
	}
	const released = releasedLayers(tx, id);
	tx.removeImage(id);
	records.push({deleted: id});
	for (const chain of released) records.push({deleted: chain});
	if (prune && parent && tx.catalog.records.has(parent)) deleteImage(tx, parent, records, false, true, true);
}

function isIdPrefix(id: Digest, input: string): boolean {
	const hex = input.startsWith('sha256:') ? input.slice(7) : input;
	return /^[a-f\d]+$/.test(hex) && id.slice(7).startsWith(hex);
}

export {deleteImage};

/** `docker rmi` for one argument, with Docker's untag/delete order and conflict rules. */
export function removeImage(tx: StoreTransaction, input: string, options: {force?: boolean; prune?: boolean} = {}): RemovalRecord[] {
	const force = options.force ?? false;
	const prune = options.prune ?? true;
	const record = findImage(tx.catalog, input);
	if (!record) throw new StrataError(`No such image: ${input}`);
	const records: RemovalRecord[] = [];
	if (!isIdPrefix(record.id, input)) {
		const name = fullReference(parseReferenceWithDefaultTag(input));
		// Untagging the last name of an image a container uses would leave it dangling: Docker wants -f for that.
		const user = containersUsing(tx, record.id).find(candidate => candidate.kind === 'container');
		if (!force && user && tx.catalog.tagsOf(record.id).length === 1) {
			throw new StrataError(`conflict: unable to remove repository reference "${input}" (must force) - container ${shortId(user.id)} is using its referenced image ${shortId(record.id)}`);
		}
		if (tx.catalog.tags.has(name)) {
			tx.removeTag(name);
			records.push({untagged: familiarReference(parseReference(name))});
		}
		if (tx.catalog.tagsOf(record.id).length > 0) return records;
		deleteImage(tx, record.id, records, force, true, prune);
		return records;
	}
	const tags = tx.catalog.tagsOf(record.id);
	if (tags.length === 1) {
		// By ID with a single tag: untag it first (Docker's isSingleReference case); several need -f.
		const conflict = checkConflict(tx, record.id, {dependentChild: true, runningContainer: true, activeReference: false, stoppedContainer: !force});
		if (conflict) throw conflict;
		for (const tag of tags) {
			tx.removeTag(tag);
			records.push({untagged: familiarReference(parseReference(tag))});
		}
	}
	deleteImage(tx, record.id, records, force, false, prune);
	return records;
}
