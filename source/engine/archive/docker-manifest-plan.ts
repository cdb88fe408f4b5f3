import {digestHex, sha256Digest} from '../digest.js';
import {StrataError} from '../errors.js';
import {parseReference, type Reference} from '../reference/reference.js';
import {type ArchiveSource, missingMember} from './archive-source.js';
import {type PlannedImage, addToPlan, parseConfig, parseJson} from './load-plan.js';

/** One entry of `docker save`'s manifest.json. */
type ManifestItem = {Config: string; RepoTags?: string[] | null; Layers: string[]};

function parseRepoTag(tag: unknown, source: ArchiveSource): Reference {
	const invalid = (why: string) => new StrataError(`${source.label}: invalid RepoTag ${JSON.stringify(tag)} in manifest.json: ${why}`);
	if (typeof tag !== 'string') throw invalid('not a string');
	let reference: Reference;
	try {
		reference = parseReference(tag);
	} catch (error) {
		throw invalid((error as Error).message);
	}
	// As `docker load`: a RepoTag names a tag; a bare name or a digest cannot be one.
	if (reference.tag === undefined || reference.digest !== undefined) throw invalid('it must be name:tag');
	return reference;
}

function checkItem(item: unknown, index: number, source: ArchiveSource): ManifestItem {
	const invalid = (why: string) => new StrataError(`${source.label}: manifest.json entry ${index + 1} ${why}`);
	if (typeof item !== 'object' || item === null) throw invalid('is not an object');
	const {Config, Layers, RepoTags} = item as Record<string, unknown>;
	if (typeof Config !== 'string') throw invalid('has no Config');
	if (!Array.isArray(Layers) || Layers.some(layer => typeof layer !== 'string')) throw invalid('has no Layers list');
	if (RepoTags !== undefined && RepoTags !== null && !Array.isArray(RepoTags)) throw invalid('has a RepoTags that is not a list');
	return item as ManifestItem;
}

/** Plans the load of a `docker save` archive (either generation) from its manifest.json. */
export async function planFromDockerManifest(source: ArchiveSource): Promise<PlannedImage[]> {
	const items = parseJson<unknown>(await source.readSmall('manifest.json', 'the archive'), source, 'manifest.json');
	if (!Array.isArray(items)) throw new StrataError(`${source.label}: manifest.json is not a list of images`);
	const plan: PlannedImage[] = [];
	for (const [index, raw] of items.entries()) {
		const item = checkItem(raw, index, source);
		const tags = (item.RepoTags ?? []).map(tag => parseRepoTag(tag, source));
		const configBytes = await source.readSmall(item.Config, 'manifest.json');
		const id = sha256Digest(configBytes);
		// Docker 25+ names the config by its digest; a mismatch means a damaged archive.
		const named = /^blobs\/sha256\/([a-f\d]{64})$/.exec(item.Config);
		if (named && named[1] !== digestHex(id)) {
			throw new StrataError(`${source.label}: ${item.Config} does not match its digest (content is ${id})`);
		}
		const config = parseConfig(configBytes, source, item.Config);
		const diffIDs = config.rootfs.diff_ids;
		if (item.Layers.length !== diffIDs.length) {
			throw new StrataError(
				`${source.label}: manifest.json lists ${item.Layers.length} layer${item.Layers.length === 1 ? '' : 's'} but the config has ${diffIDs.length} diff ID${diffIDs.length === 1 ? '' : 's'}`,
			);
		}
		for (const member of item.Layers) {
			if (!(await source.has(member))) throw missingMember(source, member, 'manifest.json');
		}
		addToPlan(plan, {
			id,
			config,
			configBytes,
			layers: item.Layers.map((member, i) => ({member, diffID: diffIDs[i]!})),
			tags,
		});
	}
	return plan;
}
