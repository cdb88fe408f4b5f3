import type {Command} from 'commander';
import {shortId} from '../../engine/digest.js';
import {imageHistory} from '../../engine/images/history.js';
import type {CliContext} from '../context.js';
import {ellipsis} from '../format/ellipsis.js';
import {writeFormattedRows} from '../format/row-output.js';
import {formatTable} from '../format/tabwriter.js';
import {historyCreatedSince, humanSize, rfc3339Seconds} from '../format/units.js';

type HistoryOptions = {trunc: boolean; human: boolean; quiet?: boolean; format?: string};

/** Column names of `--format 'table ...'` (Docker's history header context). */
const historyHeaders: Record<string, string> = {Comment: 'COMMENT', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', CreatedSince: 'CREATED', ID: 'IMAGE', Size: 'SIZE'};

export async function runHistory(context: CliContext, image: string, options: HistoryOptions): Promise<void> {
	const items = await imageHistory(await context.store(), image);
	const id = (value: string) => (value === '<missing>' || !options.trunc ? value : shortId(value));
	if (options.quiet) {
		for (const item of items) context.print(id(item.id));
		return;
	}
	const created = (value?: string) => {
		if (!value) return 'N/A';
		return options.human ? historyCreatedSince(new Date(value)) : rfc3339Seconds(new Date(value));
	};
	const createdBy = (value: string) => {
		const text = value.replaceAll('\t', ' ');
		return options.trunc ? ellipsis(text, 45) : text;
	};
	const size = (bytes: number) => (options.human ? humanSize(bytes) : String(bytes));
	const objects = items.map(item => ({
		Comment: item.comment,
		CreatedAt: item.created ? rfc3339Seconds(new Date(item.created)) : '',
		CreatedBy: createdBy(item.createdBy),
		CreatedSince: created(item.created),
		ID: id(item.id),
		Size: size(item.size),
	}));
	if (writeFormattedRows(context, options.format, objects, historyHeaders)) return;
	const rows = items.map(item => [id(item.id), created(item.created), createdBy(item.createdBy), size(item.size), item.comment]);
	// Docker names the column after what it shows: `CREATED` (since) or, with --human=false, `CREATED AT`.
	context.stdout.write(formatTable([['IMAGE', options.human ? 'CREATED' : 'CREATED AT', 'CREATED BY', 'SIZE', 'COMMENT'], ...rows]));
}

export function registerHistory(program: Command, context: CliContext): Command {
	return program
		.command('history')
		.description('Show the history of an image')
		.argument('<image>')
		.option('--no-trunc', "don't truncate output")
		.option('-H, --human [bool]', 'print sizes and dates in human readable format', (value: string) => value !== 'false', true)
		.option('-q, --quiet', 'only show image IDs')
		.option('--format <format>', "'json' (one object per line), 'table TEMPLATE' or a Go template ('{{.CreatedBy}}')")
		.action((image: string, options: HistoryOptions) => runHistory(context, image, options));
}
