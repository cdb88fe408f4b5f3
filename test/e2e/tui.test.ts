// The TUI end to end: the built binary (dist/cli.js) in a real terminal (tmux, 80×24), on a store filled by
// `strata demo`, driven by keys and checked on the screen's text (`tmux capture-pane`), with the CLI on the
// same store as the witness. Every wait polls the screen (15 s at most); each test kills its session.
import assert from 'node:assert/strict';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {runStrata, tempDir} from '../support/tmp.js';
import {AFTER_MARKER, BEFORE_MARKER, haveTmux, killTmuxServer, TmuxSession} from './tmux.js';

const WIDTH = 80;
const HEIGHT = 24;

/** Runs the CLI on `root`; fails with its output unless it exits 0. */
async function strata(root: string, ...args: string[]): Promise<string> {
	const result = await runStrata(args, {root, timeoutMs: 60_000});
	assert.equal(result.code, 0, `strata ${args.join(' ')}: ${result.stderr}${result.stdout}`);
	return result.stdout;
}

/** A store with the demo images. */
async function demoStore(dir: string, name: string): Promise<string> {
	const root = join(dir, name);
	await strata(root, 'demo');
	return root;
}

/** The main area's part of the screen lines above the status line (right of the pane column's `│`). */
function mainArea(screen: string): string[] {
	return screen
		.split('\n')
		.filter(line => line.includes('│'))
		.map(line => line.slice(line.indexOf('│') + 1));
}

const sgr = /\x1b\[([0-9;]*)m/g;
const plain = (text: string) => text.replace(sgr, '');

/**
 * The main-area lines drawn on a background colour (or inverse): the cursor row of a list. Reads the
 * coloured capture (`capture-pane -e`), following SGR state across the line.
 */
function highlightedRows(coloredScreen: string): string[] {
	const rows: string[] = [];
	for (const line of coloredScreen.split('\n')) {
		const divider = line.indexOf('│');
		if (divider === -1) continue;
		// The state at the divider carries into the main area: replay the codes before it.
		let background = false;
		let highlighted = false;
		let index = 0;
		const apply = (codes: string) => {
			const parts = codes === '' ? [0] : codes.split(';').map(Number);
			for (let i = 0; i < parts.length; i++) {
				const code = parts[i]!;
				if (code === 0 || code === 49 || code === 27) background = false;
				if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107) || code === 7) background = true;
				if (code === 48) {
					background = true;
					i += parts[i + 1] === 5 ? 2 : 4;
				} else if (code === 38) i += parts[i + 1] === 5 ? 2 : 4;
			}
		};
		for (const match of line.matchAll(sgr)) {
			const text = line.slice(index, match.index);
			if (match.index! > divider && background && text.trim()) highlighted = true;
			apply(match[1]!);
			index = match.index! + match[0].length;
		}
		if (background && line.slice(Math.max(index, divider + 1)).trim()) highlighted = true;
		if (highlighted) rows.push(plain(line.slice(divider + 1)));
	}
	return rows;
}

/** The images table's rows (main-area lines that hold a 12-digit image ID). */
function tableRows(screen: string): string[] {
	return mainArea(screen).filter(line => /\b[0-9a-f]{12}\b/.test(line));
}

describe('the TUI in a terminal (tmux)', {skip: haveTmux() ? false : 'tmux is not installed'}, () => {
	let dir: string;
	let sessions: TmuxSession[] = [];

	before(() => {
		dir = tempDir('strata-e2e');
	});
	after(async () => {
		for (const session of sessions) await session.kill();
		await killTmuxServer();
	});

	async function open(root: string, size = {width: WIDTH, height: HEIGHT}): Promise<TmuxSession> {
		const configDir = join(dir, `config-${sessions.length}`);
		mkdirSync(configDir, {recursive: true});
		const session = await TmuxSession.start({dir, root, configDir, ...size});
		sessions.push(session);
		// The first frame: the table with its rows.
		await session.waitFor(screen => screen.includes('REPOSITORY') && tableRows(screen).length > 0, {what: 'the first frame of the images pane'});
		return session;
	}

	async function close(session: TmuxSession): Promise<void> {
		await session.kill();
		sessions = sessions.filter(other => other !== session);
	}

	test('lists the demo images; j/k move; history shows the timeline; esc goes back; l opens the layer tree', async () => {
		const root = await demoStore(dir, 'browse');
		// tools:dev saved, removed and loaded back: its steps below the top have no local image (`<missing>`).
		const archive = join(dir, 'tools.tar');
		await strata(root, 'save', '-o', archive, 'strata-demo/tools:dev');
		await strata(root, 'rmi', 'strata-demo/tools:dev');
		await strata(root, 'load', '-i', archive);
		const webHistory = (await strata(root, 'history', '-q', 'strata-demo/web:1.0')).trim().split('\n');
		const toolsHistory = (await strata(root, 'history', '-q', 'strata-demo/tools:dev')).trim().split('\n');
		assert.ok(toolsHistory.slice(1).every(id => id === '<missing>'), 'the fixture: tools:dev has no intermediate images');

		const session = await open(root);
		try {
			let screen = await session.capture();
			assert.match(screen, /^strata \d+\.\d+\.\d+ +│ Images +4 images, 7 rows · ◌ 1 dangling/);
			for (const title of ['1 Images', '2 Containers', '3 History', '4 Layers']) assert.ok(screen.includes(title), title);
			assert.match(screen, /REPOSITORY +TAG +IMAGE ID +CREATED ↓ +SIZE/);
			const rows = tableRows(screen);
			assert.equal(rows.length, 7, rows.join('\n'));
			assert.match(rows[0]!, /strata-demo\/to… +dev +[0-9a-f]{12} +5 hours ago +2\.63MB/);
			assert.match(rows[1]!, /localhost:5000… +stagi… +[0-9a-f]{12} +3 days ago +2\.06MB/);
			assert.match(rows[2]!, /strata-demo\/web +1\.0 +/);
			assert.match(rows[3]!, /strata-demo\/web +latest +/);
			assert.match(rows[4]!, /◌<none> +<none> +[0-9a-f]{12} +10 days ago +1\.98MB/);
			assert.match(rows[5]!, /strata-demo\/ba… +1\.0 +/);
			assert.match(rows[6]!, /strata-demo\/ba… +latest +/);
			assert.match(screen, /12 images · 6 tags · /, 'the status line: 16 demo images less the 4 intermediate ones of tools:dev');
			assert.match(screen, /⏎ history +l layers +i inspect .*\? keys +q quit/);
			const cursor = async (pattern: RegExp) =>
				session.waitFor(colored => highlightedRows(colored).some(row => pattern.test(row)), {colors: true, what: `the cursor on ${pattern}`});
			await cursor(/strata-demo\/to… +dev/);

			// Keys typed while the TUI is busy arrive as one read ("jjj"): each counts.
			await session.whileStopped(() => session.type('jjj'));
			await cursor(/strata-demo\/web +latest/);
			await session.keys('k');
			await cursor(/strata-demo\/web +1\.0/);
			assert.equal(highlightedRows(await session.capture({colors: true})).length, 1, 'one cursor row');

			// History: one entry per step, newest first; each names its image ID (all built here) and size.
			await session.keys('Enter');
			screen = await session.waitFor('History of strata-demo/web:1.0', {what: 'the history of web:1.0'});
			screen = await session.waitFor(/COPY dir:site/);
			assert.match(screen, /History of strata-demo\/web:1\.0 · 10 steps · 4 layers/);
			assert.match(screen, /○ CMD \["httpd" "-f" "-p" "8080"/);
			assert.ok(screen.includes(webHistory[0]!), `the top step's image ID ${webHistory[0]}`);
			assert.match(screen, new RegExp(`3 days ago \\([0-9T:-]+Z\\) · ${webHistory[0]} · no layer`));
			assert.match(screen, /tags localhost:5000\/team\/web:staging, strata-demo\/web:1\.0, strata-demo\/web:latest|tags strata-demo\/web:1\.0/);
			assert.match(screen, /● COPY dir:site in \/srv\/www +24\.5kB █/);
			assert.match(screen, /● RUN adduser -D -H -h \/srv\/www www +247B/);
			assert.match(screen, /3 History[^\n]*\n *strata-dem…│/, 'the pane column names the image');
			assert.doesNotMatch(screen, /<missing>/);

			// Esc goes back to the images, the cursor where it was.
			await session.keys('Escape');
			await session.waitFor(screen => screen.includes('REPOSITORY'), {what: 'the images pane again'});
			await cursor(/strata-demo\/web +1\.0/);

			// The loaded tools:dev: its own ID on top, `<missing>` below (Docker's rule for steps not built here).
			await session.keys('g', 'h');
			screen = await session.waitFor(/History of strata-demo\/tools:dev · 7 steps/);
			screen = await session.waitFor(/<missing>/);
			assert.match(screen, new RegExp(`ENTRYPOINT \\["/opt/tools/bin/report"\\][^]*${toolsHistory[0]} · no layer`));
			assert.match(screen, /○ ENV PATH=\/opt\/tools\/bin[^\n]*\n[^\n]*5 hours ago \([0-9T:-]+Z\) · <missing> · no layer/);
			assert.match(screen, /● RUN wget -O \/var\/cache\/tools\/toolchain\.tar\.g… +598kB/);
			await session.keys('Escape');
			await session.waitFor('REPOSITORY');

			// The layer tree of web:1.0: the layer list, the file tree of the selected layer, the efficiency.
			await session.keys('j', 'j');
			await cursor(/strata-demo\/web +1\.0/);
			await session.keys('l');
			screen = await session.waitFor(/Layers of strata-demo\/web:1\.0 · layer 0\/3[^]*efficiency/, {what: 'the layer tree of web:1.0'});
			assert.match(screen, /0 +1\.98MB +ADD file:strata-demo-rootfs in \/ +\+34 ~0 -0/);
			assert.match(screen, /1 +48kB +COPY file:ca-certificates\.crt in \/etc\/ssl\/… +\+3 ~1 -0/);
			assert.match(screen, /2 +247B +RUN adduser -D -H -h \/srv\/www www +\+0 ~4 -0/);
			assert.match(screen, /3 +24\.5kB +COPY dir:site in \/srv\/www +\+8 ~0 -0/);
			assert.match(screen, /changes of layer 0 · 34 rows · by name/);
			assert.match(screen, /\+ drwxr-xr-x 0:0 +1\.98MB ├── bin\//);
			assert.match(screen, /\+ -rwxr-xr-x 0:0 +1\.98MB │   ├── busybox/);
			assert.match(screen, /\+ lrwxrwxrwx 0:0 +│   ├── sh → busybox/);
			assert.match(screen, /efficiency 100\.0% · wasted 410B · user wasted 0\.6%/);
			assert.match(screen, /wasted: ×2 211B \/etc\/passwd · ×2 133B \/etc\/shadow/);
			// Layer 2 modifies files (~).
			await session.keys('j', 'j');
			screen = await session.waitFor(/changes of layer 2 · 4 rows/);
			assert.match(screen, /~ drwxr-xr-x 0:0 +247B └── etc\//);
			assert.match(screen, /~ -rw-r--r-- 0:0 +129B +├── passwd/);
			assert.match(screen, /~ -rw-r----- 0:0 +79B +└── shadow/);
			assert.match(screen, /4 Layers[^\n]*\n *strata-dem…│/);
			await session.keys('Escape');
			await session.waitFor('REPOSITORY');

			// tools:dev's layer 3 removes a file (-): the whiteout of `rm -rf …toolchain.tar.gz`.
			await session.keys('g', 'l');
			await session.waitFor(/Layers of strata-demo\/tools:dev · layer 0\/3/);
			await session.keys('j', 'j', 'j');
			screen = await session.waitFor(/changes of layer 3 · \d+ rows/);
			assert.match(screen, /3 +39B +RUN rm -rf \/var\/cache\/tools\/toolchain\.tar\.… +\+0 ~8 -4/);
			const tree = mainArea(screen);
			assert.ok(tree.some(line => /^ - .*\d+kB .*└── toolchain\.tar\.gz$/.test(line)), 'the removed file, marked -');
			assert.ok(tree.some(line => /^ ~ .*└── cache\/$/.test(line)), 'its directory, marked ~');
			assert.match(screen, /efficiency \d+\.\d% · wasted [\d.]+kB/);
		} finally {
			await close(session);
		}
	});

	test('/ filters the images as you type; d asks, naming what goes, then removes; the CLI agrees', async () => {
		const root = await demoStore(dir, 'remove');
		const toolsId = (await strata(root, 'images', '-q', 'strata-demo/tools:dev')).trim();
		assert.match(toolsId, /^[0-9a-f]{12}$/);
		const session = await open(root);
		try {
			await session.keys('/');
			await session.waitFor(/⏎ keep · esc clear/);
			await session.keys('w');
			let screen = await session.waitFor(screen => tableRows(screen).length === 3, {what: 'three rows matching "w"'});
			await session.keys('e', 'b');
			screen = await session.waitFor(/Images +1 image, 3 rows .*· \/web/);
			assert.deepEqual(
				tableRows(screen).map(row => row.trim().split(/ +/).slice(0, 2).join(' ')),
				['localhost:5000/… stagi…', 'strata-demo/web 1.0', 'strata-demo/web latest'],
			);
			assert.match(screen, /\/web +⏎ keep · esc clear/);
			await session.keys('/', 'x');
			screen = await session.waitFor(/Images +0 images, 0 rows|\/web\/x/);
			assert.equal(tableRows(screen).length, 0, screen);
			// Esc clears the filter: every row is back.
			await session.keys('Escape');
			screen = await session.waitFor(screen => tableRows(screen).length === 7 && screen.includes('⏎ history'), {what: 'the unfiltered table'});

			// Remove tools:dev (the first row): the confirmation lists what is untagged and deleted.
			await session.keys('d');
			screen = await session.waitFor(/Remove strata-demo\/tools:dev\?[^]*y remove · n cancel/);
			assert.match(screen, /Frees 598kB: untags 1 tag, deletes 5 images and 2 layers\./);
			assert.match(screen, /Untagged: strata-demo\/tools:dev/);
			assert.match(screen, new RegExp(`Deleted: +${toolsId} \\(image, 2\\.63MB\\)`));
			// n cancels: nothing changed.
			await session.keys('n');
			await session.waitFor(screen => !screen.includes('Remove strata-demo/tools:dev?'), {what: 'the dialog to close'});
			assert.match(await strata(root, 'images'), /strata-demo\/tools +dev/);
			await session.keys('d');
			await session.waitFor(/Remove strata-demo\/tools:dev\?/);
			await session.keys('y');
			screen = await session.waitFor(/✓ Untagged strata-demo\/tools:dev; deleted …/);
			screen = await session.waitFor(screen => tableRows(screen).length === 6, {what: 'six rows'});
			assert.doesNotMatch(mainArea(screen).join('\n'), /strata-demo\/to/);
			assert.match(screen, /Images +3 images, 6 rows/);
			const listed = await strata(root, 'images');
			assert.doesNotMatch(listed, /strata-demo\/tools/);
			assert.equal(listed.trim().split('\n').length, 1 + 6, listed);
			const all = await strata(root, 'images', '-a', '-q', '--no-trunc');
			assert.doesNotMatch(all, new RegExp(toolsId));
		} finally {
			await close(session);
		}
	});

	test('an image imported by the CLI meanwhile shows up; a resize is used at once', async t => {
		const root = await demoStore(dir, 'watch');
		const rootfs = join(dir, 'rootfs');
		mkdirSync(join(rootfs, 'etc'), {recursive: true});
		writeFileSync(join(rootfs, 'etc', 'hello'), 'hello from e2e\n');
		const session = await open(root);
		try {
			// Another process writes the store while the TUI is open: the TUI shows it within seconds.
			await strata(root, 'import', rootfs, 'e2e/imported:1');
			const started = Date.now();
			let screen = await session.waitFor(/e2e\/imported +1 +[0-9a-f]{12}/, {timeoutMs: 10_000, what: 'the imported image'});
			const seenAfter = Date.now() - started;
			t.diagnostic(`the import showed ${seenAfter} ms after the CLI exited`);
			assert.match(screen, /17 images · 7 tags/);
			assert.equal(tableRows(screen).length, 8);

			// Resize the terminal: the frame takes the new width and height.
			assert.equal(screen.split('\n').filter(line => line.includes('│')).length, HEIGHT - 3);
			const narrowDivider = screen.split('\n')[0]!.indexOf('│');
			await session.resize(120, 30);
			screen = await session.waitFor(screen => screen.split('\n')[0]!.indexOf('│') > narrowDivider && screen.includes('space mark'), {what: 'the frame at 120×30'});
			const lines = screen.replace(/\n$/, '').split('\n');
			assert.equal(lines.length, 30);
			assert.equal(lines.filter(line => line.includes('│')).length, 30 - 3, 'the main area is 27 rows');
			assert.ok(lines.some(line => line.length > 100), 'lines use the width');
			assert.match(screen, /REPOSITORY +TAG +IMAGE ID +CREATED ↓ +SIZE +SHARED/);
			assert.match(screen, /strata-demo\/base +1\.0 /, 'no truncated names at 120 columns');
			assert.match(screen, /localhost:5000\/team\/web +staging /);
			assert.match(screen, /⏎ history +l layers +i inspect +t tag +d remove +space mark +p prune +\/ filter +: cmd +\? keys +q quit/);
			assert.ok(screen.includes(root), 'the status line has room for the whole store path');
		} finally {
			await close(session);
		}
	});

	test('? lists the keys; q quits and leaves the terminal as it was', async () => {
		const root = await demoStore(dir, 'quit');
		const session = await open(root);
		try {
			assert.equal(await session.format('#{alternate_on}'), '1', 'the TUI runs on the alternate screen');
			await session.keys('?');
			let screen = await session.waitFor('Keys of the Images pane');
			assert.match(screen, /h +history timeline of the image/);
			assert.match(screen, /l +layer tree of the image/);
			assert.match(screen, /d Del +remove the image, or the marked ones/);
			assert.match(screen, /j ↓ +move down/);
			assert.match(screen, /esc closes/);
			await session.keys('Escape');
			await session.waitFor(screen => screen.includes('REPOSITORY') && !screen.includes('Keys of the Images pane'), {what: 'help to close'});

			await session.keys('q');
			screen = await session.waitFor(AFTER_MARKER, {what: 'strata to exit'});
			assert.match(screen, new RegExp(`${AFTER_MARKER} 0`));
			// The normal screen is back, as the shell left it: no frame on it.
			assert.equal(await session.format('#{alternate_on}'), '0', 'the alternate screen was left');
			assert.equal(await session.format('#{cursor_flag}'), '1', 'the cursor is visible');
			assert.ok(screen.startsWith(BEFORE_MARKER), screen);
			for (const text of ['REPOSITORY', '1 Images', 'q quit', '│']) assert.ok(!screen.includes(text), `"${text}" left on the screen:\n${screen}`);
		} finally {
			await close(session);
		}
	});
});
