// The steps that only change the image config (ENV, LABEL, CMD, ENTRYPOINT, WORKDIR, USER, EXPOSE, VOLUME,
// STOPSIGNAL, ARG, SHELL, HEALTHCHECK, MAINTAINER, ONBUILD): the new settings and the history text the
// classic builder writes for them (`/bin/sh -c #(nop)  CMD ["sh"]`).
import {posix} from 'node:path';
import type {ContainerConfig} from '../../image/types.js';
import {formatGoDuration} from '../dockerfile/go-duration.js';
import {goQuote, goQuoteRune} from '../dockerfile/go-quote.js';
import type {CommandLine, HealthConfig, Instruction} from '../dockerfile/types.js';
import type {StageState} from './build-state.js';
import {byCodeUnits} from '../../ordering.js';

export interface ConfigStep {
	settings: ContainerConfig;
	createdBy: string;
	author?: string;
}

export const defaultShell = ['/bin/sh', '-c'];

/** `#(nop)  ` with Docker's two spaces. */
export function nopCreatedBy(settings: ContainerConfig, text: string): string {
	return [...(settings.Shell ?? defaultShell), `#(nop)  ${text}`].join(' ');
}

/** Go's `%q` of a []string: `["a" "b"]`. */
export function goQuoteList(words: readonly string[]): string {
	return `[${words.map(goQuote).join(' ')}]`;
}

/** Go's `%q` of a *HealthConfig (Docker 20.10's HEALTHCHECK history): `&{["CMD-SHELL" "x"] "5s" "3s" "0s" '\x03'}`. */
export function goQuoteHealthcheck(health: HealthConfig): string {
	const durations = [health.Interval, health.Timeout, health.StartPeriod, ...(health.StartInterval === undefined ? [] : [health.StartInterval])];
	return `&{${[goQuoteList(health.Test), ...durations.map(value => goQuote(formatGoDuration(value ?? 0))), goQuoteRune(health.Retries ?? 0)].join(' ')}}`;
}

/**
 * The classic builder's step container is created with the new HEALTHCHECK, and the daemon's config merge
 * fills its zero durations and retries from the image's healthcheck (in place, so the image keeps them):
 * `HEALTHCHECK --interval=1m CMD x` then `HEALTHCHECK NONE` leaves Interval at 1m.
 */
function inheritHealthcheck(health: HealthConfig, previous: HealthConfig | undefined): HealthConfig {
	const merged: HealthConfig = {Test: health.Test};
	// Docker's field order, zero fields left out.
	for (const field of ['Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries'] as const) {
		const value = health[field] || (field === 'StartInterval' ? undefined : previous?.[field]);
		if (value) merged[field] = value;
	}
	return merged;
}

/** A map as Go's encoding/json writes it: keys in byte order (the config JSON Docker writes). */
function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
	return Object.fromEntries(Object.entries(record).sort(([a], [b]) => byCodeUnits(a, b)));
}

/** The argv of a CMD/ENTRYPOINT/RUN: exec form as is, shell form run by the stage's shell. */
export function commandArgv(settings: ContainerConfig, command: CommandLine): string[] {
	if (command.form === 'exec') return [...command.command];
	return [...(settings.Shell ?? defaultShell), command.command];
}

/** Applies an (already expanded) config-only instruction; undefined for an instruction that is not one. */
export function configStep(state: StageState, instruction: Instruction): ConfigStep | undefined {
	const settings: ContainerConfig = structuredClone(state.image.config ?? {});
	const done = (text: string, author?: string): ConfigStep => ({settings, createdBy: nopCreatedBy(settings, text), author});
	switch (instruction.kind) {
		case 'ENV': {
			const env = [...(settings.Env ?? [])];
			for (const {key, value} of instruction.pairs) {
				const index = env.findIndex(entry => entry === key || entry.startsWith(`${key}=`));
				if (index === -1) env.push(`${key}=${value}`);
				else env[index] = `${key}=${value}`;
			}
			settings.Env = env;
			return done(`ENV ${instruction.pairs.map(({key, value}) => `${key}=${value}`).join(' ')}`);
		}
		case 'LABEL': {
			const labels = {...(settings.Labels ?? {})};
			for (const {key, value} of instruction.pairs) labels[key] = value;
			settings.Labels = sortedKeys(labels);
			return done(`LABEL ${instruction.pairs.map(({key, value}) => `${key}=${value}`).join(' ')}`);
		}
		case 'CMD': {
			settings.Cmd = commandArgv(settings, instruction);
			state.cmdSet = true;
			return done(`CMD ${goQuoteList(settings.Cmd)}`);
		}
		case 'ENTRYPOINT': {
			settings.Entrypoint = instruction.form === 'exec' && instruction.command.length === 0 ? null : commandArgv(settings, instruction);
			if (!state.cmdSet) settings.Cmd = null;
			return done(`ENTRYPOINT ${goQuoteList(settings.Entrypoint ?? [])}`);
		}
		case 'WORKDIR': {
			settings.WorkingDir = posix.resolve('/', settings.WorkingDir || '/', instruction.path);
			// One space after #(nop): Docker 20.10 commits WORKDIR through a container, with its own comment.
			return {settings, createdBy: [...(settings.Shell ?? defaultShell), `#(nop) WORKDIR ${settings.WorkingDir}`].join(' ')};
		}
		case 'USER':
			settings.User = instruction.user;
			return done(`USER ${instruction.user}`);
		case 'EXPOSE': {
			const ports = {...(settings.ExposedPorts ?? {})};
			const added = instruction.ports.map(port => (port.includes('/') ? port.toLowerCase() : `${port}/tcp`));
			for (const port of added) ports[port] = {};
			settings.ExposedPorts = sortedKeys(ports);
			// The words as written (sorted by the parser) after expansion: `80`, not `80/tcp`.
			return done(`EXPOSE ${instruction.ports.join(' ')}`);
		}
		case 'VOLUME': {
			const volumes = {...(settings.Volumes ?? {})};
			for (const volume of instruction.volumes) volumes[volume] = {};
			settings.Volumes = sortedKeys(volumes);
			// Go's `%v` of a []string: `[/data /logs]`.
			return done(`VOLUME [${instruction.volumes.join(' ')}]`);
		}
		case 'STOPSIGNAL':
			settings.StopSignal = instruction.signal;
			return done(`STOPSIGNAL ${instruction.signal}`);
		case 'ARG':
			for (const {key, value} of instruction.args) state.buildArgs.addArg(key, value);
			return done(`ARG ${instruction.args.map(({key, value}) => (value === undefined ? key : `${key}=${value}`)).join(' ')}`);
		case 'SHELL':
			settings.Shell = [...instruction.shell];
			return done(`SHELL [${instruction.shell.join(' ')}]`);
		case 'HEALTHCHECK':
			settings.Healthcheck = inheritHealthcheck(instruction.healthcheck, state.image.config?.Healthcheck as HealthConfig | undefined);
			// The text shows the instruction's own values: Docker fills the inherited ones in after writing it.
			return done(`HEALTHCHECK ${goQuoteHealthcheck(instruction.healthcheck)}`);
		case 'MAINTAINER':
			return done(`MAINTAINER ${instruction.maintainer}`, instruction.maintainer);
		case 'ONBUILD':
			settings.OnBuild = [...(settings.OnBuild ?? []), instruction.expression];
			return done(`ONBUILD ${instruction.expression}`);
		default:
			return undefined;
	}
}
