// The `--name=value` flags of an instruction (BuildKit's BFlags): each instruction declares the flags it
// knows, then the words are checked against them.
import {DockerfileProblem} from './problem.js';

type FlagType = 'bool' | 'string' | 'strings';

interface FlagState {
	type: FlagType;
	value: string;
	values: string[];
}

export class InstructionFlags {
	private readonly declared = new Map<string, FlagState>();
	/** Names of the flags that were given, in order. */
	readonly used: string[] = [];

	constructor(private readonly words: readonly string[]) {}

	bool(name: string): void {
		this.declared.set(name, {type: 'bool', value: 'false', values: []});
	}

	string(name: string, fallback = ''): void {
		this.declared.set(name, {type: 'string', value: fallback, values: []});
	}

	/** A flag that may repeat (`--mount`, `--exclude`). */
	strings(name: string): void {
		this.declared.set(name, {type: 'strings', value: '', values: []});
	}

	/** Checks the words against the declared flags; throws Docker's message for the first bad one. */
	parse(): void {
		for (const word of this.words) {
			// `--` ends the flags (POSIX utility syntax).
			if (word === '--') return;
			if (!word.startsWith('--')) throw new DockerfileProblem(`arg should start with -- : ${word}`);
			const equals = word.indexOf('=');
			const flagName = equals === -1 ? word : word.slice(0, equals);
			const value = equals === -1 ? '' : word.slice(equals + 1);
			const hasValue = equals !== -1;
			const name = flagName.slice(2);
			const flag = this.declared.get(name);
			if (!flag) throw new DockerfileProblem(`unknown flag: ${flagName}`);
			if (this.used.includes(name) && flag.type !== 'strings') {
				throw new DockerfileProblem(`duplicate flag specified: ${flagName}`);
			}
			if (!this.used.includes(name)) this.used.push(name);
			if (flag.type === 'bool') {
				if (hasValue && value === '') throw new DockerfileProblem(`missing a value on flag: ${flagName}`);
				const lower = value.toLowerCase();
				if (lower === 'true' || lower === '') flag.value = 'true';
				else if (lower === 'false') flag.value = 'false';
				else throw new DockerfileProblem(`expecting boolean value for flag ${flagName}, not: ${value}`);
			} else {
				if (!hasValue) throw new DockerfileProblem(`missing a value on flag: ${flagName}`);
				if (flag.type === 'string') flag.value = value;
				else flag.values.push(value);
			}
		}
	}

	isUsed(name: string): boolean {
		return this.used.includes(name);
	}

	/** A string flag's value ('' or its default when not given). */
	value(name: string): string {
		return this.declared.get(name)?.value ?? '';
	}

	/** A string flag's value, undefined when not given. */
	optional(name: string): string | undefined {
		return this.isUsed(name) ? this.value(name) : undefined;
	}

	isTrue(name: string): boolean {
		return this.declared.get(name)?.value === 'true';
	}

	values(name: string): string[] {
		return [...(this.declared.get(name)?.values ?? [])];
	}
}
