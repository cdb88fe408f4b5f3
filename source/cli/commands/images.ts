import type {Command} from 'commander';
import {shortId} from '../../engine/digest.js';
import {filterImages, imageRows, parseImageFilters, summarizeImages} from '../../engine/images/list.js';
import {type CliContext, collect} from '../context.js';
import {writeFormattedRows} from '../format/row-output.js';
import {formatTable} from '../format/tabwriter.js';
import {createdSince, humanSize} from '../format/units.js';

type ImagesOptions = {all?: boolean; quiet?: boolean; digests?: boolean; trunc: boolean; filter?: string[]; format?: string};

/** Docker prints `2024-01-01 10:00:00 +0000 UTC` for CreatedAt in JSON output. */
function goTimeString(iso: string | undefined): string {
	if (!iso) return '';
	const date = new Date(iso);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000 UTC`;
}

/** Column names of `--format 'table ...'` (Docker's image header context). */
const imageHeaders: Record<string, string> = {
	Containers: 'CONTAINERS',
	CreatedAt: 'CREATED AT',
	CreatedSince: 'CREATED',
	Digest: 'DIGEST',
	ID: 'IMAGE ID',
	Repository: 'REPOSITORY',
	SharedSize: 'SHARED SIZE',
	Size: 'SIZE',
	Tag: 'TAG',
	UniqueSize: 'UNIQUE SIZE',
	VirtualSize: 'VIRTUAL SIZE',
};

export async function runImages(context: CliContext, repository: string | undefined, options: ImagesOptions): Promise<void> {
	const store = await context.store();
	const filters = parseImageFilters([...(options.filter ?? []), ...(repository ? [`reference=${repository}`] : [])]);
	const summaries = filterImages(summarizeImages(await store.catalog()), {all: options.all, filters});
	const rows = imageRows(summaries, filters);
	const id = (digest: string) => (options.trunc ? shortId(digest) : digest);
	if (options.quiet) {
		const seen = new Set<string>();
		for (const row of rows) {
			const value = id(row.summary.record.id);
			if (!seen.has(value)) context.print(value);
			seen.add(value);
		}
		return;
	}
	const objects = rows.map(row => ({
		Containers: 'N/A',
		CreatedAt: goTimeString(row.summary.record.created),
		CreatedSince: row.summary.record.created ? createdSince(new Date(row.summary.record.created)) : 'N/A',
		Digest: '<none>',
		ID: id(row.summary.record.id),
		Repository: row.repository,
		SharedSize: 'N/A',
		Size: humanSize(row.summary.record.size),
		Tag: row.tag,
		UniqueSize: 'N/A',
		// go-units HumanSize (4 digits), not the 3 of the SIZE column: Docker prints "1.984MB" here.
		VirtualSize: humanSize(row.summary.record.size, 4),
	}));
	if (writeFormattedRows(context, options.format, objects, imageHeaders)) return;
	const header = ['REPOSITORY', 'TAG', ...(options.digests ? ['DIGEST'] : []), 'IMAGE ID', 'CREATED', 'SIZE'];
	const table = rows.map(row => [
		row.repository,
		row.tag,
		...(options.digests ? ['<none>'] : []),
		id(row.summary.record.id),
		row.summary.record.created ? createdSince(new Date(row.summary.record.created)) : 'N/A',
		humanSize(row.summary.record.size),
	]);
	context.stdout.write(formatTable([header, ...table]));
}

export function registerImages(program: Command, context: CliContext, name = 'images'): Command {
	return program
		.command(name)
		.description('List images')
		.argument('[repository]', 'only images of this repository (a reference pattern)')
		.option('-a, --all', 'show all images (intermediate images are hidden by default)')
		.option('-q, --quiet', 'only show image IDs')
		.option('--digests', 'show digests')
		.option('--no-trunc', "don't truncate output")
		.option('-f, --filter <filter>', 'filter output (dangling=true|false, reference=PATTERN)', collect)
		.option('--format <format>', "'json' (one object per line), 'table TEMPLATE' or a Go template ('{{.Repository}}:{{.Tag}}')")
		.action((repository: string | undefined, options: ImagesOptions) => runImages(context, repository, options));
}
