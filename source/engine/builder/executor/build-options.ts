// What `strata build` (or the TUI's build pane) asks of the executor, and what it gets back.
import type {Digest} from '../../digest.js';

export interface BuildOptions {
	/** The context directory. */
	contextDir: string;
	/** `-f`: the Dockerfile (relative to `cwd`); default CONTEXT/Dockerfile. */
	dockerfile?: string;
	/** `-t` references. */
	tags?: string[];
	/** `--build-arg` values (undefined: a bare name the environment did not supply). */
	buildArgs?: Record<string, string | undefined>;
	target?: string;
	noCache?: boolean;
	/** `--pull`: strata has no registry to pull from yet; the build says so in a note. */
	pull?: boolean;
	/** `--label`: added to the built image. */
	labels?: Record<string, string>;
	/** RUN's network (default host). */
	network?: 'host' | 'none';
	cwd?: string;
	/** Where `-f -` reads the Dockerfile from. */
	stdin?: NodeJS.ReadableStream;
	/**
	 * Cancels the build: the running RUN containers are killed and removed, nothing is tagged, and the
	 * operation ends with StrataError('build cancelled'). Steps already done stay as cache.
	 */
	signal?: AbortSignal;
}

export interface BuildResult {
	id: Digest;
	/** The tags set, as given. */
	tags: string[];
	/** Notes such as unused build args (Docker prints them as warnings). */
	warnings: string[];
}
