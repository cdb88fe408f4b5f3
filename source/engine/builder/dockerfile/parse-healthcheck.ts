// HEALTHCHECK NONE | [--interval=D --timeout=D --start-period=D --start-interval=D --retries=N] CMD command,
// read into Docker's HealthConfig (durations in nanoseconds), with upstream's checks and messages.
import {parseGoDuration} from './go-duration.js';
import {goQuote} from './go-quote.js';
import type {InstructionFlags} from './instruction-flags.js';
import {DockerfileProblem} from './problem.js';
import type {SyntaxNode} from './syntax-node.js';
import type {HealthConfig} from './types.js';

const minimumDuration = 1_000_000; // 1ms

export function parseHealthcheck(node: SyntaxNode, flags: InstructionFlags): HealthConfig {
	if (node.args.length === 0) throw new DockerfileProblem('HEALTHCHECK requires at least one argument');
	const type = node.args[0]!.toUpperCase();
	const args = node.args.slice(1);
	if (type === 'NONE') {
		// Upstream reads no flags for NONE, so any given are ignored.
		if (args.length !== 0) throw new DockerfileProblem('HEALTHCHECK NONE takes no arguments');
		return {Test: ['NONE']};
	}
	flags.string('interval');
	flags.string('timeout');
	flags.string('start-period');
	flags.string('start-interval');
	flags.string('retries');
	flags.parse();
	if (type !== 'CMD') throw new DockerfileProblem(`Unknown type ${goQuote(type)} in HEALTHCHECK (try CMD)`);
	const command = node.json ? args : args.length === 0 ? [] : [args.join(' ')];
	if (command.length === 0) throw new DockerfileProblem('Missing command after HEALTHCHECK CMD');
	const config: HealthConfig = {Test: [node.json ? 'CMD' : 'CMD-SHELL', ...command]};
	const durations: Array<[flag: string, field: 'Interval' | 'Timeout' | 'StartPeriod' | 'StartInterval']> = [
		['interval', 'Interval'],
		['timeout', 'Timeout'],
		['start-period', 'StartPeriod'],
		['start-interval', 'StartInterval'],
	];
	for (const [flag, field] of durations) {
		const value = interval(flag, flags.value(flag));
		if (value !== 0) config[field] = value;
	}
	const retries = flags.value('retries');
	if (retries !== '') {
		const count = parseRetries(retries);
		if (count < 0) throw new DockerfileProblem(`--retries cannot be negative (${count})`);
		if (count !== 0) config.Retries = count;
	}
	return config;
}

/** A duration flag: 0 when empty or zero, otherwise at least 1ms. */
function interval(flag: string, text: string): number {
	if (text === '') return 0;
	let nanoseconds: number;
	try {
		nanoseconds = parseGoDuration(text);
	} catch (error) {
		throw new DockerfileProblem((error as Error).message);
	}
	if (nanoseconds === 0) return 0;
	if (nanoseconds < minimumDuration) throw new DockerfileProblem(`Interval ${goQuote(flag)} cannot be less than 1ms`);
	return nanoseconds;
}

/** strconv.ParseInt(text, 10, 32), with its messages. */
function parseRetries(text: string): number {
	if (!/^[+-]?[0-9]+$/.test(text)) {
		throw new DockerfileProblem(`strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax`);
	}
	const value = Number(text);
	if (value > 2 ** 31 - 1 || value < -(2 ** 31)) {
		throw new DockerfileProblem(`strconv.ParseInt: parsing ${goQuote(text)}: value out of range`);
	}
	return value;
}
