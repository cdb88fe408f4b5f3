import {Box, Text} from 'ink';
import {memo} from 'react';
import {useTheme, type TextStyle, type Theme} from '../../context/theme-context.js';
import {treeRowColumns} from './tree-row-format.js';
import type {TreeRow} from './tree-rows.js';

type FileTreeViewProps = {
	rows: readonly TreeRow[];
	cursor: number;
	/** First row in view: only rows [top, top + height) are rendered, whatever the tree's size. */
	top: number;
	width: number;
	height: number;
	focused: boolean;
	/** Draw unmarked rows dim: in a layer's own changes they are only the parents of what changed. */
	dimUnmarked: boolean;
	/** Shown instead of rows when there are none. */
	emptyText: string;
};

function changeStyle(theme: Theme, row: TreeRow, dimUnmarked: boolean): TextStyle {
	const {change} = row.node;
	if (change) return theme.style[change];
	return dimUnmarked ? theme.style.dim : {};
}

const FileTreeRow = memo(function FileTreeRow({row, width, isCursor, focused, dimUnmarked}: {row: TreeRow; width: number; isCursor: boolean; focused: boolean; dimUnmarked: boolean}) {
	const theme = useTheme();
	const columns = treeRowColumns(row, width);
	const style = changeStyle(theme, row, dimUnmarked);
	const nameStyle = isCursor ? (focused ? theme.style.selected : {...style, bold: true, underline: true}) : style;
	return (
		<Text wrap="truncate">
			<Text {...style}>{columns.marker}</Text>
			{/* One dim run rather than three: Ink's frame cost grows with the styled runs on screen. */}
			<Text {...theme.style.dim}>{columns.attributes + columns.size + columns.guide}</Text>
			<Text {...nameStyle}>{columns.name}</Text>
		</Text>
	);
});

/** The window of the flattened tree that fits `height`. */
export function FileTreeView({rows, cursor, top, width, height, focused, dimUnmarked, emptyText}: FileTreeViewProps) {
	const theme = useTheme();
	return (
		<Box flexDirection="column" width={width} height={height}>
			{rows.length === 0 ? (
				<Text {...theme.style.dim}>{emptyText}</Text>
			) : (
				rows.slice(top, top + height).map((row, index) => (
					<FileTreeRow key={row.node.path} row={row} width={width} isCursor={top + index === cursor} focused={focused} dimUnmarked={dimUnmarked} />
				))
			)}
		</Box>
	);
}
