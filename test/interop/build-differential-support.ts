// The harness of the differential build tests: one private Docker daemon and one strata store per test
// file, the same offline busybox in both (same image ID), contexts written by the test, and a build of each
// context by `docker build` (20.10's classic builder) and by strata's engine, compared with image-compare.
import assert from 'node:assert/strict';
import {after, before} from 'node:test';
import {execFileSync} from 'node:child_process';
import {mkdirSync, symlinkSync, writeFileSync, chmodSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {drain, type ProgressEvent} from '../../source/engine/progress.js';
import {loadArchive} from '../../source/engine/archive/load.js';
import {buildImage, type BuildOptions} from '../../source/engine/builder/executor/build-image.js';
import {Store} from '../../source/engine/store/store.js';
import {busyboxTar} from '../support/busybox.js';
import {dockerSkip, startDocker, type DockerDaemon} from '../support/docker.js';
import {compareImages, describeDifferences, dockerImage, strataImage} from '../support/image-compare.js';
import {tempDir} from '../support/tmp.js';
import {cleanUpStore, containerRoot, containerSkip} from '../engine/container-support.js';

/** Both builders start FROM this (the busybox fixture, `docker import`ed, then loaded into strata). */
export const BASE = 'strata-test/busybox:latest';
/** The same files without an Env: the classic builder adds a default PATH to such a stage. */
export const BASE_WITHOUT_PATH = 'strata-test/busybox-nopath:latest';
/** Docker's default PATH (and busybox's on Docker Hub): the base has it, as real bases do. */
const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export const differentialSkip = containerSkip || dockerSkip();

/** A context file: text, or a symlink, an empty dir, or text with a mode. */
export type ContextFile = string | {symlink: string} | {dir: true} | {content: string; mode: number};

export interface BuildRequest {
	tag: string;
	buildArgs?: Record<string, string>;
	target?: string;
	/** `-f`, relative to the context. */
	dockerfile?: string;
}

export interface BuildOutcome {
	ok: boolean;
	/** The error (strata) or stderr (docker) of a failed build. */
	error?: string;
	/** Numbers of the steps taken from the cache. */
	cachedSteps: number[];
}

/** Steps answered from the cache in the classic builder's output (`Step 3/7 : ...` then ` ---> Using cache`). */
export function cachedStepsOf(output: string): number[] {
	const steps: number[] = [];
	for (const chunk of output.split(/^Step (?=\d+\/\d+ : )/m).slice(1)) {
		if (chunk.includes('\n ---> Using cache\n')) steps.push(Number.parseInt(chunk, 10));
	}
	return steps;
}

/**
 * For a describe: a Differential started before its tests (handed to `onStarted`, which may also write
 * contexts) and stopped after them.
 */
export function useDifferential(onStarted: (diff: Differential) => void): void {
	let started: Differential | undefined;
	before(async () => {
		started = await Differential.start();
		onStarted(started);
	});
	after(async () => {
		await started?.stop();
	});
}

export class Differential {
	private constructor(
		readonly dockerd: DockerDaemon,
		readonly root: string,
		readonly store: Store,
		private readonly work: string,
	) {}

	static async start(): Promise<Differential> {
		const dockerd = await startDocker();
		const root = containerRoot();
		const store = await Store.open(root);
		const work = tempDir('strata-differential');
		const tar = await busyboxTar();
		const ids = [
			(await dockerd.docker(['import', '--change', 'CMD ["sh"]', '--change', `ENV ${DEFAULT_PATH}`, tar, BASE], {check: true})).stdout.trim(),
			(await dockerd.docker(['import', '--change', 'CMD ["sh"]', tar, BASE_WITHOUT_PATH], {check: true})).stdout.trim(),
		];
		const archive = join(work, 'base.tar');
		await dockerd.docker(['save', '-o', archive, BASE, BASE_WITHOUT_PATH], {check: true});
		const loaded = await drain(loadArchive(store, {file: archive}));
		assert.deepEqual(loaded.loaded.map(image => image.id).sort(), ids.sort(), 'the base images have the same IDs in docker and in strata');
		return new Differential(dockerd, root, store, work);
	}

	async stop(): Promise<void> {
		cleanUpStore(this.root);
		await this.dockerd.stop();
	}

	/** Writes a context dir named `name` (fresh each call) and returns its path. */
	context(name: string, files: Record<string, ContextFile>): string {
		const dir = join(this.work, name);
		mkdirSync(dir, {recursive: true});
		this.write(dir, files);
		return dir;
	}

	/** Adds or replaces files of an existing context. */
	write(dir: string, files: Record<string, ContextFile>): void {
		for (const [path, file] of Object.entries(files)) {
			const target = join(dir, path);
			mkdirSync(dirname(target), {recursive: true});
			if (typeof file === 'string') writeFileSync(target, file);
			else if ('symlink' in file) symlinkSync(file.symlink, target);
			else if ('dir' in file) mkdirSync(target, {recursive: true});
			else {
				writeFileSync(target, file.content);
				chmodSync(target, file.mode);
			}
		}
	}

	/** A tar (gzip when the name ends .gz) of `files`, written at `path` inside context `dir`. */
	tarball(dir: string, path: string, files: Record<string, ContextFile>): void {
		const source = join(this.work, `tar-source-${path.replace(/\W/g, '_')}`);
		mkdirSync(source, {recursive: true});
		this.write(source, files);
		execFileSync('tar', [path.endsWith('.gz') ? '-czf' : '-cf', join(dir, path), '--numeric-owner', '--owner=0', '--group=0', '-C', source, '.']);
	}

	async dockerBuild(dir: string, request: BuildRequest): Promise<BuildOutcome> {
		const args = ['build', '--network', 'none', '-t', request.tag];
		for (const [name, value] of Object.entries(request.buildArgs ?? {})) args.push('--build-arg', `${name}=${value}`);
		if (request.target) args.push('--target', request.target);
		if (request.dockerfile) args.push('-f', join(dir, request.dockerfile));
		const result = await this.dockerd.docker([...args, dir], {env: {DOCKER_BUILDKIT: '0'}});
		return {ok: result.code === 0, ...(result.code === 0 ? {} : {error: result.stderr.trim()}), cachedSteps: cachedStepsOf(result.stdout)};
	}

	async strataBuild(dir: string, request: BuildRequest): Promise<BuildOutcome> {
		const options: BuildOptions = {contextDir: dir, tags: [request.tag], network: 'none', buildArgs: request.buildArgs, target: request.target};
		if (request.dockerfile) options.dockerfile = join(dir, request.dockerfile);
		const lines: string[] = [];
		const cached = new Set<number>();
		const onEvent = (event: ProgressEvent) => {
			if (event.kind === 'step') lines.push(event.message);
			if (event.kind === 'build' && event.event.type === 'step-cached') cached.add(event.event.step);
		};
		try {
			await drain(buildImage(this.store, options), onEvent);
		} catch (error) {
			return {ok: false, error: (error as Error).message, cachedSteps: []};
		}
		for (const step of cachedStepsOf(`${lines.join('\n')}\n`)) cached.add(step);
		return {ok: true, cachedSteps: [...cached].sort((a, b) => a - b)};
	}

	/** Builds `dir` with both; both must succeed. */
	async buildBoth(dir: string, request: BuildRequest): Promise<{docker: BuildOutcome; strata: BuildOutcome}> {
		const [docker, strata] = await Promise.all([this.dockerBuild(dir, request), this.strataBuild(dir, request)]);
		assert.ok(docker.ok, `docker build ${request.tag} failed: ${docker.error}`);
		assert.ok(strata.ok, `strata build ${request.tag} failed: ${strata.error}`);
		return {docker, strata};
	}

	/** Every difference between docker's and strata's image `tag` (history lines left out on request). */
	async differences(tag: string, options: {ignoreHistory?: boolean} = {}): Promise<string[]> {
		const [docker, strata] = await Promise.all([dockerImage(this.dockerd, tag), strataImage(this.store, tag)]);
		return compareImages(docker, strata).filter(line => !(options.ignoreHistory && line.startsWith('history[')));
	}

	/** Builds the context with both and asserts the images are the same. */
	async assertSameBuild(dir: string, request: BuildRequest, options: {ignoreHistory?: boolean} = {}): Promise<void> {
		await this.buildBoth(dir, request);
		const differences = await this.differences(request.tag, options);
		assert.equal(differences.length, 0, describeDifferences(request.tag, differences));
	}

	/** Writes a context from `files` and asserts both builders refuse it, with an error matching `message`. */
	async sameFailure(name: string, files: Record<string, ContextFile>, message: RegExp): Promise<void> {
		const dir = this.context(name, files);
		const request = {tag: `diff/${name}`};
		const [docker, strata] = await Promise.all([this.dockerBuild(dir, request), this.strataBuild(dir, request)]);
		assert.ok(!docker.ok && message.test(docker.error!), `docker build ${name}: ${docker.ok ? 'succeeded' : docker.error}`);
		assert.ok(!strata.ok && message.test(strata.error!), `strata build ${name}: ${strata.ok ? 'succeeded' : strata.error}`);
	}

	/** Writes a context from `files` and asserts both builders make the same image of it. */
	async same(name: string, files: Record<string, ContextFile>, request: Partial<BuildRequest> = {}): Promise<void> {
		await this.assertSameBuild(this.context(name, files), {tag: `diff/${name}`, ...request});
	}
}
