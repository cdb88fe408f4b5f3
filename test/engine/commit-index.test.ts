// A committed layer is indexed from the headers strata's packer wrote, not by parsing the tar back
// (packedTarHeaders). This checks on real commits that the stored index is exactly what parsing the
// stored blob gives, for every kind of entry a container can leave: files small and big (several output
// chunks, content passed through), empty files, long and non-ASCII names (PAX headers), symlinks,
// hardlinks, FIFOs, setuid modes, whiteouts and an opaque directory. Also: the image's size and manifest,
// which commit takes from the base's record and manifest, match its layers' indexes.
import assert from 'node:assert/strict';
import {once} from 'node:events';
import {describe, test} from 'node:test';
import {commitContainer} from '../../source/engine/containers/commit.js';
import {createLayerIndexer} from '../../source/engine/layer/layer-indexer.js';
import type {LayerIndex} from '../../source/engine/layer/types.js';
import {drain} from '../../source/engine/progress.js';
import {Store} from '../../source/engine/store/store.js';
import {containerSkip, withExitedContainer} from './container-support.js';

const longName = `/data/${'deep/'.repeat(25)}${'n'.repeat(120)}`;
const script = [
	'mkdir -p /data',
	'i=0; while [ $i -lt 300 ]; do echo "file $i" > /data/f$i; i=$((i+1)); done',
	': > /data/empty',
	'dd if=/dev/urandom of=/data/big bs=1024 count=2100 2>/dev/null',
	'dd if=/dev/urandom of=/data/medium bs=1000 count=70 2>/dev/null',
	`mkdir -p "$(dirname ${longName})" && echo long > ${longName}`,
	'echo grüße > /data/grüße-ü',
	'ln -s ../etc/passwd /data/link && ln -s /bin/busybox /data/absolute-link',
	'ln /data/f1 /data/hard',
	'mkfifo /data/pipe',
	'echo s > /data/setuid && chmod 4755 /data/setuid',
	'rm -rf /root /etc/group',
	'rm -rf /tmp && mkdir /tmp && echo new > /tmp/only',
].join(' && ');

/** Parses the stored blob of a layer with the tar parser, as a foreign tar is indexed at ingest. */
async function parsedIndex(store: Store, diffID: LayerIndex['diffID']): Promise<{entries: LayerIndex['entries']; size: number}> {
	const indexer = createLayerIndexer(`layer ${diffID}`);
	for await (const chunk of store.blobs.openRead(diffID)) {
		if (!indexer.writable.write(chunk)) await once(indexer.writable, 'drain');
	}
	indexer.writable.end();
	return indexer.result;
}

describe('the index of a committed layer', {skip: containerSkip}, () => {
	const context = withExitedContainer('kinds', script);

	test('equals the index parsed from the stored blob', async () => {
		const store = await Store.open(context.root);
		const image = await drain(commitContainer(store, {container: 'kinds', reference: 'kinds:1'}));
		const diffID = image.diffIDs.at(-1)!;
		const stored = await store.layers.index(diffID);
		const parsed = await parsedIndex(store, diffID);
		assert.deepEqual(stored.entries, parsed.entries);
		assert.equal(stored.size, parsed.size);
		assert.equal(stored.tarSize, await store.blobs.size(diffID));
		// The image's size and manifest, made from the base's manifest and record, not its layers' indexes.
		const layers = await Promise.all(image.diffIDs.map(id => store.layers.index(id)));
		assert.equal(image.size, layers.reduce((sum, layer) => sum + layer.size, 0));
		const manifest = await store.manifest(image);
		assert.deepEqual(manifest.layers.map(layer => [layer.digest, layer.size]), layers.map(layer => [layer.diffID, layer.tarSize]));
		// The entry kinds the script made are really there, so the comparison covered them.
		const byPath = new Map(stored.entries.map(entry => [entry.path, entry]));
		assert.equal(byPath.get('data/big')?.size, 2100 * 1024);
		assert.equal(byPath.get('data/medium')?.size, 70_000);
		assert.equal(byPath.get(longName.slice(1))?.type, 'file');
		assert.equal(byPath.get('data/grüße-ü')?.type, 'file');
		assert.equal(byPath.get('data/link')?.linkname, '../etc/passwd');
		assert.equal(byPath.get('data/hard')?.type === 'hardlink' || byPath.get('data/f1')?.type === 'hardlink', true);
		assert.equal(byPath.get('data/pipe')?.type, 'fifo');
		assert.equal(byPath.get('data/setuid')?.mode, 0o4755);
		assert.equal(byPath.get('root')?.type, 'whiteout');
		assert.equal(byPath.get('etc/group')?.type, 'whiteout');
		assert.ok(stored.entries.some(entry => entry.type === 'opaque' && entry.path === 'tmp'));
	});

	test('is the same when the layer is committed again (same bytes, same diff ID)', async () => {
		const store = await Store.open(context.root);
		const first = await drain(commitContainer(store, {container: 'kinds', reference: 'kinds:2'}));
		const second = await drain(commitContainer(store, {container: 'kinds', reference: 'kinds:3'}));
		assert.equal(first.diffIDs.at(-1), second.diffIDs.at(-1));
	});
});
