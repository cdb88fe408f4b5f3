// Syntax nodes to typed instructions (BuildKit's instructions/parse.go): argument counts, flags, forms.
// Messages are upstream's, so they read like `docker build`'s.
import {goQuote} from './go-quote.js';
import {chompHeredocContent, parseHeredocMarker} from './heredoc.js';
import {InstructionFlags} from './instruction-flags.js';
import {parseHealthcheck} from './parse-healthcheck.js';
import {DockerfileProblem} from './problem.js';
import {trimGoSpace} from './split-command.js';
import type {SyntaxNode} from './syntax-node.js';
import type {
	AddInstruction,
	ArgInstruction,
	CommandLine,
	CopyInstruction,
	CopySourcesAndDestination,
	FromClause,
	Instruction,
	InstructionBase,
	KeyValue,
	RunInstruction,
} from './types.js';

/** A FROM line: where a stage starts. */
export interface FromNode {
	kind: 'FROM';
	from: FromClause;
	name?: string;
	line: number;
	original: string;
}

const stageNamePattern = /^[a-z][a-z0-9-_.]*$/;

/** Reads one node; throws DockerfileProblem (the caller adds the line). */
export function parseInstruction(node: SyntaxNode): Instruction | FromNode {
	const command = node.command.toLowerCase();
	const flags = new InstructionFlags(node.flags);
	const base: InstructionBase = {
		line: node.startLine,
		endLine: node.endLine,
		original: trimOriginal(node.original),
		flags: node.flags,
	};
	const args = node.args;
	switch (command) {
		case 'from':
			return parseFrom(node, flags);
		case 'env':
		case 'label': {
			flags.parse();
			const kind = command === 'env' ? 'ENV' : 'LABEL';
			return {...base, kind, pairs: keyValues(args, kind)};
		}
		case 'maintainer':
			exactlyOne(args, 'MAINTAINER');
			flags.parse();
			return {...base, kind: 'MAINTAINER', maintainer: args[0]!};
		case 'add':
			return parseAdd(node, flags, base);
		case 'copy':
			return parseCopy(node, flags, base);
		case 'onbuild':
			return parseOnbuild(node, flags, base);
		case 'workdir':
			exactlyOne(args, 'WORKDIR');
			flags.parse();
			return {...base, kind: 'WORKDIR', path: args[0]!};
		case 'run':
			return parseRun(node, flags, base);
		case 'cmd':
			flags.parse();
			return {...base, kind: 'CMD', ...commandLine(node)};
		case 'entrypoint':
			flags.parse();
			return {...base, kind: 'ENTRYPOINT', ...commandLine(node)};
		case 'healthcheck':
			return {...base, kind: 'HEALTHCHECK', healthcheck: parseHealthcheck(node, flags)};
		case 'expose':
			atLeastOne(args, 'EXPOSE');
			flags.parse();
			return {...base, kind: 'EXPOSE', ports: [...args].sort(compareBytes)};
		case 'user':
			exactlyOne(args, 'USER');
			flags.parse();
			return {...base, kind: 'USER', user: args[0]!};
		case 'volume': {
			atLeastOne(args, 'VOLUME');
			flags.parse();
			const volumes = args.map(volume => volume.trim());
			if (volumes.includes('')) throw new DockerfileProblem('VOLUME specified can not be an empty string');
			return {...base, kind: 'VOLUME', volumes};
		}
		case 'stopsignal':
			// Upstream never checks STOPSIGNAL's flags; they are ignored.
			exactlyOne(args, 'STOPSIGNAL');
			return {...base, kind: 'STOPSIGNAL', signal: args[0]!};
		case 'arg':
			return {...base, kind: 'ARG', args: parseArgDefinitions(args)};
		case 'shell':
			flags.parse();
			if (args.length === 0) throw new DockerfileProblem('SHELL requires at least one argument');
			if (!node.json) throw new DockerfileProblem('SHELL requires the arguments to be in JSON form');
			return {...base, kind: 'SHELL', shell: [...args]};
		default:
			throw new DockerfileProblem(`unknown instruction: ${node.command}`);
	}
}

function trimOriginal(original: string): string {
	return trimGoSpace(original);
}

function parseFrom(node: SyntaxNode, flags: InstructionFlags): FromNode {
	const args = node.args;
	let name: string | undefined;
	if (args.length === 3 && args[1]!.toLowerCase() === 'as') {
		name = args[2]!.toLowerCase();
		if (!stageNamePattern.test(name)) {
			throw new DockerfileProblem(
				`invalid name for build stage: ${goQuote(args[2]!)}, name can't start with a number or contain symbols`,
			);
		}
	} else if (args.length !== 1) {
		throw new DockerfileProblem('FROM requires either one or three arguments');
	}
	flags.string('platform');
	flags.parse();
	return {
		kind: 'FROM',
		from: {image: args[0]!, platform: flags.optional('platform')},
		name,
		line: node.startLine,
		original: trimOriginal(node.original),
	};
}

/** Shell form joins the arguments into one string; exec form keeps the JSON array. */
function commandLine(node: SyntaxNode): CommandLine {
	if (node.json) return {form: 'exec', command: [...node.args]};
	return {form: 'shell', command: node.args.join(' ')};
}

function parseRun(node: SyntaxNode, flags: InstructionFlags, base: InstructionBase): RunInstruction {
	flags.strings('mount');
	flags.string('network', 'default');
	flags.string('security', 'sandbox');
	flags.strings('device');
	flags.parse();
	const network = flags.value('network');
	if (network !== 'default' && network !== 'none' && network !== 'host') {
		throw new DockerfileProblem(`invalid network mode ${goQuote(network)}`);
	}
	const security = flags.value('security');
	if (security !== 'sandbox' && security !== 'insecure') {
		throw new DockerfileProblem(`security ${goQuote(security)} is not valid`);
	}
	// A RUN with nothing to run would fail in the container (`sh: -c requires an argument`); say so now.
	if (node.args.length === 0 && node.heredocs.length === 0) throw new DockerfileProblem('RUN requires at least one argument');
	return {
		...base,
		kind: 'RUN',
		...commandLine(node),
		heredocs: node.heredocs.map(heredoc => ({...heredoc})),
		mounts: flags.values('mount'),
		network,
		security,
		devices: flags.values('device'),
		flagsUsed: [...flags.used],
	};
}

function parseCopy(node: SyntaxNode, flags: InstructionFlags, base: InstructionBase): CopyInstruction {
	if (node.args.length < 2) throw noDestination('COPY');
	flags.string('chown');
	flags.string('from');
	flags.string('chmod');
	flags.bool('link');
	flags.strings('exclude');
	flags.bool('parents');
	flags.parse();
	return {
		...base,
		kind: 'COPY',
		...sourcesAndDestination(node, 'COPY', flags),
		from: flags.optional('from') || undefined,
		parents: flags.isTrue('parents'),
	};
}

function parseAdd(node: SyntaxNode, flags: InstructionFlags, base: InstructionBase): AddInstruction {
	if (node.args.length < 2) throw noDestination('ADD');
	flags.string('chown');
	flags.string('chmod');
	flags.bool('link');
	flags.bool('keep-git-dir');
	flags.string('checksum');
	flags.bool('unpack');
	flags.strings('exclude');
	flags.parse();
	return {
		...base,
		kind: 'ADD',
		...sourcesAndDestination(node, 'ADD', flags),
		checksum: flags.optional('checksum') || undefined,
		keepGitDir: flags.isUsed('keep-git-dir') ? flags.isTrue('keep-git-dir') : undefined,
		unpack: flags.isUsed('unpack') ? flags.isTrue('unpack') : undefined,
	};
}

function noDestination(instruction: string): DockerfileProblem {
	return new DockerfileProblem(
		`${instruction} requires at least two arguments, but only one was provided. Destination could not be determined`,
	);
}

/** Splits COPY/ADD arguments into sources (heredoc markers become inline files) and the destination. */
function sourcesAndDestination(
	node: SyntaxNode,
	instruction: string,
	flags: InstructionFlags,
): CopySourcesAndDestination {
	const sources = node.args.slice(0, -1);
	const destination = node.args[node.args.length - 1]!;
	if (parseHeredocMarker(destination)) {
		throw new DockerfileProblem(`${instruction} cannot accept a heredoc as a destination`);
	}
	const bodies = new Map(node.heredocs.map(heredoc => [heredoc.name, heredoc]));
	const paths: string[] = [];
	const heredocs: CopySourcesAndDestination['heredocs'] = [];
	for (const source of sources) {
		const marker = parseHeredocMarker(source);
		if (!marker) {
			paths.push(source);
			continue;
		}
		let content = bodies.get(marker.name)?.content ?? '';
		if (marker.chomp) content = chompHeredocContent(content);
		heredocs.push({name: marker.name, content, expand: marker.expand});
	}
	return {
		sources: paths,
		destination,
		heredocs,
		chown: flags.optional('chown') || undefined,
		chmod: flags.optional('chmod') || undefined,
		link: flags.isTrue('link'),
		excludes: flags.values('exclude'),
	};
}

function parseOnbuild(node: SyntaxNode, flags: InstructionFlags, base: InstructionBase): Instruction {
	atLeastOne(node.args, 'ONBUILD');
	flags.parse();
	const trigger = node.args[0]!.trim().toUpperCase();
	if (trigger === 'ONBUILD') throw new DockerfileProblem("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
	if (trigger === 'MAINTAINER' || trigger === 'FROM') {
		throw new DockerfileProblem(`${trigger} isn't allowed as an ONBUILD trigger`);
	}
	let expression = node.original.replace(/^\s*ONBUILD\s*/i, '');
	for (const heredoc of node.heredocs) expression += `\n${heredoc.content}${heredoc.name}`;
	return {...base, kind: 'ONBUILD', expression};
}

function parseArgDefinitions(args: string[]): ArgInstruction['args'] {
	atLeastOne(args, 'ARG');
	return args.map(arg => {
		const equals = arg.indexOf('=');
		if (equals === -1) return {key: arg};
		if (equals === 0) throw new DockerfileProblem('ARG names can not be blank');
		return {key: arg.slice(0, equals), value: arg.slice(equals + 1)};
	});
}

function keyValues(args: string[], instruction: string): KeyValue[] {
	atLeastOne(args, instruction);
	if (args.length % 3 !== 0) throw new DockerfileProblem(`Bad input to ${instruction}, too many arguments`);
	const pairs: KeyValue[] = [];
	for (let index = 0; index < args.length; index += 3) {
		if (args[index] === '') throw new DockerfileProblem(`${instruction} names can not be blank`);
		pairs.push({key: args[index]!, value: args[index + 1]!, noDelimiter: args[index + 2] === ''});
	}
	return pairs;
}

function atLeastOne(args: string[], instruction: string): void {
	if (args.length === 0) throw new DockerfileProblem(`${instruction} requires at least one argument`);
}

function exactlyOne(args: string[], instruction: string): void {
	if (args.length !== 1) throw new DockerfileProblem(`${instruction} requires exactly one argument`);
}

/** Go's sort.Strings order (bytewise), which differs from JavaScript's for characters beyond the BMP. */
function compareBytes(a: string, b: string): number {
	return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
