import {Box, Text} from 'ink';
import {KeyHints} from '../../components/Dialog.js';
import {keyFor, useCommands, useKeymap} from '../../context/keymap-context.js';
import {useStore} from '../../context/store-context.js';
import {useTheme} from '../../context/theme-context.js';

/** What an empty store shows: the offer to build the demo images, and how to add real ones. */
export function EmptyStore({focused, busy, onBuildDemo}: {focused: boolean; busy: boolean; onBuildDemo: () => void}) {
	const theme = useTheme();
	const keymap = useKeymap();
	const store = useStore();
	useCommands(
		['dialog'],
		({command}) => {
			if (command === 'dialog.confirm' && !busy) onBuildDemo();
		},
		{isActive: focused},
	);
	return (
		<Box flexDirection="column" paddingX={1} paddingY={1}>
			<Text bold>This store has no images yet.</Text>
			<Text {...theme.style.dim} wrap="truncate-start">
				{store.root}
			</Text>
			<Text> </Text>
			{busy ? (
				<Text {...theme.style.accent}>Building the demo images…</Text>
			) : (
				<>
					<Text>Build a few demo images now? They are made offline from strata's demo/ recipes</Text>
					<Text>(the same as `strata demo`), so that every pane has something to show.</Text>
					<Text> </Text>
					<KeyHints hints={[[keyFor(keymap, 'dialog.confirm'), 'build the demo images']]} />
				</>
			)}
			<Text> </Text>
			<Text {...theme.style.dim}>Or add your own from a shell:</Text>
			<Text {...theme.style.dim}>  strata import ROOTFS-DIR name:tag</Text>
			<Text {...theme.style.dim}>  strata load -i image.tar</Text>
		</Box>
	);
}
