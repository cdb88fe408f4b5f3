import type {Command} from 'commander';
import type {ImageLayersReport, TreeNode} from '../../engine/analysis/layer-analysis.js';
import {StrataError} from '../../engine/errors.js';
import {imageLayers} from '../../engine/images/layers.js';
import {shortId} from '../../engine/digest.js';
import type {CliContext} from '../context.js';
import {ellipsis} from '../format/ellipsis.js';
import {formatTable} from '../format/tabwriter.js';
import {humanSize} from '../format/units.js';

const marks = {added: '+', modified: '~', removed: '-'} as const;

function treeLines(node: TreeNode, depth: number, lines: string[]): void {
	for (const child of node.children ?? []) {
		const mark = child.change ? marks[child.change] : ' ';
		const suffix = child.type === 'dir' ? '/' : child.type === 'symlink' ? ` -> ${child.linkname ?? ''}` : '';
		const size = child.type === 'dir' ? '' : `  ${humanSize(child.size)}`;
		lines.push(`${mark} ${'  '.repeat(depth)}${child.name}${suffix}${size}`);
		treeLines(child, depth + 1, lines);
	}
}

function percent(value: number): string {
	return `${(value * 100).toFixed(2)} %`;
}

export function formatLayersReport(report: ImageLayersReport, options: {tree: boolean}): string {
	const lines: string[] = [];
	for (const layer of report.layers) {
		const counts = layer.changeCounts;
		lines.push(
			`Layer ${layer.index + 1}/${report.layers.length}  ${shortId(layer.diffID)}  ${humanSize(layer.size)}  +${counts.added} ~${counts.modified} -${counts.removed}  ${ellipsis(layer.createdBy.replaceAll('\t', ' '), 60)}`,
		);
		if (options.tree) treeLines(layer.changes, 1, lines);
	}
	const efficiency = report.efficiency;
	lines.push('', `Image efficiency score: ${percent(efficiency.score)}`, `Potential wasted space: ${humanSize(efficiency.wastedBytes)}`, `Image user wasted percent: ${percent(efficiency.userWastedPercent)}`);
	if (efficiency.inefficiencies.length > 0) {
		lines.push('', formatTable([['COUNT', 'TOTAL SPACE', 'PATH'], ...efficiency.inefficiencies.slice(0, 20).map(file => [String(file.occurrences), humanSize(file.wastedBytes), file.path])]).trimEnd());
	}
	return `${lines.join('\n')}\n`;
}

type CiThresholds = {lowestEfficiency: string; highestWastedBytes: string; highestUserWastedPercent: string};

/** dive's CI rules: a ratio (0.9) or percentage; bytes accept units (20MB); 'disabled' skips a rule. */
function parseRatio(value: string, name: string): number | undefined {
	if (value === 'disabled') return undefined;
	const number = Number(value.replace(/%$/, ''));
	if (!Number.isFinite(number)) throw new StrataError(`--${name}: not a number: ${value}`);
	return value.endsWith('%') || number > 1 ? number / 100 : number;
}

function parseBytes(value: string, name: string): number | undefined {
	if (value === 'disabled') return undefined;
	const match = /^(\d+(?:\.\d+)?)\s*(B|kB|KB|MB|GB|KiB|MiB|GiB)?$/i.exec(value);
	if (!match) throw new StrataError(`--${name}: not a size: ${value}`);
	const units: Record<string, number> = {b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3};
	return Number(match[1]) * units[(match[2] ?? 'b').toLowerCase()];
}

export function ciFailures(report: ImageLayersReport, thresholds: CiThresholds): string[] {
	const failures: string[] = [];
	const lowest = parseRatio(thresholds.lowestEfficiency, 'lowest-efficiency');
	const wasted = parseBytes(thresholds.highestWastedBytes, 'highest-wasted-bytes');
	const userWasted = parseRatio(thresholds.highestUserWastedPercent, 'highest-user-wasted-percent');
	const efficiency = report.efficiency;
	if (lowest !== undefined && efficiency.score < lowest) failures.push(`lowest efficiency: ${percent(efficiency.score)} is below ${percent(lowest)}`);
	if (wasted !== undefined && efficiency.wastedBytes > wasted) failures.push(`highest wasted bytes: ${humanSize(efficiency.wastedBytes)} is above ${humanSize(wasted)}`);
	if (userWasted !== undefined && efficiency.userWastedPercent > userWasted) failures.push(`highest user wasted percent: ${percent(efficiency.userWastedPercent)} is above ${percent(userWasted)}`);
	return failures;
}

export function registerLayers(program: Command, context: CliContext): Command {
	return program
		.command('layers')
		.description("Show each layer's changes and the image's efficiency (dive's analysis)")
		.argument('<image>')
		.option('--format <format>', "'json' prints the whole report")
		.option('--no-tree', 'list layers without their file trees')
		.option('--ci', 'check the thresholds and exit non-zero when the image breaks one')
		.option('--lowest-efficiency <ratio>', 'CI: lowest allowed efficiency score (0..1 or N%)', '0.9')
		.option('--highest-wasted-bytes <size>', "CI: highest allowed wasted bytes (e.g. 20MB), or 'disabled'", 'disabled')
		.option('--highest-user-wasted-percent <ratio>', 'CI: highest allowed user wasted ratio (0..1 or N%)', '0.1')
		.action(async (image: string, options: CiThresholds & {format?: string; tree: boolean; ci?: boolean}) => {
			const report = await imageLayers(await context.store(), image);
			if (options.format === 'json') context.print(JSON.stringify(report));
			else context.stdout.write(formatLayersReport(report, {tree: options.tree && !options.ci}));
			if (options.ci) {
				const failures = ciFailures(report, options);
				for (const failure of failures) context.stderr.write(`FAIL: ${failure}\n`);
				if (failures.length > 0) throw new StrataError(`image ${image} failed ${failures.length} CI rule${failures.length > 1 ? 's' : ''}`);
				context.print('PASS: image meets every CI rule');
			}
		});
}
