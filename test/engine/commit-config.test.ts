// The config of a committed image, as moby's CommitImage forms it: base platform, the container's settings
// with --change applied, one more diff ID, one more history entry (created_by = the container's Cmd).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {commitImageConfig} from '../../source/engine/containers/commit-config.js';
import type {ContainerRecord} from '../../source/engine/containers/container-record.js';
import type {Digest} from '../../source/engine/digest.js';
import type {ImageConfig} from '../../source/engine/image/types.js';

const base: ImageConfig = {
	architecture: 'arm64',
	variant: 'v8',
	os: 'linux',
	created: '2024-01-01T00:00:00Z',
	author: 'base author',
	comment: 'Imported from -',
	config: {Cmd: ['sh'], Env: ['PATH=/bin'], Shell: ['/bin/ash', '-c'], Healthcheck: {Test: ['NONE']}, Labels: {base: '1'}},
	rootfs: {type: 'layers', diff_ids: ['sha256:aaaa' as Digest]},
	history: [{created: '2024-01-01T00:00:00Z', comment: 'Imported from -'}],
	docker_version: '20.10',
};

const container = {
	id: 'f'.repeat(64),
	name: 'c1',
	image: 'sha256:1111' as Digest,
	imageName: 'busybox',
	created: '2024-02-01T00:00:00Z',
	path: 'sh',
	args: ['-c', 'echo hi > /x'],
	config: {Env: ['PATH=/bin', 'E=1'], Cmd: ['sh', '-c', 'echo hi > /x'], Entrypoint: null, WorkingDir: '/work', User: 'nobody', Tty: true, OpenStdin: true, Hostname: 'ffffffffffff', Labels: {base: '1'}},
	hostConfig: {network: 'none', autoRemove: false, runtime: 'runc'},
	driver: 'overlay',
} satisfies ContainerRecord;

test('the container\'s settings, the changes, the layer and a history entry on top of the base', () => {
	const config = commitImageConfig(base, container, {
		author: 'Ann',
		message: 'msg',
		changes: ['ENV A=2', 'CMD ["cat", "/x"]', 'LABEL l=v'],
		layer: 'sha256:bbbb' as Digest,
		created: '2024-03-01T00:00:00.000Z',
	});
	assert.deepEqual(config, {
		architecture: 'arm64',
		os: 'linux',
		variant: 'v8',
		created: '2024-03-01T00:00:00.000Z',
		author: 'Ann',
		config: {
			Cmd: ['cat', '/x'],
			Env: ['PATH=/bin', 'E=1', 'A=2'],
			Entrypoint: null,
			// Taken over from the image, as the container had them.
			Shell: ['/bin/ash', '-c'],
			Healthcheck: {Test: ['NONE']},
			Labels: {base: '1', l: 'v'},
			User: 'nobody',
			WorkingDir: '/work',
		},
		rootfs: {type: 'layers', diff_ids: ['sha256:aaaa', 'sha256:bbbb']},
		history: [
			{created: '2024-01-01T00:00:00Z', comment: 'Imported from -'},
			// created_by is the container's Cmd before the changes, as Docker records it.
			{created: '2024-03-01T00:00:00.000Z', author: 'Ann', created_by: 'sh -c echo hi > /x', comment: 'msg'},
		],
	});
	// The base is not changed.
	assert.deepEqual(base.config?.Cmd, ['sh']);
	assert.equal(base.history?.length, 1);
});

test('no changes in the container: no layer, an empty_layer history entry; no Cmd: no created_by', () => {
	const config = commitImageConfig(base, {...container, config: {...container.config, Cmd: null}}, {created: '2024-03-01T00:00:00.000Z'});
	assert.deepEqual(config.rootfs.diff_ids, ['sha256:aaaa']);
	assert.deepEqual(config.history?.at(-1), {created: '2024-03-01T00:00:00.000Z', empty_layer: true});
	assert.equal(config.author, undefined);
	assert.equal(config.config?.Cmd, null);
});
