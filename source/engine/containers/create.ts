import {mkdirSync} from 'node:fs';
import {readdir, rename, rm} from 'node:fs/promises';
import {join, relative} from 'node:path';
import {StrataError} from '../errors.js';
import {resolveImage} from '../image/resolve.js';
import {type Operation, operation} from '../progress.js';
import {OciRuntime} from '../runtime/oci-runtime.js';
import {runtimeSetting} from '../settings.js';
import {writeFileAtomic} from '../store/atomic-file.js';
import type {Store} from '../store/store.js';
import {ContainerPaths} from './container-paths.js';
import type {ContainerRecord} from './container-record.js';
import {generateName, nameConflict, newContainerId, validateName} from './container-names.js';
import {listContainers} from './container-store.js';
import {type CreateOptions, expandEnv, mergeCommand, readEnvFile} from './create-options.js';
import {mergeEnv} from './environment.js';
import {copyLowerInto} from './copy-rootfs.js';
import {selectDriver} from './filesystem-driver.js';
import {isAlive} from './process-alive.js';
import {unpackImage} from './unpacked-image.js';

export type {CreateOptions} from './create-options.js';
export {newContainerId} from './container-names.js';

/**
 * `docker create`: a container from an image, ready to start. The image is unpacked once (shared by
 * all its containers); the container's dir is built aside and renamed into containers/<id>/ under the
 * store's write lock, after checking that the image still exists and the name is free, so `rmi` and
 * other creates see it whole or not at all.
 */
export function createContainer(store: Store, options: CreateOptions): Operation<ContainerRecord> {
	return operation(async emit => {
		const image = resolveImage(await store.catalog(), options.image);
		const imageConfig = (await store.config(image)).config ?? {};
		const requestedName = options.name === undefined ? undefined : validateName(options.name);
		if (options.workdir !== undefined && options.workdir !== '' && !options.workdir.startsWith('/')) {
			throw new StrataError(`the working directory '${options.workdir}' is invalid, it needs to be an absolute path`);
		}
		const runtime = options.runtime || (await runtimeSetting());
		OciRuntime.resolve(store.paths, runtime);
		const {entrypoint, cmd, argv} = mergeCommand(imageConfig, options);
		const userEnv: string[] = [];
		for (const file of options.envFiles ?? []) userEnv.push(...(await readEnvFile(file)));
		for (const entry of options.env ?? []) userEnv.push(...expandEnv(entry));
		const {driver} = await selectDriver(store);

		const id = options.id ?? newContainerId();
		const record: ContainerRecord = {
			id,
			name: requestedName ?? '',
			image: image.id,
			imageName: options.image,
			created: new Date().toISOString(),
			path: argv[0]!,
			args: argv.slice(1),
			config: {
				Env: mergeEnv(imageConfig.Env ?? [], userEnv),
				Cmd: cmd,
				Entrypoint: entrypoint,
				WorkingDir: options.workdir || imageConfig.WorkingDir || '',
				User: options.user ?? imageConfig.User ?? '',
				Tty: options.tty ?? false,
				OpenStdin: options.interactive ?? false,
				Hostname: id.slice(0, 12),
				...(imageConfig.Labels ? {Labels: imageConfig.Labels} : {}),
				...(imageConfig.ExposedPorts ? {ExposedPorts: imageConfig.ExposedPorts} : {}),
				...(imageConfig.Volumes ? {Volumes: imageConfig.Volumes} : {}),
				...(imageConfig.StopSignal ? {StopSignal: imageConfig.StopSignal} : {}),
			},
			hostConfig: {network: options.network ?? 'host', autoRemove: options.autoRemove ?? false, runtime},
			driver,
		};

		const paths = new ContainerPaths(store.paths);
		emit({kind: 'step', message: `Preparing ${options.image}`});
		const lower = await unpackImage(store, image);
		mkdirSync(paths.containers, {recursive: true});
		const building = join(paths.containers, `.create-${process.pid}-${id}`);
		let stateWritten: Promise<void> | undefined;
		try {
			// Synchronous: a few mkdirs cost less than as many thread-pool round trips.
			mkdirSync(building, {mode: 0o700});
			// The layout inside the dir is ContainerPaths' (upper, work, bundle/rootfs, init), built here before the rename.
			const at = (path: string) => join(building, relative(paths.dir(id), path));
			mkdirSync(at(paths.init(id)), {recursive: true});
			if (driver === 'overlay') {
				mkdirSync(at(paths.upper(id)), {mode: 0o755});
				mkdirSync(at(paths.work(id)), {mode: 0o700});
				mkdirSync(at(paths.rootfs(id)), {recursive: true, mode: 0o755});
			} else {
				mkdirSync(at(paths.bundle(id)), {recursive: true});
				await copyLowerInto(lower, at(paths.rootfs(id)), `container ${requestedName ?? id.slice(0, 12)}`);
			}
			// Written while the store's lock is taken (each waits on the disk otherwise).
			stateWritten = writeFileAtomic(at(paths.state(id)), `${JSON.stringify({status: 'created'})}\n`);
			stateWritten.catch(() => {});
			await store.write('create', async tx => {
				await stateWritten;
				if (!tx.catalog.records.has(image.id)) throw new StrataError(`No such image: ${options.image}`);
				const taken = new Map((await listContainers(store)).map(container => [container.record.name, container.record.id]));
				if (requestedName !== undefined) {
					const owner = taken.get(requestedName);
					if (owner) throw nameConflict(requestedName, owner);
					record.name = requestedName;
				} else {
					do record.name = generateName();
					while (taken.has(record.name));
				}
				await writeFileAtomic(at(paths.record(id)), `${JSON.stringify(record, null, '\t')}\n`);
				await rename(building, paths.dir(id));
			});
		} finally {
			await stateWritten?.catch(() => {});
			await rm(building, {recursive: true, force: true}).catch(() => {});
			await sweepAbandonedDirs(paths);
		}
		return record;
	});
}

/** Dirs of creates and removals whose process died midway (their pid is in the name). */
async function sweepAbandonedDirs(paths: ContainerPaths): Promise<void> {
	for (const name of await readdir(paths.containers).catch(() => [] as string[])) {
		const match = /^\.(?:create|removing)-(\d+)-/.exec(name);
		if (match && !isAlive(Number(match[1]))) await rm(join(paths.containers, name), {recursive: true, force: true}).catch(() => {});
	}
}
