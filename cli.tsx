#!/usr/bin/env node
// strata's entry: dispatch only. Plain `strata` on a terminal opens the TUI; anything else is the CLI.
import {readFileSync} from 'node:fs';
import {runCli} from './source/cli/run-cli.js';

function packageVersion(): string {
	for (const path of ['../package.json', './package.json']) {
		try {
			return (JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as {version: string}).version;
		} catch {
			// Running from sources (tsx) or from dist/: the package file is one of the two.
		}
	}
	return '0.0.0';
}

const argv = process.argv.slice(2);
const version = packageVersion();

if (argv.length === 0 && process.stdin.isTTY && process.stdout.isTTY) {
	// React's development build makes every keypress 2-3x slower; set before React loads.
	process.env.NODE_ENV ??= 'production';
	const {runTui} = await import('./source/tui/run-tui.js');
	process.exitCode = await runTui({version});
} else {
	process.exitCode = await runCli(argv, process, version);
}
