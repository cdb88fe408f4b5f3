import {Text} from 'ink';
import {useGrabWhileShown} from '../context/key-router-context.js';
import {keyFor, useCommands, useKeymap} from '../context/keymap-context.js';
import {useTheme} from '../context/theme-context.js';
import type {ThemeRole} from '../theme.js';
import {fit} from '../text/fit.js';
import {Dialog, KeyHints} from './Dialog.js';
import type {StyledLine} from './ScrollView.js';

/**
 * A yes/no question with the details that make it answerable (what goes, what it frees). Long
 * details are cut to `maxLines` with a count of the rest. Without `onConfirm` only cancel is offered.
 */
export function ConfirmDialog({
	title,
	lines,
	confirmLabel,
	onConfirm,
	onCancel,
	width,
	maxLines,
	tone = 'warning',
}: {
	title: string;
	lines: readonly StyledLine[];
	confirmLabel: string;
	onConfirm?: () => void;
	onCancel: () => void;
	width: number;
	maxLines: number;
	tone?: ThemeRole;
}) {
	const keymap = useKeymap();
	const theme = useTheme();
	// The dialog has every key while it is shown: q, Tab or a number do not leave it half-answered.
	useGrabWhileShown(
		useCommands(['dialog'], ({command}) => {
			if (command === 'dialog.confirm' && onConfirm) onConfirm();
			else if (command === 'dialog.cancel') onCancel();
		}),
	);
	const room = Math.max(1, maxLines);
	const shown = lines.length > room ? lines.slice(0, room - 1) : lines;
	const hidden = lines.length - shown.length;
	const inner = Math.max(10, width - 4);
	return (
		<Dialog title={title} tone={tone} width={width}>
			{shown.map((line, index) => (
				<Text key={index} {...line.style} wrap="truncate">
					{fit(line.text, inner)}
				</Text>
			))}
			{hidden > 0 ? <Text {...theme.style.dim}>… and {hidden} more</Text> : null}
			<KeyHints hints={onConfirm ? [[keyFor(keymap, 'dialog.confirm'), confirmLabel], [keyFor(keymap, 'dialog.cancel'), 'cancel']] : [[keyFor(keymap, 'dialog.cancel'), 'close']]} />
		</Dialog>
	);
}
