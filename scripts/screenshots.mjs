#!/usr/bin/env node
// Screenshots of the TUI for the README, as SVG: the built CLI (dist/cli.js) runs in tmux on a store filled
// by `strata demo`, is driven to each pane with keys, and the screen is read with `tmux capture-pane -e -p`
// (text with SGR colour codes) and drawn as SVG by the small ANSI → SVG converter below (monospace cells,
// 16 / 256 / 24-bit colours, bold, dim, italic, underline, strikethrough, inverse). No dependencies.
//
//   npm run screenshots                     # build, then write media/*.svg
//   node scripts/screenshots.mjs [--out media] [--only images,history]
//
// Needs tmux. The demo's times are relative to now, so image IDs and dates change from run to run.
import {execFile, execFileSync} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {parseArgs, promisify} from 'node:util';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// STRATA_SCREENSHOT_CLI: another build of the CLI (a private one, while dist/ is shared).
const CLI = process.env.STRATA_SCREENSHOT_CLI ? resolve(process.env.STRATA_SCREENSHOT_CLI) : join(REPO_ROOT, 'dist', 'cli.js');

// --- ANSI → SVG ---

/** xterm's 16 colours, in a dark palette that reads well on the page (VS Code's dark terminal). */
const palette16 = [
	'#000000', '#cd3131', '#0dbc79', '#e5e510', '#2472c8', '#bc3fbc', '#11a8cd', '#e5e5e5',
	'#666666', '#f14c4c', '#23d18b', '#f5f543', '#3b8eea', '#d670d6', '#29b8db', '#e5e5e5',
];
const defaultForeground = '#cccccc';
const defaultBackground = '#1e1e1e';

/** Colour N of the 256-colour palette. */
function color256(n) {
	if (n < 16) return palette16[n];
	if (n < 232) {
		const steps = [0, 95, 135, 175, 215, 255];
		const index = n - 16;
		return rgb(steps[Math.floor(index / 36)], steps[Math.floor(index / 6) % 6], steps[index % 6]);
	}
	const level = 8 + (n - 232) * 10;
	return rgb(level, level, level);
}

function rgb(r, g, b) {
	return `#${[r, g, b].map(value => Math.max(0, Math.min(255, value)).toString(16).padStart(2, '0')).join('')}`;
}

const plainStyle = () => ({fg: undefined, bg: undefined, bold: false, dim: false, italic: false, underline: false, strike: false, inverse: false});

/** Applies one SGR sequence's parameters (`1;38;5;208`, also with `:` separators) to `style`. */
function applySgr(style, parameters) {
	const codes = parameters === '' ? [0] : parameters.split(/[;:]/).map(code => (code === '' ? 0 : Number(code)));
	for (let i = 0; i < codes.length; i++) {
		const code = codes[i];
		if (code === 0) Object.assign(style, plainStyle());
		else if (code === 1) style.bold = true;
		else if (code === 2) style.dim = true;
		else if (code === 3) style.italic = true;
		else if (code === 4) style.underline = true;
		else if (code === 7) style.inverse = true;
		else if (code === 9) style.strike = true;
		else if (code === 22) style.bold = style.dim = false;
		else if (code === 23) style.italic = false;
		else if (code === 24) style.underline = false;
		else if (code === 27) style.inverse = false;
		else if (code === 29) style.strike = false;
		else if (code >= 30 && code <= 37) style.fg = palette16[code - 30];
		else if (code >= 90 && code <= 97) style.fg = palette16[code - 90 + 8];
		else if (code === 39) style.fg = undefined;
		else if (code >= 40 && code <= 47) style.bg = palette16[code - 40];
		else if (code >= 100 && code <= 107) style.bg = palette16[code - 100 + 8];
		else if (code === 49) style.bg = undefined;
		else if (code === 38 || code === 48) {
			let value;
			if (codes[i + 1] === 5) {
				value = color256(codes[i + 2] ?? 0);
				i += 2;
			} else if (codes[i + 1] === 2) {
				value = rgb(codes[i + 2] ?? 0, codes[i + 3] ?? 0, codes[i + 4] ?? 0);
				i += 4;
			}
			if (code === 38) style.fg = value;
			else style.bg = value;
		}
	}
}

/** Whether a code point takes two cells (East Asian wide and fullwidth forms, most emoji). */
function isWide(codePoint) {
	return (
		(codePoint >= 0x1100 && codePoint <= 0x115f) ||
		(codePoint >= 0x2e80 && codePoint <= 0xa4cf && codePoint !== 0x303f) ||
		(codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
		(codePoint >= 0xf900 && codePoint <= 0xfaff) ||
		(codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
		(codePoint >= 0xff00 && codePoint <= 0xff60) ||
		(codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
		(codePoint >= 0x1f300 && codePoint <= 0x1f64f) ||
		(codePoint >= 0x1f900 && codePoint <= 0x1f9ff) ||
		(codePoint >= 0x20000 && codePoint <= 0x3fffd)
	);
}

/** The screen as rows of cells `{char, style}` (a wide character's second cell is `{char: ''}`). */
export function parseAnsiScreen(text) {
	const style = plainStyle();
	const rows = [];
	for (const line of text.replace(/\n$/, '').split('\n')) {
		const cells = [];
		const pattern = /\x1b\[([0-9;:?]*)([A-Za-z])|\x1b[()][0-9A-Za-z]|\x1b./gu;
		let index = 0;
		const addText = value => {
			for (const char of value) {
				if (char === '\r' || char === '\x07') continue;
				const cellStyle = {...style};
				cells.push({char, style: cellStyle});
				if (isWide(char.codePointAt(0))) cells.push({char: '', style: cellStyle});
			}
		};
		for (const match of line.matchAll(pattern)) {
			addText(line.slice(index, match.index));
			if (match[2] === 'm') applySgr(style, match[1]);
			index = match.index + match[0].length;
		}
		addText(line.slice(index));
		rows.push(cells);
	}
	return rows;
}

const escapeXml = value => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The colours a cell is drawn with, inverse applied. */
function resolved(style) {
	let fg = style.fg ?? defaultForeground;
	let bg = style.bg;
	if (style.inverse) [fg, bg] = [bg ?? defaultBackground, fg];
	return {fg, bg};
}

/**
 * An SVG of a terminal screen (`capture-pane -e -p` text): `columns` × `rows` cells on a window with a
 * title bar. Each run of same-style cells is one <text> fitted to its cells (textLength), so columns line
 * up whatever monospace font the viewer has.
 */
export function ansiToSvg(text, {columns, rows, title = '', fontSize = 14, cellWidth = 8.4, lineHeight = 18} = {}) {
	const screen = parseAnsiScreen(text);
	columns ??= Math.max(...screen.map(row => row.length));
	rows ??= screen.length;
	const padding = 14;
	const titleBar = 30;
	const width = Math.ceil(columns * cellWidth + padding * 2);
	const height = Math.ceil(rows * lineHeight + padding * 2 + titleBar);
	const out = [];
	out.push(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">`,
		`<title>${escapeXml(title)}</title>`,
		`<rect width="${width}" height="${height}" rx="8" fill="${defaultBackground}"/>`,
		`<rect width="${width}" height="${titleBar}" rx="8" fill="#2d2d2d"/><rect y="${titleBar - 8}" width="${width}" height="8" fill="#2d2d2d"/>`,
		...['#ff5f57', '#febc2e', '#28c840'].map((fill, index) => `<circle cx="${18 + index * 20}" cy="${titleBar / 2}" r="6" fill="${fill}"/>`),
		`<text x="${width / 2}" y="${titleBar / 2 + 4}" text-anchor="middle" font-family="ui-sans-serif, system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12" fill="#9d9d9d">${escapeXml(title)}</text>`,
		`<g font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace" font-size="${fontSize}" xml:space="preserve">`,
	);
	const top = titleBar + padding;
	const sameStyle = (a, b) => JSON.stringify(a) === JSON.stringify(b);
	const backgrounds = [];
	const texts = [];
	for (const [rowIndex, cells] of screen.slice(0, rows).entries()) {
		const y = top + rowIndex * lineHeight;
		let start = 0;
		while (start < cells.length && start < columns) {
			let end = start + 1;
			while (end < cells.length && end < columns && sameStyle(cells[end].style, cells[start].style)) end++;
			const style = cells[start].style;
			const {fg, bg} = resolved(style);
			const x = padding + start * cellWidth;
			const runWidth = (end - start) * cellWidth;
			if (bg) backgrounds.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${runWidth.toFixed(1)}" height="${lineHeight}" fill="${bg}"/>`);
			const content = cells
				.slice(start, end)
				.map(cell => cell.char)
				.join('');
			if (content.trim() || style.underline || style.strike) {
				// Leading and trailing spaces become offsets, so textLength covers only drawn glyphs.
				const leading = content.length - content.trimStart().length;
				const visible = content.trim();
				const cellsOf = value => [...value].reduce((sum, char) => sum + (isWide(char.codePointAt(0)) ? 2 : 1), 0);
				const attributes = [
					`x="${(x + leading * cellWidth).toFixed(1)}"`,
					`y="${(y + lineHeight - 5).toFixed(1)}"`,
					`fill="${fg}"`,
					`textLength="${(cellsOf(visible) * cellWidth).toFixed(1)}"`,
					'lengthAdjust="spacingAndGlyphs"',
				];
				if (style.bold) attributes.push('font-weight="bold"');
				if (style.dim) attributes.push('opacity="0.6"');
				if (style.italic) attributes.push('font-style="italic"');
				const decorations = [style.underline && 'underline', style.strike && 'line-through'].filter(Boolean);
				if (decorations.length > 0) attributes.push(`text-decoration="${decorations.join(' ')}"`);
				texts.push(`<text ${attributes.join(' ')}>${escapeXml(visible)}</text>`);
			}
			start = end;
		}
	}
	out.push(...backgrounds, ...texts, '</g>', '</svg>', '');
	return out.join('\n');
}

// --- Driving the TUI in tmux ---

const run = promisify(execFile);
const socket = `strata-screenshots-${process.pid}`;
let socketPath;

function tmux(...args) {
	return run('tmux', ['-u', '-L', socket, ...args], {timeout: 10_000, env: {...process.env, TMUX: '', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8'}});
}

const sleep = milliseconds => new Promise(done => setTimeout(done, milliseconds));
const shellQuote = value => `'${value.replace(/'/g, `'\\''`)}'`;
const plain = text => text.replace(/\x1b\[[0-9;:]*m/g, '');

class Terminal {
	static count = 0;

	static async open({dir, root, configDir, columns, rows}) {
		const name = `shot${++Terminal.count}`;
		const script = join(dir, `${name}.sh`);
		const env = {STRATA_ROOT: root, STRATA_CONFIG_DIR: configDir, XDG_CONFIG_HOME: configDir, TERM: 'xterm-256color', COLORTERM: 'truecolor', LANG: 'C.UTF-8'};
		writeFileSync(
			script,
			[
				'#!/bin/sh',
				`cd ${shellQuote(REPO_ROOT)}`,
				`env -u CI -u NO_COLOR -u FORCE_COLOR -u TMUX ${Object.entries(env).map(([key, value]) => shellQuote(`${key}=${value}`)).join(' ')} ${shellQuote(process.execPath)} ${shellQuote(CLI)}`,
				'exec sleep 600',
				'',
			].join('\n'),
		);
		chmodSync(script, 0o755);
		await tmux('-f', '/dev/null', 'new-session', '-d', '-x', String(columns), '-y', String(rows), '-s', name, script);
		socketPath ??= (await tmux('display-message', '-p', '-t', name, '#{socket_path}')).stdout.trim() || undefined;
		return new Terminal(name, columns, rows);
	}

	constructor(name, columns, rows) {
		this.name = name;
		this.columns = columns;
		this.rows = rows;
	}

	async capture() {
		return (await tmux('capture-pane', '-p', '-e', '-t', this.name)).stdout;
	}

	async keys(...keys) {
		for (const key of keys) {
			await tmux('send-keys', '-t', this.name, key);
			await sleep(60);
		}
	}

	/** Waits until the plain screen passes `test`, then until it stops changing (a settled frame). */
	async settle(test, what, timeoutMs = 20_000) {
		const started = Date.now();
		let last;
		for (;;) {
			const screen = await this.capture();
			if (test(plain(screen))) {
				if (screen === last) return screen;
				last = screen;
				await sleep(400);
				continue;
			}
			last = undefined;
			if (Date.now() - started > timeoutMs) throw new Error(`screenshots: timed out waiting for ${what}; the screen:\n${plain(screen)}`);
			await sleep(100);
		}
	}

	async close() {
		await tmux('kill-session', '-t', this.name).catch(() => {});
	}
}

/** The images table is drawn and its SHARED column is read (no `…` placeholders left). */
const imagesReady = screen => /REPOSITORY/.test(screen) && /strata-demo\/ba/.test(screen) && !/ +…\s*$/m.test(screen.split('\n').slice(0, 12).join('\n'));

/** Each screenshot: the keys that lead there and what shows it is done. */
const shots = [
	{name: 'images', columns: 100, rows: 30, title: 'strata — images', keys: [], ready: imagesReady},
	{name: 'images-80x24', columns: 80, rows: 24, title: 'strata — images (80×24)', keys: [], ready: imagesReady},
	{
		name: 'history',
		columns: 100,
		rows: 30,
		title: 'strata — history',
		keys: ['j', 'j', 'Enter'],
		ready: screen => /History of strata-demo\/web:1\.0/.test(screen) && /ADD file:strata-demo-rootfs/.test(screen),
	},
	{
		name: 'layers',
		columns: 100,
		rows: 30,
		title: 'strata — layer tree',
		keys: ['l', 'j', 'j', 'j'],
		ready: screen => /Layers of strata-demo\/tools:dev · layer 3\/3/.test(screen) && /changes of layer 3/.test(screen) && /efficiency/.test(screen),
	},
	{
		// A real build (RUN in a container: needs root and runc) from the build pane's form; after it lands on
		// the history, back on the pane with the RUN step's output shown.
		name: 'build-80x24',
		columns: 80,
		rows: 24,
		title: 'strata — build pane (80×24)',
		context: {
			Dockerfile: 'FROM strata-demo/base:1.0\nRUN for i in $(seq 1 12); do echo "compiling module $i of 12"; done\nCOPY app.conf /etc/app.conf\nCMD ["cat", "/etc/app.conf"]\n',
			'app.conf': 'greeting=hello\n',
		},
		before: {keys: context => ['5', 'C-u', context, 'Down', 'Down', 'strata-demo/app:dev', 'Enter'], ready: screen => /History of strata-demo\/app:dev/.test(screen)},
		keys: ['5', 'k', 'k'],
		ready: screen => /4\/4 steps · .*built [0-9a-f]{12}/.test(screen) && /compiling module 12 of 12/.test(screen),
	},
	{name: 'help', columns: 100, rows: 30, title: 'strata — keys (?)', keys: ['?'], ready: screen => /Keys of the Images pane/.test(screen)},
	{
		name: 'inspect',
		columns: 100,
		rows: 30,
		title: 'strata — inspect',
		keys: ['j', 'j', 'i'],
		ready: screen => /strata-demo\/web/.test(screen) && !/REPOSITORY/.test(screen) && /8080/.test(screen),
	},
];

async function main() {
	const {values} = parseArgs({options: {out: {type: 'string', default: join(REPO_ROOT, 'media')}, only: {type: 'string'}}});
	if (!existsSync(CLI)) throw new Error(`screenshots: ${CLI} is missing; run npm run build first`);
	try {
		execFileSync('tmux', ['-V'], {stdio: 'ignore'});
	} catch {
		throw new Error('screenshots: tmux is not installed (apt-get install tmux)');
	}
	const only = values.only ? new Set(values.only.split(',')) : undefined;
	const chosen = shots.filter(shot => !only || only.has(shot.name));
	if (chosen.length === 0) throw new Error(`screenshots: nothing matches --only ${values.only}; the shots: ${shots.map(shot => shot.name).join(', ')}`);

	// A fixed, recognisable store path: it is on the status line of every screenshot.
	const dir = join(tmpdir(), 'strata-screenshots');
	const marker = join(dir, '.strata-screenshots');
	if (existsSync(dir)) {
		if (!existsSync(marker) && readdirSync(dir).length > 0) throw new Error(`screenshots: ${dir} exists and is not ours; remove it first`);
		rmSync(dir, {recursive: true, force: true});
	}
	mkdirSync(join(dir, 'config'), {recursive: true});
	writeFileSync(marker, '');
	const root = join(dir, 'demo-store');
	const env = {...process.env, STRATA_ROOT: root};
	delete env.CI;
	execFileSync(process.execPath, [CLI, 'demo'], {env, stdio: ['ignore', 'ignore', 'inherit']});

	mkdirSync(values.out, {recursive: true});
	try {
		for (const shot of chosen) {
			const terminal = await Terminal.open({dir, root, configDir: join(dir, 'config'), columns: shot.columns, rows: shot.rows});
			try {
				await terminal.settle(imagesReady, 'the images pane');
				if (shot.before) {
					const context = join(dir, 'app');
					mkdirSync(context, {recursive: true});
					for (const [file, text] of Object.entries(shot.context ?? {})) writeFileSync(join(context, file), text);
					await terminal.keys(...shot.before.keys(context));
					await terminal.settle(shot.before.ready, `${shot.name} (before)`, 180_000);
				}
				await terminal.keys(...shot.keys);
				const screen = await terminal.settle(shot.ready, shot.name);
				const file = join(values.out, `${shot.name}.svg`);
				writeFileSync(file, ansiToSvg(screen, {columns: shot.columns, rows: shot.rows, title: shot.title}));
				console.log(`${file}  (${shot.columns}×${shot.rows})`);
			} finally {
				await terminal.close();
			}
		}
	} finally {
		await tmux('kill-server').catch(() => {});
		if (socketPath) rmSync(socketPath, {force: true});
		rmSync(dir, {recursive: true, force: true});
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
	main().catch(error => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	});
}
