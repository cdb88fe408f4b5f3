// docker build next to strata build for multi-stage Dockerfiles (issue 5, point 6): COPY --from a stage by
// name and by index, and --target. The files copied between stages get a fixed mtime: made by RUN, they
// would otherwise differ between the two builders, and with them the COPY's content hash.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {Differential, differentialSkip, useDifferential} from './build-differential-support.js';

const dockerfile = `FROM strata-test/busybox AS builder
ARG FLAVOUR=plain
RUN mkdir -p /out/sub && echo "built $FLAVOUR" > /out/artifact && echo x > /out/sub/x && ln -s artifact /out/link \\
 && find /out -exec touch -h -t 202401010000.00 {} \\;
FROM strata-test/busybox AS second
COPY --from=builder /out/sub /from-builder/
RUN echo second > /second && touch -t 202401010000.00 /second /from-builder
FROM strata-test/busybox
COPY --from=builder /out /by-name/
COPY --from=1 /second /by-index
COPY --from=0 /out/artifact /out/link /files/
COPY --from=second --chown=5:6 /from-builder /owned/
CMD ["cat", "/by-name/artifact"]
`;

describe('docker build and strata build make the same image: multi-stage', {skip: differentialSkip, timeout: 900_000}, () => {
	let diff!: Differential;
	let dir!: string;
	useDifferential(started => {
		diff = started;
		dir = diff.context('multi', {Dockerfile: dockerfile, 'unused.txt': 'u\n'});
	});

	test('COPY --from by name and by index, into the last stage', {timeout: 300_000}, async () => {
		await diff.assertSameBuild(dir, {tag: 'diff/multi', buildArgs: {FLAVOUR: 'fancy'}}, {ignoreHistory: true});
	});

	test('--target builds the named stage only', {timeout: 300_000}, async () => {
		await diff.assertSameBuild(dir, {tag: 'diff/multi-second', target: 'second'}, {ignoreHistory: true});
	});

	test('the history of COPY --from: its content hashes', {timeout: 300_000}, async () => {
		assert.deepEqual((await diff.differences('diff/multi')).filter(line => line.startsWith('history')), []);
		assert.deepEqual((await diff.differences('diff/multi-second')).filter(line => line.startsWith('history')), []);
	});
});
