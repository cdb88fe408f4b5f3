import type {Digest} from '../digest.js';

/** OCI and Docker media types strata reads and writes. */
export const mediaTypes = {
	ociManifest: 'application/vnd.oci.image.manifest.v1+json',
	ociIndex: 'application/vnd.oci.image.index.v1+json',
	ociConfig: 'application/vnd.oci.image.config.v1+json',
	ociLayer: 'application/vnd.oci.image.layer.v1.tar',
	ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
	ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
	dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
	dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
	dockerConfig: 'application/vnd.docker.container.image.v1+json',
	dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
	dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export const refNameAnnotation = 'org.opencontainers.image.ref.name';
export const containerdNameAnnotation = 'io.containerd.image.name';

export type Descriptor = {
	mediaType: string;
	digest: Digest;
	size: number;
	annotations?: Record<string, string>;
	platform?: {architecture: string; os: string; variant?: string};
};

export type Manifest = {
	schemaVersion: 2;
	mediaType?: string;
	config: Descriptor;
	layers: Descriptor[];
	annotations?: Record<string, string>;
};

export type ImageIndex = {
	schemaVersion: 2;
	mediaType?: string;
	manifests: Descriptor[];
	annotations?: Record<string, string>;
};

export type HistoryEntry = {
	created?: string;
	created_by?: string;
	author?: string;
	comment?: string;
	empty_layer?: boolean;
};

/** The runtime settings of an image (`config` in the OCI config, `Config` in Docker's inspect). */
export type ContainerConfig = {
	User?: string;
	ExposedPorts?: Record<string, Record<string, never>>;
	Env?: string[];
	Entrypoint?: string[] | null;
	Cmd?: string[] | null;
	Volumes?: Record<string, Record<string, never>>;
	WorkingDir?: string;
	Labels?: Record<string, string>;
	StopSignal?: string;
	Shell?: string[];
	Healthcheck?: unknown;
	OnBuild?: string[] | null;
	[key: string]: unknown;
};

/** The image config JSON. Unknown fields (Docker's `container_config`, `docker_version`...) are kept. */
export type ImageConfig = {
	architecture: string;
	os: string;
	variant?: string;
	created?: string;
	author?: string;
	config?: ContainerConfig;
	rootfs: {type: 'layers'; diff_ids: Digest[]};
	history?: HistoryEntry[];
	[key: string]: unknown;
};
