import type {Command} from 'commander';
import {pruneBuildCache} from '../../engine/builder/cache/prune-build-cache.js';
import {parsePruneFilters} from '../../engine/builder/cache/prune-filters.js';
import {confirm} from '../confirm.js';
import {collect, type CliContext} from '../context.js';
import {humanSize} from '../format/units.js';

// docker/cli's builder prune warnings; PromptForConfirmation adds " [y/N] ".
const danglingWarning = 'WARNING! This will remove all dangling build cache. Are you sure you want to continue?';
const allWarning = 'WARNING! This will remove all build cache. Are you sure you want to continue?';

type PruneOptions = {all?: boolean; force?: boolean; filter?: string[]};

export async function runBuilderPrune(context: CliContext, options: PruneOptions): Promise<void> {
	// A bad filter is reported before asking anything.
	const filters = parsePruneFilters(options.filter ?? []);
	if (!options.force && !(await confirm(context, `${options.all ? allWarning : danglingWarning} [y/N] `, 'builder prune'))) return;
	const {deleted, spaceReclaimed} = await pruneBuildCache(await context.store(), filters);
	// docker/cli: the list and an empty line only when something went, then the total.
	if (deleted.length > 0) context.print(['Deleted build cache objects:', ...deleted, '', ''].join('\n'));
	context.print(`Total reclaimed space: ${humanSize(spaceReclaimed, 4)}`);
}

/** `strata builder prune`: the build cache is the untagged images builds wrote (engine/builder/cache). */
export function registerBuilder(program: Command, context: CliContext): Command {
	const builder = program.command('builder').description('Manage builds');
	builder
		.command('prune')
		.description('Remove build cache')
		.option('-a, --all', 'remove all unused build cache, not just dangling ones (the same in strata: see README)')
		.option('-f, --force', 'do not prompt for confirmation')
		.option('--filter <filter>', "provide filter values (until=24h, until=2024-01-31T10:00:00Z)", collect)
		.action((options: PruneOptions) => runBuilderPrune(context, options));
	return builder;
}
