import {Box, Text} from 'ink';
import {useMemo} from 'react';
import {useCommands, useKeymap} from '../context/keymap-context.js';
import {useTheme} from '../context/theme-context.js';
import {helpSections} from '../help-sections.js';
import type {KeyScope} from '../keymap.js';
import {displayKey} from './Dialog.js';
import {ScrollView, type StyledLine} from './ScrollView.js';

/** `?`: every key of the focused pane, from the keymap. Scrolls; esc, ? or q closes it. */
export function HelpView({paneTitle, scope, listKeys, extraScopes, width, height, onClose}: {paneTitle: string; scope: KeyScope; listKeys: boolean; extraScopes?: KeyScope[]; width: number; height: number; onClose: () => void}) {
	const theme = useTheme();
	const keymap = useKeymap();
	useCommands(['global'], ({command}) => {
		if (command === 'global.back' || command === 'global.help' || command === 'global.quit') onClose();
	});
	const lines = useMemo(() => {
		const sections = helpSections(keymap, scope, {listKeys, extraScopes});
		const keyWidth = Math.min(18, Math.max(...sections.flatMap(section => section.bindings.map(binding => binding.keys.map(displayKey).join(' ').length))) + 2);
		const result: StyledLine[] = [];
		// Wide enough: name each command too, for the "keybindings" setting.
		const descriptionWidth = Math.max(...sections.flatMap(section => section.bindings.map(binding => binding.description.length)));
		const showCommands = width >= keyWidth + descriptionWidth + 24;
		for (const section of sections) {
			if (result.length > 0) result.push({text: ''});
			result.push({text: section.title, style: theme.style.header});
			for (const binding of section.bindings) {
				const line = `  ${binding.keys.map(displayKey).join(' ').padEnd(keyWidth)}${binding.description}`;
				result.push({text: showCommands ? `${line.padEnd(keyWidth + descriptionWidth + 4)}${binding.command}` : line});
			}
		}
		result.push({text: ''}, {text: 'Change keys and colours in the settings file ("keybindings", "theme", "colors"): see docs/tui.md.', style: theme.style.dim});
		return result;
	}, [keymap, scope, listKeys, extraScopes, theme, width]);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text wrap="truncate">
				<Text {...theme.style.accent} bold>
					Keys
				</Text>
				<Text> of the {paneTitle} pane</Text>
				<Text {...theme.style.dim}> · j/k scroll · esc closes</Text>
			</Text>
			<ScrollView lines={lines} width={width} height={height - 1} focused />
		</Box>
	);
}
