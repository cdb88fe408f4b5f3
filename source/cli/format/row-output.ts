// `--format` for list commands, as the Docker CLI reads it: `json` (one object per line), `table TEMPLATE`
// (a header row, then rows laid out by the tabwriter), or a bare Go template (one line per row).
import type {CliContext} from '../context.js';
import {parseGoTemplate} from './go-template.js';
import {toJsonLines} from './json.js';
import {formatTable} from './tabwriter.js';

/**
 * Writes `rows` in the `format` asked for and returns true; false when no format was given (the caller
 * prints its default table). `headers` names the column of each field, as Docker's header context does.
 */
export function writeFormattedRows(context: CliContext, format: string | undefined, rows: ReadonlyArray<Record<string, unknown>>, headers: Record<string, string>): boolean {
	if (format === undefined || format === '') return false;
	if (format === 'json') {
		context.stdout.write(toJsonLines(rows));
		return true;
	}
	const table = format.startsWith('table');
	// Docker trims the template and turns the two-character `\t` and `\n` into a tab and a newline.
	const text = (table ? format.slice('table'.length) : format).trim().replaceAll('\\t', '\t').replaceAll('\\n', '\n');
	if (table && text === '') return false;
	const template = parseGoTemplate(text, {strictFields: true});
	const lines = rows.map(row => template.execute(row));
	if (!table) {
		context.stdout.write(lines.map(line => `${line}\n`).join(''));
		return true;
	}
	const header = parseGoTemplate(text).execute(new Proxy(headers, {get: (names, field: string) => names[field] ?? field.toUpperCase(), has: () => true}));
	context.stdout.write(formatTable([header, ...lines].map(line => line.split('\t'))));
	return true;
}
