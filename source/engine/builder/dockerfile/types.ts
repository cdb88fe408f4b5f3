// What a parsed Dockerfile is. Words are kept as written (quotes, escapes and `$VAR` intact) because Docker
// expands them only when the instruction runs, with the environment of that moment: see expand-instruction.ts.
import type {Directives} from './directives.js';
import type {Heredoc} from './syntax-node.js';

export type {Directives} from './directives.js';
export type {Heredoc} from './syntax-node.js';

export interface InstructionBase {
	/** 1-based line where the instruction starts. */
	line: number;
	/** Last line it spans (continuations and heredoc bodies included). */
	endLine: number;
	/** The instruction as one trimmed line, as Docker prints it (`RUN apt-get update &&   apt-get install x`). */
	original: string;
	/** The `--flags` as written. */
	flags: string[];
}

/**
 * RUN/CMD/ENTRYPOINT arguments. Shell form: the text after the instruction (never expanded by the builder,
 * the shell does that; '' when nothing followed). Exec form: the JSON array's strings.
 */
export type CommandLine = {form: 'shell'; command: string} | {form: 'exec'; command: string[]};

export type RunInstruction = InstructionBase &
	CommandLine & {
		kind: 'RUN';
		heredocs: Heredoc[];
		/** `--mount` values as written (BuildKit-only; see warnings). */
		mounts: string[];
		/** `--network`: default, none or host. */
		network: 'default' | 'none' | 'host';
		/** `--security`: sandbox or insecure. */
		security: 'sandbox' | 'insecure';
		/** `--device` values as written. */
		devices: string[];
		/** Names of the flags given (`mount`, `network`...), which the classic builder refuses. */
		flagsUsed: string[];
	};

export type CmdInstruction = InstructionBase & CommandLine & {kind: 'CMD'};

/** `ENTRYPOINT []` comes out as exec form with no strings (it clears the entrypoint). */
export type EntrypointInstruction = InstructionBase & CommandLine & {kind: 'ENTRYPOINT'};

export interface KeyValue {
	key: string;
	/** As written; expanding it also removes its quotes. */
	value: string;
	/** The old `ENV KEY value` form (no `=`). */
	noDelimiter: boolean;
}

export interface EnvInstruction extends InstructionBase {
	kind: 'ENV';
	pairs: KeyValue[];
}

export interface LabelInstruction extends InstructionBase {
	kind: 'LABEL';
	pairs: KeyValue[];
}

export interface MaintainerInstruction extends InstructionBase {
	kind: 'MAINTAINER';
	maintainer: string;
}

export interface ExposeInstruction extends InstructionBase {
	kind: 'EXPOSE';
	/** Sorted as Docker sorts them at parse time; each may expand to several ports. */
	ports: string[];
}

/** A COPY/ADD source given inline by a heredoc (`COPY <<EOF /file`): a file named `name` holding `content`. */
export interface InlineSource {
	name: string;
	/** The body, with `<<-` tabs already stripped. */
	content: string;
	/** Whether `$VAR` in the body is expanded (the delimiter was not quoted). */
	expand: boolean;
}

export interface CopySourcesAndDestination {
	/** Context (or stage) paths and patterns, as written. */
	sources: string[];
	destination: string;
	/** Heredoc sources, in order. */
	heredocs: InlineSource[];
	chown?: string;
	chmod?: string;
	/** `--link` (accepted; it only changes how BuildKit layers the copy). */
	link: boolean;
	/** `--exclude` patterns. */
	excludes: string[];
}

export type CopyInstruction = InstructionBase &
	CopySourcesAndDestination & {
		kind: 'COPY';
		/** `--from`: a stage name, a stage index or an image reference (resolved by planStages). */
		from?: string;
		/** `--parents`. */
		parents: boolean;
	};

export type AddInstruction = InstructionBase &
	CopySourcesAndDestination & {
		kind: 'ADD';
		checksum?: string;
		keepGitDir?: boolean;
		unpack?: boolean;
	};

export interface VolumeInstruction extends InstructionBase {
	kind: 'VOLUME';
	volumes: string[];
}

export interface UserInstruction extends InstructionBase {
	kind: 'USER';
	user: string;
}

export interface WorkdirInstruction extends InstructionBase {
	kind: 'WORKDIR';
	path: string;
}

export interface ArgDefinition {
	key: string;
	/** The default as written; undefined for `ARG NAME` without one. */
	value?: string;
}

export interface ArgInstruction extends InstructionBase {
	kind: 'ARG';
	args: ArgDefinition[];
}

export interface OnbuildInstruction extends InstructionBase {
	kind: 'ONBUILD';
	/** The trigger as stored in the image config's OnBuild (heredoc bodies appended); parse it with parseTrigger. */
	expression: string;
}

export interface StopsignalInstruction extends InstructionBase {
	kind: 'STOPSIGNAL';
	signal: string;
}

/** Docker's container.HealthConfig as it appears in an image config (zero fields left out, durations in ns). */
export interface HealthConfig {
	/** `["NONE"]`, `["CMD", ...args]` (exec form) or `["CMD-SHELL", command]`. */
	Test: string[];
	Interval?: number;
	Timeout?: number;
	StartPeriod?: number;
	StartInterval?: number;
	Retries?: number;
}

export interface HealthcheckInstruction extends InstructionBase {
	kind: 'HEALTHCHECK';
	healthcheck: HealthConfig;
}

export interface ShellInstruction extends InstructionBase {
	kind: 'SHELL';
	shell: string[];
}

export type Instruction =
	| RunInstruction
	| CmdInstruction
	| EntrypointInstruction
	| EnvInstruction
	| LabelInstruction
	| MaintainerInstruction
	| ExposeInstruction
	| CopyInstruction
	| AddInstruction
	| VolumeInstruction
	| UserInstruction
	| WorkdirInstruction
	| ArgInstruction
	| OnbuildInstruction
	| StopsignalInstruction
	| HealthcheckInstruction
	| ShellInstruction;

export type InstructionKind = Instruction['kind'];

export interface FromClause {
	/** The base as written (`$BASE`, `alpine:3`, `scratch`, a stage name); planStages expands it. */
	image: string;
	/** `--platform` as written. */
	platform?: string;
}

export interface Stage {
	/** `AS name`, lowercased as Docker does. */
	name?: string;
	/** Position among the stages, from 0. */
	index: number;
	from: FromClause;
	instructions: Instruction[];
	/** Line of the FROM. */
	line: number;
	/** The FROM line as written (trimmed). */
	original: string;
}

export interface Dockerfile {
	/** The file name used in messages. */
	file: string;
	directives: Directives;
	stages: Stage[];
	/** ARGs before the first FROM: usable in FROM lines (and, declared again, inside stages). */
	globalArgs: ArgInstruction[];
	/** `Dockerfile:LINE: note` lines about accepted-but-ignored or doubtful syntax. */
	warnings: string[];
}
