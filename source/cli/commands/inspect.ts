import type {Command} from 'commander';
import {StrataError} from '../../engine/errors.js';
import {inspectImage} from '../../engine/images/inspect.js';
import type {CliContext} from '../context.js';
import {toIndentedJson} from '../format/json.js';

/** `docker inspect`: a JSON array of every found object; missing ones are errors after the output. */
export function registerInspect(program: Command, context: CliContext, name = 'inspect'): Command {
	return program
		.command(name)
		.description('Return low-level information on images')
		.argument('<names...>')
		.option('--format <format>', "'json' (the default)")
		.action(async (names: string[]) => {
			const store = await context.store();
			const found: unknown[] = [];
			const errors: string[] = [];
			for (const name of names) {
				try {
					found.push(await inspectImage(store, name));
				} catch (error) {
					if (!(error instanceof StrataError)) throw error;
					errors.push(`No such object: ${name}`);
				}
			}
			context.stdout.write(`${toIndentedJson(found)}\n`);
			if (errors.length > 0) throw new StrataError(errors.join('\n'));
		});
}
