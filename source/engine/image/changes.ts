import {StrataError} from '../errors.js';
import type {ContainerConfig} from './types.js';

/** The instructions `docker import/commit --change` accept (`daemon/builder/dockerfile` `validCommitCommands`). */
const changeInstructions = new Set(['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'ONBUILD', 'USER', 'VOLUME', 'WORKDIR', 'STOPSIGNAL']);

/** JSON (exec) form if it parses as an array of strings, else the shell form wrapped in `/bin/sh -c`. */
function execOrShell(args: string): string[] {
	const trimmed = args.trim();
	if (trimmed.startsWith('[')) {
		try {
			const parsed = JSON.parse(trimmed) as unknown;
			if (Array.isArray(parsed) && parsed.every(item => typeof item === 'string')) return parsed as string[];
		} catch {
			// Docker falls back to the shell form when the JSON is invalid.
		}
	}
	return ['/bin/sh', '-c', trimmed];
}

function unquote(value: string): string {
	if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) {
		return value.slice(1, -1).replace(/\\(.)/g, '$1');
	}
	return value.replace(/\\(.)/g, '$1');
}

/** Splits `a=1 b="x y"` into pairs, honouring quotes and backslash escapes. */
function keyValuePairs(text: string, what: string): Array<[string, string]> {
	const words = text.match(/(?:[^\s"'\\]|\\.|"(?:[^"\\]|\\.)*"|'[^']*')+/g) ?? [];
	return words.map(word => {
		const equals = word.indexOf('=');
		if (equals <= 0) throw new StrataError(`${what} needs KEY=VALUE pairs, got "${word}"`);
		return [word.slice(0, equals), unquote(word.slice(equals + 1))];
	});
}

function nameValue(args: string, what: string): Array<[string, string]> {
	const trimmed = args.trim();
	const first = /^(\S+)(\s+)(.*)$/s.exec(trimmed);
	// `ENV key value` (legacy form: one pair, the rest of the line is the value) vs `ENV k=v k2=v2`.
	if (first && !first[1].includes('=')) return [[first[1], first[3]]];
	return keyValuePairs(trimmed, what);
}

/**
 * Applies Dockerfile-style `--change` instructions to a container config, returning a new config.
 * Errors name the instruction: `--change "RUN x": RUN is not a valid change instruction`.
 */
export function applyChanges(config: ContainerConfig, changes: string[]): ContainerConfig {
	let next: ContainerConfig = structuredClone(config);
	for (const change of changes) {
		const match = /^\s*(\w+)\s*(.*)$/s.exec(change);
		if (!match) throw new StrataError(`--change "${change}": empty instruction`);
		const instruction = match[1].toUpperCase();
		const args = match[2];
		if (!changeInstructions.has(instruction)) {
			throw new StrataError(`--change "${change}": ${instruction} is not a valid change instruction (valid: ${[...changeInstructions].join(', ')})`);
		}
		if (!args.trim()) throw new StrataError(`--change "${change}": ${instruction} requires at least one argument`);
		next = applyOne(next, instruction, args, change);
	}
	return next;
}

function applyOne(config: ContainerConfig, instruction: string, args: string, change: string): ContainerConfig {
	switch (instruction) {
		case 'CMD':
			return {...config, Cmd: execOrShell(args)};
		case 'ENTRYPOINT':
			// Docker: setting ENTRYPOINT resets a CMD inherited from the base.
			return {...config, Entrypoint: execOrShell(args), Cmd: config.Cmd ?? null};
		case 'ENV': {
			const env = [...(config.Env ?? [])];
			for (const [key, value] of nameValue(args, `--change "${change}"`)) {
				const index = env.findIndex(item => item.split('=')[0] === key);
				if (index >= 0) env[index] = `${key}=${value}`;
				else env.push(`${key}=${value}`);
			}
			return {...config, Env: env};
		}
		case 'LABEL': {
			const labels = {...config.Labels};
			for (const [key, value] of keyValuePairs(args, `--change "${change}"`)) labels[unquote(key)] = value;
			return {...config, Labels: labels};
		}
		case 'EXPOSE': {
			const ports = {...config.ExposedPorts};
			for (const port of args.trim().split(/\s+/)) {
				if (!/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/i.test(port)) throw new StrataError(`--change "${change}": invalid port "${port}"`);
				ports[port.includes('/') ? port.toLowerCase() : `${port}/tcp`] = {};
			}
			return {...config, ExposedPorts: ports};
		}
		case 'VOLUME': {
			const volumes = {...config.Volumes};
			const list = args.trim().startsWith('[') ? (JSON.parse(args) as string[]) : args.trim().split(/\s+/);
			for (const volume of list) volumes[volume] = {};
			return {...config, Volumes: volumes};
		}
		case 'USER':
			return {...config, User: args.trim()};
		case 'WORKDIR': {
			const dir = args.trim();
			const base = config.WorkingDir || '/';
			return {...config, WorkingDir: dir.startsWith('/') ? dir : `${base.replace(/\/$/, '')}/${dir}`};
		}
		case 'STOPSIGNAL':
			return {...config, StopSignal: args.trim()};
		case 'ONBUILD':
			return {...config, OnBuild: [...(config.OnBuild ?? []), args.trim()]};
		default:
			return config;
	}
}
