import {createdSince, humanSize} from '../../../cli/format/units.js';
import type {inspectImage} from '../../../engine/images/inspect.js';

type Inspected = Awaited<ReturnType<typeof inspectImage>>;

const labelWidth = 14;

function field(label: string, values: string | string[] | undefined): string[] {
	const list = (Array.isArray(values) ? values : values ? [values] : []).filter(value => value !== '');
	if (list.length === 0) return [];
	return list.map((value, index) => `${(index === 0 ? label : '').padEnd(labelWidth)}${value}`);
}

function command(value: unknown): string | undefined {
	if (!Array.isArray(value) || value.length === 0) return undefined;
	return value.map(part => (/[\s"']/.test(String(part)) ? JSON.stringify(part) : String(part))).join(' ');
}

/** The parts of `docker image inspect` a person reads first, one per line, with aligned labels. */
export function inspectSummary(image: Inspected, now = Date.now()): string[] {
	const config = image.Config as Record<string, unknown>;
	const created = image.Created ? `${image.Created} (${createdSince(new Date(image.Created), now)})` : '';
	const labels = Object.entries((config.Labels as Record<string, string> | null) ?? {}).map(([key, value]) => `${key}=${value}`);
	const ports = Object.keys((config.ExposedPorts as Record<string, unknown> | null) ?? {});
	const volumes = Object.keys((config.Volumes as Record<string, unknown> | null) ?? {});
	return [
		...field('ID', image.Id),
		...field('Tags', image.RepoTags.length > 0 ? image.RepoTags : ['<none>']),
		...field('Created', created),
		...field('Parent', image.Parent),
		...field('Platform', `${image.Os}/${image.Architecture}${'Variant' in image && image.Variant ? `/${image.Variant}` : ''}`),
		...field('Size', `${humanSize(image.Size)} in ${image.RootFS.Layers.length} layer${image.RootFS.Layers.length === 1 ? '' : 's'}`),
		...field('Author', image.Author),
		...field('Comment', image.Comment),
		...field('User', config.User as string | undefined),
		...field('WorkingDir', config.WorkingDir as string | undefined),
		...field('Entrypoint', command(config.Entrypoint)),
		...field('Cmd', command(config.Cmd)),
		...field('Env', (config.Env as string[] | null) ?? []),
		...field('Ports', ports),
		...field('Volumes', volumes),
		...field('Labels', labels),
		...field('StopSignal', config.StopSignal as string | undefined),
		'',
		...field('Layers', image.RootFS.Layers),
	];
}
