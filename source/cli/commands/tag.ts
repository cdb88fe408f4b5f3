import type {Command} from 'commander';
import {tagImage} from '../../engine/images/tag.js';
import type {CliContext} from '../context.js';

export function registerTag(program: Command, context: CliContext): Command {
	return program
		.command('tag')
		.description('Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE')
		.argument('<source>', 'SOURCE_IMAGE[:TAG]')
		.argument('<target>', 'TARGET_IMAGE[:TAG]')
		.action(async (source: string, target: string) => tagImage(await context.store(), source, target));
}
