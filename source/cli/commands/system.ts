import type {Command} from 'commander';
import {diskUsage} from '../../engine/images/disk-usage.js';
import {storeInfo} from '../../engine/images/info.js';
import type {CliContext} from '../context.js';
import {toJsonLines} from '../format/json.js';
import {formatTable} from '../format/tabwriter.js';
import {humanSize} from '../format/units.js';

/** docker/cli's disk usage formatter: go-units HumanSize (4 digits) and an integer percentage, truncated. */
function reclaimable(size: number, total: number): string {
	if (total === 0) return humanSize(size, 4);
	return `${humanSize(size, 4)} (${Math.trunc((size * 100) / total)}%)`;
}

export async function runSystemDf(context: CliContext, options: {format?: string}): Promise<void> {
	const {rows} = await diskUsage(await context.store());
	if (options.format === 'json') {
		context.stdout.write(
			toJsonLines(
				rows.map(row => ({Active: String(row.active), Reclaimable: reclaimable(row.reclaimable, row.size), Size: humanSize(row.size, 4), TotalCount: String(row.total), Type: row.type})),
			),
		);
		return;
	}
	const table = rows.map(row => [row.type, String(row.total), String(row.active), humanSize(row.size, 4), reclaimable(row.reclaimable, row.size)]);
	context.stdout.write(formatTable([['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'], ...table]));
}

export async function runInfo(context: CliContext, options: {format?: string}): Promise<void> {
	const info = await storeInfo(await context.store());
	if (options.format === 'json') {
		context.print(JSON.stringify(info));
		return;
	}
	const lines = [
		`Client: strata ${info.version}`,
		'Store:',
		` Root Dir: ${info.root}`,
		` Layout: ${info.layout}`,
		` Images: ${info.images}`,
		` Tags: ${info.tags}`,
		` Layers: ${info.layers} (stored uncompressed)`,
		` Size: ${humanSize(info.bytes)}`,
		` Settings: ${info.settingsFile}`,
		`Containers:`,
		` Storage Driver: ${info.containerDriver} (${info.containerDriverReason})`,
		` Default Runtime: ${info.defaultRuntime}`,
		`Architecture: ${info.architecture}`,
		`OS: ${info.os}`,
		`Kernel Version: ${info.kernel}`,
	];
	context.print(lines.join('\n'));
}

export function registerInfo(program: Command, context: CliContext): Command {
	return program
		.command('info')
		.description('Display system-wide information')
		.option('--format <format>', "'json' prints JSON")
		.action((options: {format?: string}) => runInfo(context, options));
}

export function registerSystem(program: Command, context: CliContext): Command {
	const system = program.command('system').description('Manage strata');
	system
		.command('df')
		.description('Show disk usage')
		.option('--format <format>', "'json' prints one JSON object per line")
		.action((options: {format?: string}) => runSystemDf(context, options));
	system
		.command('info')
		.description('Display system-wide information')
		.option('--format <format>', "'json' prints JSON")
		.action((options: {format?: string}) => runInfo(context, options));
	return system;
}
