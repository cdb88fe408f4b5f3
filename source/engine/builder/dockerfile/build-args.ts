// Build arguments as the classic builder tracks them (moby daemon/builder/dockerfile/buildargs.go): values
// from --build-arg override ARG defaults; ARGs before the first FROM ("meta" args) are visible to FROM lines
// and to a stage's `ARG NAME` without a default; the proxy variables are predefined.
import {byCodeUnits} from '../../ordering.js';

/** Predefined ARGs: usable without an ARG line, and left out of RUN's history when not declared. */
export const builtinBuildArgs: readonly string[] = [
	'HTTP_PROXY',
	'http_proxy',
	'HTTPS_PROXY',
	'https_proxy',
	'FTP_PROXY',
	'ftp_proxy',
	'NO_PROXY',
	'no_proxy',
	'ALL_PROXY',
	'all_proxy',
];

const builtins = new Set(builtinBuildArgs);

/** `--build-arg` values; undefined for a bare `--build-arg NAME` the environment did not supply. */
export type BuildArgValues = ReadonlyMap<string, string | undefined> | Readonly<Record<string, string | undefined>>;

export class BuildArgs {
	private allowed = new Map<string, string | undefined>();
	private readonly meta = new Map<string, string | undefined>();
	private readonly referenced = new Set<string>();
	readonly fromOptions: ReadonlyMap<string, string | undefined>;

	constructor(fromOptions: BuildArgValues = new Map()) {
		this.fromOptions = fromOptions instanceof Map ? fromOptions : new Map(Object.entries(fromOptions));
	}

	/** A copy for a new stage: meta args and references kept, the stage's own ARGs forgotten (Clone + ResetAllowed). */
	forStage(): BuildArgs {
		const copy = new BuildArgs(this.fromOptions);
		for (const [key, value] of this.meta) copy.meta.set(key, value);
		for (const key of this.referenced) copy.referenced.add(key);
		return copy;
	}

	/** An ARG before the first FROM. */
	addMetaArg(key: string, value: string | undefined): void {
		this.meta.set(key, value);
	}

	/** An ARG (also called for meta args, as upstream does). */
	addArg(key: string, value: string | undefined): void {
		this.allowed.set(key, value);
		this.referenced.add(key);
	}

	/** Builtin (proxy) args count only once an ARG declared them. */
	isReferencedOrNotBuiltin(key: string): boolean {
		return this.allowed.has(key) || !builtins.has(key);
	}

	/** Values of the args the current stage declared, plus any proxy args given with --build-arg. */
	allAllowed(): Map<string, string> {
		return this.resolveAll(this.allowed);
	}

	/** Values FROM lines can use: meta args plus any proxy args given with --build-arg. */
	allMeta(): Map<string, string> {
		return this.resolveAll(this.meta);
	}

	/** `KEY=value` for each allowed arg not overridden by the image's environment (RUN's extra env). */
	filterAllowed(env: readonly string[]): string[] {
		const set = new Set(env.map(entry => entry.split('=', 1)[0]!));
		const out: string[] = [];
		for (const [key, value] of [...this.allAllowed()].sort(([a], [b]) => byCodeUnits(a, b))) {
			if (!set.has(key)) out.push(`${key}=${value}`);
		}
		return out;
	}

	/** --build-arg names no ARG consumed (Docker warns: `One or more build-args [X] were not consumed`). */
	unused(): string[] {
		return [...this.fromOptions.keys()].filter(key => !this.referenced.has(key) && !builtins.has(key)).sort();
	}

	/** Marks args declared elsewhere (other stages) as consumed. */
	mergeReferenced(other: BuildArgs): void {
		for (const key of other.referenced) this.referenced.add(key);
	}

	private resolveAll(mapping: ReadonlyMap<string, string | undefined>): Map<string, string> {
		const out = new Map<string, string>();
		for (const key of new Set([...mapping.keys(), ...builtinBuildArgs])) {
			const value = this.resolve(key, mapping);
			if (value !== undefined) out.set(key, value);
		}
		return out;
	}

	private resolve(key: string, mapping: ReadonlyMap<string, string | undefined>): string | undefined {
		const override = this.fromOptions.get(key);
		if (override !== undefined) return override;
		const fallback = mapping.get(key);
		if (fallback === undefined) {
			// `ARG NAME` without a default inherits the meta arg's value.
			return this.meta.get(key) ?? undefined;
		}
		return fallback;
	}
}
