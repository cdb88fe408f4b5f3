import {useCallback, useRef, useState} from 'react';
import {humanSize} from '../../../cli/format/units.js';
import {buildDemo} from '../../../engine/demo/build-demo.js';
import {shortId} from '../../../engine/digest.js';
import {pruneImages} from '../../../engine/images/prune.js';
import {planPrune, planRemoval, type RemovalPlan, removeImages} from '../../../engine/images/removal-plan.js';
import type {RemovalRecord} from '../../../engine/images/remove.js';
import {tagImage} from '../../../engine/images/tag.js';
import {drain} from '../../../engine/progress.js';
import type {Digest} from '../../../engine/digest.js';
import {useStatusReporter} from '../../context/status-context.js';
import {useCatalog, useCatalogChanged, useStore} from '../../context/store-context.js';

/** A removal waiting for the user's yes: what it would do, and how to do it. */
export type PendingRemoval = {title: string; plan: RemovalPlan; confirmLabel: string; run: () => Promise<void>};

/** "Untagged web:latest; deleted 2 images, freed 1.2MB" from what rmi/prune printed and what the plan counted. */
export function removalResult(records: RemovalRecord[], deleted: {images: number; bytes: number}): string {
	const untagged = records.flatMap(record => ('untagged' in record ? [record.untagged] : []));
	const parts: string[] = [];
	if (untagged.length > 0) parts.push(untagged.length <= 2 ? `Untagged ${untagged.join(', ')}` : `Untagged ${untagged.length} tags`);
	if (deleted.images > 0) parts.push(`deleted ${deleted.images} image${deleted.images === 1 ? '' : 's'}, freed ${humanSize(deleted.bytes)}`);
	if (parts.length === 0) return 'Nothing was removed';
	const text = parts.join('; ');
	return text[0]!.toUpperCase() + text.slice(1);
}

/**
 * The images pane's actions over the engine. Each reports its result or error on the status line
 * (never throws), and tells the store readers to reload.
 */
export function useImageActions() {
	const store = useStore();
	const {catalog} = useCatalog();
	const changed = useCatalogChanged();
	const status = useStatusReporter();
	const [pending, setPending] = useState<PendingRemoval>();
	const [busy, setBusy] = useState(false);
	const busyRef = useRef(false);

	const perform = useCallback(
		async (label: string, work: () => Promise<string>) => {
			if (busyRef.current) return;
			busyRef.current = true;
			setBusy(true);
			status.report({kind: 'busy', text: `${label}…`});
			try {
				status.report({kind: 'success', text: await work()});
			} catch (error) {
				status.fail(error);
			} finally {
				busyRef.current = false;
				setBusy(false);
				changed();
			}
		},
		[status, changed],
	);

	/** Works out what removing `inputs` would do, then asks. */
	const askRemove = useCallback(
		async (inputs: string[], options: {force?: boolean; label: string}) => {
			try {
				const plan = await planRemoval(store, inputs, {force: options.force}, catalog);
				setPending({
					title: `${options.force ? 'Force-remove' : 'Remove'} ${options.label}?`,
					plan,
					confirmLabel: options.force ? 'remove with force' : 'remove',
					run: () =>
						perform(`Removing ${options.label}`, async () => {
							const result = await removeImages(store, inputs, {force: options.force});
							if (result.errors.length > 0 && result.records.length === 0) throw new Error(result.errors.join('; '));
							const text = removalResult(result.records, {images: plan.imageCount, bytes: plan.spaceFreed});
							return result.errors.length > 0 ? `${text} (${result.errors.length} failed: ${result.errors[0]})` : text;
						}),
				});
			} catch (error) {
				status.fail(error);
			}
		},
		[store, catalog, perform, status],
	);

	const askPrune = useCallback(
		async (all: boolean) => {
			try {
				const plan = await planPrune(store, {all}, catalog);
				if (plan.records.length === 0) {
					status.report({kind: 'info', text: all ? 'No unused images to prune' : 'No dangling images to prune'});
					return;
				}
				setPending({
					title: all ? 'Prune all unused images (image prune -a)?' : 'Prune dangling images (image prune)?',
					plan,
					confirmLabel: 'prune',
					run: () =>
						perform('Pruning', async () => {
							const result = await pruneImages(store, {all});
							return `Pruned: ${removalResult(result.records, {images: plan.imageCount, bytes: result.spaceReclaimed})}`;
						}),
				});
			} catch (error) {
				status.fail(error);
			}
		},
		[store, catalog, perform, status],
	);

	const confirmPending = useCallback(() => {
		const current = pending;
		setPending(undefined);
		void current?.run();
	}, [pending]);

	const cancelPending = useCallback(() => setPending(undefined), []);

	const tag = useCallback(
		(imageId: Digest, target: string) =>
			perform(`Tagging ${shortId(imageId)}`, async () => {
				await tagImage(store, imageId, target);
				return `Tagged ${shortId(imageId)} as ${target}`;
			}),
		[store, perform],
	);

	const demo = useCallback(
		() =>
			perform('Building the demo images', async () => {
				const result = await drain(buildDemo(store), event => {
					if (event.kind === 'step') status.report({kind: 'busy', text: `${event.message}…`});
				});
				return result.alreadyPresent ? 'The demo images are already here' : `Built ${result.imageCount} demo images: ${result.tags.join(', ')}`;
			}),
		[store, perform, status],
	);

	return {pending, busy, askRemove, askPrune, confirmPending, cancelPending, tag, demo};
}
