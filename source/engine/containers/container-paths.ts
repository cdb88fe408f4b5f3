import {join} from 'node:path';
import type {StorePaths} from '../store/paths.js';

/**
 * Where a container lives, under the store root (beside the OCI layout, never inside blobs/):
 *   containers/<id>/container.json   the ContainerRecord
 *   containers/<id>/state.json       the ContainerState
 *   containers/<id>/bundle/          the OCI bundle: config.json, rootfs/ (the overlay mount point or the copy)
 *   containers/<id>/upper/, work/    overlayfs upper and work dirs (the writable layer) — overlay driver
 *   containers/<id>/init/            /etc/hosts, /etc/hostname, /etc/resolv.conf, bind-mounted, never committed
 *   containers/<id>/container.log    the output, JSON lines {"stream":"stdout","time":"RFC3339Nano","log":"..."}
 *   unpacked/<image-id-hex>/         an image's flattened root file system: the shared, read-only lower dir
 */
export class ContainerPaths {
	constructor(private readonly store: StorePaths) {}

	get containers() {
		return join(this.store.root, 'containers');
	}

	get unpacked() {
		return join(this.store.root, 'unpacked');
	}

	unpackedImage(imageHex: string) {
		return join(this.unpacked, imageHex);
	}

	dir(id: string) {
		return join(this.containers, id);
	}

	record(id: string) {
		return join(this.dir(id), 'container.json');
	}

	state(id: string) {
		return join(this.dir(id), 'state.json');
	}

	bundle(id: string) {
		return join(this.dir(id), 'bundle');
	}

	rootfs(id: string) {
		return join(this.bundle(id), 'rootfs');
	}

	upper(id: string) {
		return join(this.dir(id), 'upper');
	}

	work(id: string) {
		return join(this.dir(id), 'work');
	}

	init(id: string) {
		return join(this.dir(id), 'init');
	}

	log(id: string) {
		return join(this.dir(id), 'container.log');
	}
}
