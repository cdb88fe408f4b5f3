import type {Command} from 'commander';
import type {Container} from '../../../engine/containers/container-store.js';
import {listContainers} from '../../../engine/containers/container-store.js';
import {shortId} from '../../../engine/digest.js';
import {StrataError} from '../../../engine/errors.js';
import {findImage} from '../../../engine/image/resolve.js';
import type {ImageCatalog} from '../../../engine/store/image-catalog.js';
import {type CliContext, collect} from '../../context.js';
import {ellipsis} from '../../format/ellipsis.js';
import {writeFormattedRows} from '../../format/row-output.js';
import {formatTable} from '../../format/tabwriter.js';
import {createdSince} from '../../format/units.js';
import {statusText} from './status-text.js';

type PsOptions = {all?: boolean; quiet?: boolean; trunc: boolean; filter?: string[]; format?: string};

const statuses = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];

/** `--filter key=value`: same key OR'd, different keys AND'd (Docker). Keys: status, name, id, exited, ancestor. */
function parseFilters(filters: string[]): Map<string, string[]> {
	const parsed = new Map<string, string[]>();
	for (const filter of filters) {
		const equals = filter.indexOf('=');
		if (equals <= 0) throw new StrataError(`bad format of filter (expected name=value): ${filter}`);
		const key = filter.slice(0, equals);
		const value = filter.slice(equals + 1);
		if (!['status', 'name', 'id', 'exited', 'ancestor'].includes(key)) throw new StrataError(`invalid filter '${key}'`);
		if (key === 'status' && !statuses.includes(value)) throw new StrataError(`invalid filter 'status=${value}'`);
		if (key === 'exited' && !/^\d+$/.test(value)) throw new StrataError(`invalid filter 'exited=${value}'`);
		parsed.set(key, [...(parsed.get(key) ?? []), value]);
	}
	return parsed;
}

function matches(container: Container, filters: Map<string, string[]>, catalog: ImageCatalog): boolean {
	const {record, state} = container;
	const test = (key: string, predicate: (value: string) => boolean) => !filters.has(key) || filters.get(key)!.some(predicate);
	return (
		test('status', value => state.status === value) &&
		test('name', value => new RegExp(value).test(record.name)) &&
		test('id', value => record.id.startsWith(value)) &&
		test('exited', value => state.status === 'exited' && state.exitCode === Number(value)) &&
		test('ancestor', value => {
			try {
				return findImage(catalog, value)?.id === record.image;
			} catch {
				return false;
			}
		})
	);
}

/** The image as Docker shows it: the name it was created with while that still names the same image, else the short ID. */
function imageColumn(container: Container, catalog: ImageCatalog): string {
	try {
		if (findImage(catalog, container.record.imageName)?.id === container.record.image) return container.record.imageName;
	} catch {
		// An ambiguous prefix now: show the ID.
	}
	return shortId(container.record.image);
}

/** Column names of `--format 'table ...'` (Docker's container header context). */
const containerHeaders: Record<string, string> = {
	Command: 'COMMAND',
	CreatedAt: 'CREATED AT',
	ID: 'CONTAINER ID',
	Image: 'IMAGE',
	Labels: 'LABELS',
	LocalVolumes: 'LOCAL VOLUMES',
	Mounts: 'MOUNTS',
	Names: 'NAMES',
	Networks: 'NETWORKS',
	Ports: 'PORTS',
	RunningFor: 'CREATED',
	Size: 'SIZE',
	State: 'STATE',
	Status: 'STATUS',
};

export async function runPs(context: CliContext, options: PsOptions): Promise<void> {
	const store = await context.store();
	const filters = parseFilters(options.filter ?? []);
	const catalog = await store.catalog();
	const now = Date.now();
	const containers = (await listContainers(store)).filter(container => (options.all || filters.has('status') || container.state.status === 'running') && matches(container, filters, catalog));
	const id = (value: string) => (options.trunc ? value.slice(0, 12) : value);
	if (options.quiet) {
		for (const container of containers) context.print(id(container.record.id));
		return;
	}
	const command = (container: Container) => {
		const text = [container.record.path, ...container.record.args].join(' ');
		return JSON.stringify(options.trunc ? ellipsis(text, 20) : text);
	};
	const objects = containers.map(container => ({
		Command: command(container),
		CreatedAt: container.record.created,
		ID: id(container.record.id),
		Image: imageColumn(container, catalog),
		Labels: Object.entries(container.record.config.Labels ?? {}).map(([key, value]) => `${key}=${value}`).join(','),
		LocalVolumes: '0',
		Mounts: '',
		Names: container.record.name,
		Networks: container.record.hostConfig.network,
		Ports: '',
		RunningFor: createdSince(new Date(container.record.created), now),
		Size: 'N/A',
		State: container.state.status,
		Status: statusText(container.state, now),
	}));
	if (writeFormattedRows(context, options.format, objects, containerHeaders)) return;
	const rows = containers.map(container => [
		id(container.record.id),
		imageColumn(container, catalog),
		command(container),
		createdSince(new Date(container.record.created), now),
		statusText(container.state, now),
		'',
		container.record.name,
	]);
	context.stdout.write(formatTable([['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'], ...rows]));
}

export function registerPs(program: Command, context: CliContext, name = 'ps', aliases: string[] = []): Command {
	return program
		.command(name)
		.aliases(aliases)
		.description('List containers')
		.option('-a, --all', 'show all containers (default shows just running)')
		.option('-q, --quiet', 'only display container IDs')
		.option('--no-trunc', "don't truncate output")
		.option('-f, --filter <filter>', 'filter output (status=, name=, id=, exited=, ancestor=)', collect)
		.option('--format <format>', "'json' (one object per line), 'table TEMPLATE' or a Go template ('{{.Names}}')")
		.action((options: PsOptions) => runPs(context, options));
}
