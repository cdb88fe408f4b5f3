#!/usr/bin/env node
// strata's entry: dispatch only. Plain `strata` on a terminal opens the TUI; anything else is the CLI.
import {packageVersion} from './source/engine/installation.js';
import {loadCli} from './source/startup/load-cli.js';

const argv = process.argv.slice(2);
const version = packageVersion();

if (argv.length === 0 && process.stdin.isTTY && process.stdout.isTTY) {
	// React's development build makes every keypress 2-3x slower; set before React loads.
	process.env.NODE_ENV ??= 'production';
	const {runTui} = await import('./source/tui/run-tui.js');
	process.exitCode = await runTui({version});
} else {
	const {runCli} = await loadCli();
	process.exitCode = await runCli(argv, process, version);
}
