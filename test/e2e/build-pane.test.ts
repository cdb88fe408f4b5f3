// The build pane end to end: the built CLI's TUI in tmux at 80x24, on a store holding the offline busybox
// image, building a real context (RUN in a real container, a COPY) from the pane's form, landing on the new
// image's history; and a build cancelled during a `sleep 60`, after which the CLI finds no tag. Every wait
// polls the screen (generous timeouts: builds run real containers on a busy machine).
import assert from 'node:assert/strict';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {cleanUpStore, containerRoot, containerSkip, importBusybox, strataIn} from '../engine/container-support.js';
import {tempDir} from '../support/tmp.js';
import {haveTmux, killTmuxServer, TmuxSession} from './tmux.js';

const WIDTH = 80;
const HEIGHT = 24;
const buildTimeoutMs = 180_000;

const skip = !haveTmux() ? 'tmux is not installed' : containerSkip;

describe('the build pane in a terminal (tmux)', {skip}, () => {
	let dir: string;
	let root: string;
	const sessions: TmuxSession[] = [];

	before(async () => {
		dir = tempDir('strata-e2e-build');
		root = containerRoot();
		await importBusybox(root);
	});
	after(async () => {
		for (const session of sessions) await session.kill();
		await killTmuxServer();
		cleanUpStore(root);
	});

	/** A context directory with these files. */
	function context(name: string, files: Record<string, string>): string {
		const path = join(dir, name);
		mkdirSync(path, {recursive: true});
		for (const [file, text] of Object.entries(files)) writeFileSync(join(path, file), text);
		return path;
	}

	/** The TUI on the store, on the build pane, its form filled with `contextDir` and `tag`, started. */
	async function startBuild(contextDir: string, tag: string): Promise<TmuxSession> {
		const configDir = join(dir, `config-${sessions.length}`);
		mkdirSync(configDir, {recursive: true});
		const session = await TmuxSession.start({dir, root, configDir, width: WIDTH, height: HEIGHT});
		sessions.push(session);
		await session.waitFor('REPOSITORY', {what: 'the images pane'});
		await session.keys('5');
		await session.waitFor('Build an image', {what: 'the build form'});
		await session.keys('C-u');
		await session.type(contextDir);
		await session.waitFor(`✓ ${join(contextDir, 'Dockerfile')}`, {what: 'the Dockerfile found in the context'});
		await session.keys('Down', 'Down');
		await session.type(tag);
		await session.waitFor(`✓ new tag ${tag}`, {what: 'the tag checked'});
		await session.keys('Enter');
		return session;
	}

	test('a context with RUNs (one printing 5,000 lines) and a COPY: steps go done, history, then every line searchable', async () => {
		const contextDir = context('app', {
			Dockerfile: 'FROM busybox\nRUN for i in 1 2 3 4 5; do echo "printed line $i"; done\nRUN seq 1 5000 | sed "s/^/numbered line /"\nCOPY hello.txt /hello.txt\n',
			'hello.txt': 'hello from the build pane\n',
		});
		const session = await startBuild(contextDir, 'e2e-built:1');
		let screen = await session.waitFor('History of e2e-built:1', {timeoutMs: buildTimeoutMs, what: 'the history of the built image'});
		screen = await session.waitFor(/● COPY file:[0-9a-f]+/, {what: 'the COPY step in the history'});
		assert.match(screen, /History of e2e-built:1 · 4 steps/);
		assert.match(screen, /RUN for i in 1 2 3 4 5/);
		assert.match(screen, /tags e2e-built:1/);
		assert.match(screen, /✓ Built e2e-built:1 \([0-9a-f]{12}\)/);

		// Back on the build pane: every step done, the RUN step's output kept.
		await session.keys('5');
		screen = await session.waitFor(/4\/4 steps · [\d.]+s · built [0-9a-f]{12}/, {what: 'the finished build'});
		assert.match(screen, /✓ 1\/4 FROM busybox/);
		await session.waitFor(/5 Build[^\n]*\n +built +│/, {what: 'the pane column saying how the build went'});
		assert.match(screen, /✓ 2\/4 RUN for i in 1 2 3 4 5.* [\d.]+s (no layer|[\d.]+k?B)/);
		assert.match(screen, /✓ 3\/4 RUN seq 1 5000 .* [\d.]+s (no layer|[\d.]+k?B)/);
		assert.match(screen, /✓ 4\/4 COPY hello\.txt \/hello\.txt +[\d.]+s [\d.]+k?B/);
		// The 5,000-line step: every line kept, the tail shown; search finds an early one.
		await session.keys('k');
		screen = await session.waitFor('numbered line 5000', {what: 'the tail of the 5,000-line step'});
		assert.match(screen, /Step 3  5000 lines · following/);
		// Tab to the output, / and the search, then Enter, in one write: over SSH keys typed ahead arrive in
		// one read, and each must still reach the view it is for (the focus moves with the Tab).
		await session.type('\t/line 17\r');
		// The count and the jump to the first match may reach the screen in two frames: wait for both.
		screen = await session.waitFor(/paused \(F\)[^\n]*\/line 17 \(111 matches\)/, {what: 'the search over 5,000 lines, at its first match'});
		assert.match(screen, /│ numbered line 17\n/, 'the first match at the top');
		await session.keys('Tab', 'k');
		screen = await session.waitFor('printed line 5', {what: 'the first RUN step’s output'});
		assert.match(screen, /Step 2  5 lines/);
		for (let line = 1; line <= 5; line++) assert.ok(screen.includes(`printed line ${line}`), `line ${line}`);

		const images = await strataIn(root)(['images', 'e2e-built']);
		assert.equal(images.code, 0, images.stderr);
		assert.match(images.stdout, /e2e-built +1 +[0-9a-f]{12}/);
	});

	test('cancel during a RUN sleep 60: asked, cancelled, nothing tagged', async () => {
		const contextDir = context('sleepy', {Dockerfile: 'FROM busybox\nRUN echo started-sleeping && sleep 60\n'});
		const session = await startBuild(contextDir, 'e2e-cancel:1');
		await session.waitFor('started-sleeping', {timeoutMs: buildTimeoutMs, what: 'the RUN step running'});
		await session.keys('x');
		await session.waitFor('Cancel the build?', {what: 'the confirmation'});
		await session.keys('y');
		await session.waitFor('cancelled: nothing was tagged', {timeoutMs: 60_000, what: 'the pane saying cancelled'});
		const screen = await session.waitFor('Build cancelled: nothing was tagged', {what: 'the status line saying cancelled'});
		await session.waitFor(/5 Build[^\n]*\n +cancelled +│/, {what: 'the pane column saying cancelled'});
		assert.match(screen, /⊘ 2\/2 RUN echo started-sleeping && sleep 60 +cancelled|✗ 2\/2 RUN echo started-sleeping/);

		const images = await strataIn(root)(['images', '--format', 'json']);
		assert.equal(images.code, 0, images.stderr);
		assert.doesNotMatch(images.stdout, /e2e-cancel/);
		const ps = await strataIn(root)(['ps', '-q']);
		assert.equal(ps.stdout.trim(), '', 'no container left running');
	});
});
