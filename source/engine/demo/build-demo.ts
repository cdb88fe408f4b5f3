import type {Digest} from '../digest.js';
import {StrataError} from '../errors.js';
import type {ContainerConfig, HistoryEntry, ImageConfig} from '../image/types.js';
import {platform} from '../images/platform.js';
import type {LayerIndex} from '../layer/types.js';
import {type Operation, operation} from '../progress.js';
import {fullReference, parseReferenceWithDefaultTag} from '../reference/reference.js';
import type {Store} from '../store/store.js';
import {demoLayerTar} from './demo-layer.js';
import {type DemoImage, type DemoRecipes, loadRecipes} from './recipes.js';

export type DemoResult = {
	/** Tags that now point at demo images (familiar form, as given in the recipes). */
	tags: string[];
	/** Images written, intermediate ones included (0 when the demo was already there). */
	imageCount: number;
	alreadyPresent: boolean;
};

/** What a built demo image leaves for the images on top of it. */
type Built = {id?: Digest; config: ContainerConfig; history: HistoryEntry[]; layers: LayerIndex[]; created: number};

const secondsPerStep = 20;

/**
 * `strata demo`: builds the demo images of demo/recipes.json into the store, offline, in one write
 * (the TUI sees them appear at once). Every step of a derived image becomes an image whose parent is
 * the step before, as Docker's classic builder does, so history shows image IDs and `-a` shows the
 * intermediate images. Does nothing when every demo tag is already there.
 */
export function buildDemo(store: Store, options: {recipes?: DemoRecipes; now?: number} = {}): Operation<DemoResult> {
	return operation(async emit => {
		const recipes = options.recipes ?? (await loadRecipes());
		const now = options.now ?? Date.now();
		const tags = recipes.images.flatMap(image => image.tags ?? []);
		const catalog = await store.catalog();
		if (tags.every(tag => catalog.tags.has(fullReference(parseReferenceWithDefaultTag(tag))))) {
			return {tags, imageCount: 0, alreadyPresent: true};
		}
		return store.write('demo', async tx => {
			const layers = new Map<string, LayerIndex>();
			for (const [name, entries] of Object.entries(recipes.layers)) {
				emit({kind: 'step', message: `Packing demo layer ${name}`});
				layers.set(name, await store.layers.ingest(await demoLayerTar(entries), {label: `demo layer ${name}`}));
			}
			const built = new Map<string, Built>();
			let imageCount = 0;
			// Oldest first, so that parents exist before their children and addedAt follows creation.
			const ordered = orderByParents([...recipes.images].sort((a, b) => b.hoursAgo - a.hoursAgo));
			for (const image of ordered) {
				emit({kind: 'step', message: `Building ${image.tags?.[0] ?? image.name}`});
				const parent = image.parent ? built.get(image.parent) : undefined;
				let current: Built = parent ?? {config: {}, history: [], layers: [], created: 0};
				const start = now - image.hoursAgo * 3600 * 1000;
				for (const [index, step] of image.steps.entries()) {
					const created = new Date(start + index * secondsPerStep * 1000).toISOString();
					const layer = step.layer ? layers.get(step.layer)! : undefined;
					const last = index === image.steps.length - 1;
					const history: HistoryEntry[] = [...current.history, {created, created_by: step.createdBy, ...(layer ? {} : {empty_layer: true})}];
					const stepLayers = layer ? [...current.layers, layer] : current.layers;
					const containerConfig = last ? {...current.config, ...image.config} : current.config;
					const config: ImageConfig = {
						...platform(),
						created,
						config: containerConfig,
						rootfs: {type: 'layers', diff_ids: stepLayers.map(item => item.diffID)},
						history,
					};
					const record = await tx.addImage(config, stepLayers, {parent: current.id});
					imageCount++;
					current = {id: record.id, config: containerConfig, history, layers: stepLayers, created: Date.parse(created)};
				}
				built.set(image.name, current);
				for (const tag of image.tags ?? []) tx.setTag(fullReference(parseReferenceWithDefaultTag(tag)), current.id!);
			}
			return {tags, imageCount, alreadyPresent: false};
		});
	});
}

/** The images with every parent before its children; a cycle is a broken recipe. */
function orderByParents(images: DemoImage[]): DemoImage[] {
	const byName = new Map(images.map(image => [image.name, image]));
	const ordered: DemoImage[] = [];
	const visiting = new Set<string>();
	const visit = (image: DemoImage) => {
		if (ordered.includes(image)) return;
		if (visiting.has(image.name)) throw new StrataError(`demo recipes: ${image.name} is its own ancestor`);
		visiting.add(image.name);
		if (image.parent) visit(byName.get(image.parent)!);
		ordered.push(image);
	};
	for (const image of images) visit(image);
	return ordered;
}
