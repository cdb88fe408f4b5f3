import type {Digest} from '../digest.js';
import {applyChanges} from '../image/changes.js';
import type {ContainerConfig, HistoryEntry, ImageConfig} from '../image/types.js';
import type {ContainerRecord} from './container-record.js';

export type CommitConfigOptions = {
	author?: string;
	message?: string;
	/** `--change` instructions, applied over the container's settings. */
	changes?: string[];
	/** The committed layer's diff ID; undefined when the container changed nothing (an empty layer). */
	layer?: Digest;
	created: string;
};

/** The settings an image passes on to its containers, as a container of it has them now. */
function containerSettings(base: ContainerConfig, container: ContainerRecord['config']): ContainerConfig {
	// Docker commits the container's whole config; what strata's record lacks (Shell, Healthcheck,
	// OnBuild...) the container took unchanged from the image, so the image's values are the container's.
	const settings: ContainerConfig = {...base};
	settings.User = container.User;
	settings.Env = container.Env;
	settings.Cmd = container.Cmd;
	settings.Entrypoint = container.Entrypoint;
	settings.WorkingDir = container.WorkingDir;
	if (container.Labels !== undefined) settings.Labels = container.Labels;
	if (container.ExposedPorts !== undefined) settings.ExposedPorts = container.ExposedPorts;
	if (container.Volumes !== undefined) settings.Volumes = container.Volumes;
	if (container.StopSignal !== undefined) settings.StopSignal = container.StopSignal;
	return settings;
}

/**
 * The config of the image `commit` makes (moby `NewChildImage` / `CommitImage`): the base image's
 * platform, the container's settings with `--change`s applied, the base's layers plus the new one, and
 * the base's history plus one entry whose `created_by` is the container's Cmd joined by spaces, with the
 * author and message. A commit that changed nothing adds no layer; its entry is `empty_layer`.
 */
export function commitImageConfig(base: ImageConfig, container: ContainerRecord, options: CommitConfigOptions): ImageConfig {
	const settings = applyChanges(containerSettings(base.config ?? {}, container.config), options.changes ?? []);
	const entry: HistoryEntry = {created: options.created};
	if (options.author) entry.author = options.author;
	const createdBy = (container.config.Cmd ?? []).join(' ');
	if (createdBy) entry.created_by = createdBy;
	if (options.message) entry.comment = options.message;
	if (!options.layer) entry.empty_layer = true;
	const config: ImageConfig = {
		architecture: base.architecture,
		os: base.os,
		...(base.variant ? {variant: base.variant} : {}),
		...(base['os.version'] ? {'os.version': base['os.version']} : {}),
		...(base['os.features'] ? {'os.features': base['os.features']} : {}),
		created: options.created,
		...(options.author ? {author: options.author} : {}),
		config: settings,
		rootfs: {type: 'layers', diff_ids: options.layer ? [...base.rootfs.diff_ids, options.layer] : [...base.rootfs.diff_ids]},
		history: [...(base.history ?? []), entry],
	};
	return config;
}
