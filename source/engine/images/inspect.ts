import type {Digest} from '../digest.js';
import {resolveImage} from '../image/resolve.js';
import {familiarTag} from '../store/image-catalog.js';
import type {Store} from '../store/store.js';

const emptyContainerConfig = {
	Hostname: '',
	Domainname: '',
	User: '',
	AttachStdin: false,
	AttachStdout: false,
	AttachStderr: false,
	Tty: false,
	OpenStdin: false,
	StdinOnce: false,
	Env: null,
	Cmd: null,
	Image: '',
	Volumes: null,
	WorkingDir: '',
	Entrypoint: null,
	OnBuild: null,
	Labels: null,
};

/** `docker image inspect`'s JSON shape, from the stored config and record. */
export async function inspectImage(store: Store, input: string) {
	const catalog = await store.catalog();
	const record = resolveImage(catalog, input);
	const config = await store.config(record);
	return {
		Id: record.id,
		RepoTags: catalog.tagsOf(record.id).map(familiarTag),
		RepoDigests: [] as string[],
		Parent: record.parent ?? '',
		// Docker: the config's comment, else the last history entry's (moby's LookupImage).
		Comment: (config.comment as string | undefined) || (config.history?.at(-1)?.comment ?? ''),
		Created: config.created ?? '',
		Container: (config.container as string | undefined) ?? '',
		ContainerConfig: {...emptyContainerConfig, ...(config.container_config as object | undefined)},
		DockerVersion: (config.docker_version as string | undefined) ?? '',
		Author: config.author ?? '',
		Config: {...emptyContainerConfig, ...config.config},
		Architecture: config.architecture,
		...(config.variant ? {Variant: config.variant} : {}),
		Os: config.os,
		Size: record.size,
		VirtualSize: record.size,
		GraphDriver: {Name: 'strata', Data: {Root: store.root, Manifest: record.manifest.digest}},
		RootFS: {Type: 'layers', Layers: config.rootfs.diff_ids as Digest[]},
		Metadata: {LastTagTime: record.addedAt},
	};
}
