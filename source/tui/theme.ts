/**
 * The TUI's colours, by role rather than by hue, so that a pane says "this line was removed" and the
 * theme decides how that looks. The monochrome theme (NO_COLOR, or `"theme": "mono"` in the config)
 * tells the same things with attributes: bold, underline, inverse.
 */
export type ThemeRole = 'accent' | 'added' | 'modified' | 'removed' | 'selected' | 'marked' | 'dim' | 'error' | 'warning' | 'header';

export const themeRoles: readonly ThemeRole[] = ['accent', 'added', 'modified', 'removed', 'selected', 'marked', 'dim', 'error', 'warning', 'header'];

/** Props for Ink's <Text>: spread them, `<Text {...theme.style.added}>`. */
export type TextStyle = {
	color?: string;
	backgroundColor?: string;
	bold?: boolean;
	dimColor?: boolean;
	inverse?: boolean;
	underline?: boolean;
	strikethrough?: boolean;
};

export type ThemeName = 'default' | 'mono';

export type Theme = {
	name: ThemeName;
	monochrome: boolean;
	/** The colour of each role; undefined in the monochrome theme. `selected` is a background. */
	colors: Record<ThemeRole, string | undefined>;
	/** How each role is drawn. */
	style: Record<ThemeRole, TextStyle>;
};

const defaultColors: Record<ThemeRole, string> = {
	accent: 'cyan',
	added: 'green',
	modified: 'yellow',
	removed: 'red',
	selected: 'blue',
	marked: 'magenta',
	dim: 'gray',
	error: 'red',
	warning: 'yellow',
	header: 'white',
};

const monochromeStyle: Record<ThemeRole, TextStyle> = {
	accent: {bold: true},
	added: {bold: true},
	modified: {underline: true},
	removed: {strikethrough: true},
	selected: {inverse: true},
	marked: {bold: true},
	dim: {dimColor: true},
	error: {bold: true},
	warning: {bold: true},
	header: {bold: true},
};

function colorStyle(role: ThemeRole, color: string): TextStyle {
	if (role === 'selected') return {backgroundColor: color, color: 'white'};
	if (role === 'header') return {color, bold: true};
	if (role === 'dim') return {color, dimColor: false};
	return {color};
}

export const monochromeTheme: Theme = {
	name: 'mono',
	monochrome: true,
	colors: Object.fromEntries(themeRoles.map(role => [role, undefined])) as Record<ThemeRole, undefined>,
	style: monochromeStyle,
};

export function colorTheme(overrides: Partial<Record<ThemeRole, string>> = {}): Theme {
	const colors = {...defaultColors, ...overrides};
	return {
		name: 'default',
		monochrome: false,
		colors,
		style: Object.fromEntries(themeRoles.map(role => [role, colorStyle(role, colors[role])])) as Record<ThemeRole, TextStyle>,
	};
}

export const defaultTheme: Theme = colorTheme();

const namedColors = new Set(
	['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'gray', 'grey'].flatMap(name => [name, `${name}Bright`]),
);

/** True for what Ink (chalk) can draw: a colour name (`cyan`, `redBright`), `#rgb`/`#rrggbb`, `ansi256(N)`, `rgb(R,G,B)`. */
export function isColor(value: string): boolean {
	if (namedColors.has(value)) return true;
	if (/^#([\da-f]{3}|[\da-f]{6})$/i.test(value)) return true;
	const ansi = /^ansi256\(\s*(\d{1,3})\s*\)$/.exec(value);
	if (ansi) return Number(ansi[1]) <= 255;
	const rgb = /^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$/.exec(value);
	return rgb !== null && rgb.slice(1).every(part => Number(part) <= 255);
}

/** NO_COLOR (https://no-color.org): any non-empty value turns colour off. */
export function noColorRequested(env: NodeJS.ProcessEnv = process.env): boolean {
	return Boolean(env.NO_COLOR);
}

/**
 * The theme from the user's settings. Throws an Error whose message names the bad setting, for
 * the caller to show before the TUI starts.
 */
export function resolveTheme(settings: {theme?: unknown; colors?: unknown}, env: NodeJS.ProcessEnv = process.env): Theme {
	const name = settings.theme ?? 'default';
	if (name !== 'default' && name !== 'mono') throw new Error(`theme: "${String(name)}" is not a theme (use "default" or "mono")`);
	const overrides = settings.colors ?? {};
	if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
		throw new Error('colors: expected an object such as {"accent": "cyan", "selected": "#005f87"}');
	}
	for (const [role, value] of Object.entries(overrides)) {
		if (!themeRoles.includes(role as ThemeRole)) throw new Error(`colors: unknown role "${role}" (roles: ${themeRoles.join(', ')})`);
		if (typeof value !== 'string' || !isColor(value)) {
			throw new Error(`colors.${role}: ${JSON.stringify(value)} is not a colour (a name like "cyan" or "redBright", "#rrggbb", "ansi256(N)" or "rgb(R,G,B)")`);
		}
	}
	if (name === 'mono' || noColorRequested(env)) return monochromeTheme;
	return colorTheme(overrides as Partial<Record<ThemeRole, string>>);
}
