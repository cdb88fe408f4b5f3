import {existsSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {ContainerConfig} from '../image/types.js';
import {StrataError} from '../errors.js';

/** One entry of a demo layer. Exactly one of the content keys is set. */
export type DemoEntry = {
	path: string;
	text?: string;
	/** This many incompressible bytes (a hash stream of `seed`): stands in for binaries and archives. */
	generate?: number;
	/** This many bytes of readable, compressible text made from `seed`. */
	generateText?: number;
	seed?: string;
	symlink?: string;
	dir?: boolean;
	/** A whiteout: the path is deleted from the layers below. */
	delete?: boolean;
	/** The first of these host files that exists is copied in; none is fine (the entry is left out). */
	hostFile?: string[];
	mode?: number;
	uid?: number;
	gid?: number;
};

export type DemoStep = {createdBy: string; layer?: string};

export type DemoImage = {
	name: string;
	parent?: string;
	tags?: string[];
	hoursAgo: number;
	config?: ContainerConfig;
	steps: DemoStep[];
};

export type DemoRecipes = {images: DemoImage[]; layers: Record<string, DemoEntry[]>};

/** demo/recipes.json, found from here whether strata runs from its sources or from dist/. */
export function recipesPath(): string {
	let dir = dirname(fileURLToPath(import.meta.url));
	for (let depth = 0; depth < 6; depth++) {
		const candidate = join(dir, 'demo', 'recipes.json');
		if (existsSync(candidate)) return candidate;
		dir = dirname(dir);
	}
	throw new StrataError('the demo recipes (demo/recipes.json) are missing from this installation');
}

export async function loadRecipes(path = recipesPath()): Promise<DemoRecipes> {
	const recipes = JSON.parse(await readFile(path, 'utf8')) as DemoRecipes;
	for (const image of recipes.images) {
		for (const step of image.steps) {
			if (step.layer && !recipes.layers[step.layer]) throw new StrataError(`${path}: image ${image.name} uses an unknown layer "${step.layer}"`);
		}
		if (image.parent && !recipes.images.some(other => other.name === image.parent)) {
			throw new StrataError(`${path}: image ${image.name} has an unknown parent "${image.parent}"`);
		}
	}
	return recipes;
}
