import type {Digest} from '../digest.js';

/**
 * A container: an image plus a writable layer, run by an OCI runtime. The record is written once at
 * `create` (containers/<id>/container.json); the changing part is ContainerState (state.json), written
 * atomically by whoever changes it (the CLI on start, the supervisor on exit).
 */
export type ContainerRecord = {
	/** 64 hex characters; the short ID (12) is the hostname. */
	id: string;
	/** Docker-style name without the leading `/` (generated like `strata_<adjective>_<name>` when not given). */
	name: string;
	/** The image ID the container was created from. */
	image: Digest;
	/** The image as the user named it (`busybox`, `busybox:latest`, an ID). */
	imageName: string;
	created: string;
	/** The process: entrypoint + cmd after overrides. */
	path: string;
	args: string[];
	config: {
		Env: string[];
		Cmd: string[] | null;
		Entrypoint: string[] | null;
		WorkingDir: string;
		User: string;
		Tty: boolean;
		OpenStdin: boolean;
		Hostname: string;
		Labels?: Record<string, string>;
		ExposedPorts?: Record<string, Record<string, never>>;
		Volumes?: Record<string, Record<string, never>>;
		StopSignal?: string;
	};
	hostConfig: {
		network: 'host' | 'none';
		autoRemove: boolean;
		runtime: string;
	};
	/** How the root file system is made: overlayfs over the image's unpacked rootfs, or a private copy. */
	driver: 'overlay' | 'copy';
};

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export type ContainerState = {
	status: ContainerStatus;
	/** The container's init process on the host, while running. */
	pid?: number;
	/** The supervisor process that waits for the container and records its exit. */
	supervisorPid?: number;
	exitCode?: number;
	startedAt?: string;
	finishedAt?: string;
	/** Why the container is dead or failed to start (the runtime's stderr, a died supervisor). */
	error?: string;
};
