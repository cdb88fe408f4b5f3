import type {Command} from 'commander';
import {StrataError} from '../../engine/errors.js';
import {inspectContainer} from '../../engine/containers/inspect.js';
import {inspectImage} from '../../engine/images/inspect.js';
import type {Store} from '../../engine/store/store.js';
import type {CliContext} from '../context.js';
import {parseGoTemplate} from '../format/go-template.js';
import {toIndentedJson} from '../format/json.js';

/**
 * `docker inspect`: a JSON array of every found object; missing ones are errors after the output. At the
 * top level a name is looked up as a container, then as an image; `image inspect` and `container
 * inspect` look only for their kind.
 */
export function registerInspect(program: Command, context: CliContext, name = 'inspect'): Command {
	// Docker's CLI tries a container before an image: `c1` is the container named c1 even when some image ID starts with c1.
	const kinds = program.name() === 'image' ? ['image'] : program.name() === 'container' ? ['container'] : ['container', 'image'];
	const inspectors: Record<string, (store: Store, name: string) => Promise<unknown>> = {image: inspectImage, container: inspectContainer};
	return program
		.command(name)
		.description(kinds.length === 2 ? 'Return low-level information on images and containers' : `Return low-level information on ${kinds[0]}s`)
		.argument('<names...>')
		.option('-f, --format <format>', "'json' (the default) or a Go template ('{{.Id}}', '{{json .Config}}')")
		.action(async (names: string[], options: {format?: string}) => {
			// Parsed before anything is looked up, so a bad template fails alone (as Docker's does).
			const template = options.format && options.format !== 'json' ? parseGoTemplate(options.format.replaceAll('\\t', '\t').replaceAll('\\n', '\n')) : undefined;
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
			if (template) context.stdout.write(found.map(object => `${template.execute(object)}\n`).join(''));
			else context.stdout.write(`${toIndentedJson(found)}\n`);
			if (errors.length > 0) throw new StrataError(errors.join('\n'));
		});
}
