import {createInterface} from 'node:readline';
import {StrataError} from '../engine/errors.js';
import type {CliContext} from './context.js';

/**
 * Docker's PromptForConfirmation: prints `question`, true for `y`/`yes` on the next line of stdin. A stdin
 * that ends before giving a line (no terminal, `</dev/null`, a script) is refused with an error naming
 * `command` and -f, rather than read as "no": a script that forgot -f should learn it, not pass silently.
 */
export async function confirm(context: CliContext, question: string, command: string): Promise<boolean> {
	context.stdout.write(question);
	const lines = createInterface({input: context.stdin, terminal: false});
	try {
		const answer = await new Promise<string | undefined>(resolve => {
			lines.once('line', resolve);
			lines.once('close', () => resolve(undefined));
			// A stdin that fails (the TUI's command line has none) gives no answer either.
			lines.once('error', () => resolve(undefined));
		});
		if (answer === undefined) {
			context.stdout.write('\n');
			throw new StrataError(`${command}: no answer on stdin (not a terminal?): use -f to ${command.split(' ').at(-1)} without confirmation`);
		}
		return /^y(es)?$/i.test(answer.trim());
	} finally {
		lines.close();
	}
}
