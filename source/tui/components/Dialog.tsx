import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {useTheme} from '../context/theme-context.js';
import type {ThemeRole} from '../theme.js';

/** A bordered box at the bottom of a pane for questions and forms; `tone` colours its border. */
export function Dialog({title, tone = 'accent', width, children}: {title: string; tone?: ThemeRole; width: number; children?: ReactNode}) {
	const theme = useTheme();
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={theme.colors[tone]} width={width} paddingX={1} flexShrink={0}>
			<Text bold wrap="truncate">
				{title}
			</Text>
			{children}
		</Box>
	);
}

/** The keys of a dialog, as one dim line: `y remove · n cancel`. */
export function KeyHints({hints}: {hints: Array<[key: string | undefined, label: string]>}) {
	const theme = useTheme();
	const shown = hints.filter(([key]) => key !== undefined);
	return (
		<Text wrap="truncate">
			{shown.map(([key, label], index) => (
				<Text key={label}>
					{index > 0 ? <Text {...theme.style.dim}> · </Text> : null}
					<Text {...theme.style.accent}>{displayKey(key!)}</Text>
					<Text> {label}</Text>
				</Text>
			))}
		</Text>
	);
}

/** How a normalized key name reads in hints and help. */
export function displayKey(name: string): string {
	const names: Record<string, string> = {enter: '⏎', escape: 'esc', space: 'space', up: '↑', down: '↓', left: '←', right: '→', pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End', delete: 'Del', 'shift-tab': 'S-Tab', tab: 'Tab'};
	if (names[name]) return names[name];
	if (name.startsWith('ctrl-')) return `^${name.slice(5).toUpperCase()}`;
	return name;
}
