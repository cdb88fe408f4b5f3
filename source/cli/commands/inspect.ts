import type {Command} from 'commander';
import {StrataError} from '../../engine/errors.js';
import {inspectContainer} from '../../engine/containers/inspect.js';
import {inspectImage} from '../../engine/images/inspect.js';
import type {Store} from '../../engine/store/store.js';
import type {CliContext} from '../context.js';
import {toIndentedJson} from '../format/json.js';

/**
 * `docker inspect`: a JSON array of every found object; missing ones are errors after the output. At the
 * top level a name is looked up as an image, then as a container; `image inspect` and `container
 * inspect` look only for their kind.
 */
export function registerInspect(program: Command, context: CliContext, name = 'inspect'): Command {
	const kinds = program.name() === 'image' ? ['image'] : program.name() === 'container' ? ['container'] : ['image', 'container'];
	const inspectors: Record<string, (store: Store, name: string) => Promise<unknown>> = {image: inspectImage, container: inspectContainer};
	return program
		.command(name)
		.description(kinds.length === 2 ? 'Return low-level information on images and containers' : `Return low-level information on ${kinds[0]}s`)
		.argument('<names...>')
		.option('--format <format>', "'json' (the default)")
		.action(async (names: string[]) => {
			const store = await context.store();
			const found: unknown[] = [];
			const errors: string[] = [];
			for (const name of names) {
				let object: unknown;
				for (const kind of kinds) {
					try {
						object = await inspectors[kind]!(store, name);
						break;
					} catch (error) {
						if (!(error instanceof StrataError)) throw error;
					}
				}
				if (object === undefined) errors.push(kinds.length === 2 ? `No such object: ${name}` : `No such ${kinds[0]}: ${name}`);
				else found.push(object);
			}
			context.stdout.write(`${toIndentedJson(found)}\n`);
			if (errors.length > 0) throw new StrataError(errors.join('\n'));
		});
}
