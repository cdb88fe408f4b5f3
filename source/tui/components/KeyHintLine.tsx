import {Text} from 'ink';
import {keyFor, useKeymap} from '../context/keymap-context.js';
import {useTheme} from '../context/theme-context.js';
import {displayKey} from './Dialog.js';

/** A hint: the command, its short label, and whether it must show even when room is short (help, quit). */
export type KeyHint = [command: string, label: string, essential?: boolean];

/**
 * A line of the most useful keys, `⏎ history  l layers ...`, from the keymap. When the line is too
 * narrow, the essential hints stay and the others are dropped from the end.
 */
export function KeyHintLine({hints, width}: {hints: KeyHint[]; width: number}) {
	const theme = useTheme();
	const keymap = useKeymap();
	const all = hints.flatMap(([command, label, essential]) => {
		const key = keyFor(keymap, command);
		return key ? [{key: displayKey(key), label, essential: essential ?? false}] : [];
	});
	const widthOf = (list: typeof all) => list.reduce((sum, hint) => sum + hint.key.length + hint.label.length + 3, 0);
	let shown = all;
	while (widthOf(shown) > width) {
		let drop = shown.length - 1;
		while (drop >= 0 && shown[drop]!.essential) drop--;
		if (drop < 0) break;
		shown = shown.filter((_, index) => index !== drop);
	}
	return (
		<Text wrap="truncate">
			{shown.map(part => (
				<Text key={part.label}>
					<Text {...theme.style.accent}>{part.key}</Text>
					<Text {...theme.style.dim}> {part.label}  </Text>
				</Text>
			))}
		</Text>
	);
}
