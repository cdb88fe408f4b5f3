// What the executor carries from one step to the next within a stage.
import type {Digest} from '../../digest.js';
import type {ImageConfig} from '../../image/types.js';
import type {BuildArgs} from '../dockerfile/build-args.js';

export interface StageState {
	/** The image the next step builds on; undefined while a `FROM scratch` stage has no step yet. */
	imageId?: Digest;
	/** That image's config (for scratch: an empty linux config). */
	image: ImageConfig;
	buildArgs: BuildArgs;
	/** Whether this stage set CMD (ENTRYPOINT then keeps it). */
	cmdSet: boolean;
}

/** The config a `FROM scratch` stage starts from. */
export function scratchConfig(): ImageConfig {
	return {architecture: process.arch === 'arm64' ? 'arm64' : 'amd64', os: 'linux', config: {}, rootfs: {type: 'layers', diff_ids: []}, history: []};
}

/** The environment words are expanded against: the stage's build args, overridden by the image's Env. */
export function expansionEnv(state: StageState): Map<string, string> {
	const env = state.buildArgs.allAllowed();
	for (const entry of state.image.config?.Env ?? []) {
		const equals = entry.indexOf('=');
		if (equals > 0) env.set(entry.slice(0, equals), entry.slice(equals + 1));
		else env.set(entry, '');
	}
	return env;
}
