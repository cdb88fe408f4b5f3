import {Box, Text} from 'ink';
import {useEffect, useState} from 'react';
import {useCommands} from '../context/keymap-context.js';
import {movedCursor} from '../list-navigation.js';
import type {TextStyle} from '../theme.js';
import {fit} from '../text/fit.js';

export type StyledLine = {text: string; style?: TextStyle};

/**
 * Lines that scroll with the list keys (j/k, PgUp/PgDn, g/G). Lines should already fit the width
 * (wrap them first); longer ones are cut. The offset is kept while `lines` grows (a log), and
 * reset when `resetKey` changes.
 */
export function ScrollView({lines, width, height, focused, resetKey}: {lines: readonly (string | StyledLine)[]; width: number; height: number; focused: boolean; resetKey?: string}) {
	const [top, setTop] = useState(0);
	useEffect(() => setTop(0), [resetKey]);
	const maxTop = Math.max(0, lines.length - height);
	const clampedTop = Math.min(top, maxTop);
	useCommands(
		['list'],
		({command}) => {
			// Scrolling moves the window, so "the cursor" is its first line and the last reachable top is maxTop.
			setTop(previous => movedCursor(command, Math.min(previous, maxTop), maxTop + 1, height) ?? previous);
		},
		{isActive: focused},
	);
	const visible = lines.slice(clampedTop, clampedTop + height);
	const more = lines.length > height;
	return (
		<Box flexDirection="column" width={width} height={height}>
			{visible.map((line, index) => {
				const {text, style} = typeof line === 'string' ? {text: line, style: undefined} : line;
				const isLast = index === visible.length - 1;
				const scrollHint = more && isLast && clampedTop + height < lines.length ? ` ↓ ${lines.length - clampedTop - height} more` : '';
				return (
					<Text key={clampedTop + index} wrap="truncate">
						<Text {...style}>{fit(text, width - scrollHint.length)}</Text>
						{scrollHint ? <Text dimColor>{scrollHint}</Text> : null}
					</Text>
				);
			})}
		</Box>
	);
}
