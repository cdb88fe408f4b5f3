import {Box, Text} from 'ink';
import {memo, useMemo} from 'react';
import {useTheme} from '../context/theme-context.js';
import {useWindowOffset} from '../hooks/use-window-offset.js';
import {fit} from '../text/fit.js';
import type {TextStyle} from '../theme.js';
import {columnGapFor, layoutColumns, type TableColumn} from './table-layout.js';

export type {TableColumn} from './table-layout.js';

export type SelectableTableProps<Row> = {
	columns: readonly TableColumn<Row>[];
	rows: readonly Row[];
	rowKey: (row: Row) => string;
	cursor: number;
	width: number;
	/** Rows of the whole table, header included. */
	height: number;
	focused: boolean;
	marked?: ReadonlySet<string>;
	/** Two columns before the cells: a mark for multi-select and the row's kind. */
	marker?: (row: Row) => string;
	rowStyle?: (row: Row) => TextStyle | undefined;
	sort?: {column: string; descending: boolean};
};

/**
 * A table that shows only the rows that fit (the window follows the cursor), so a list of
 * thousands draws as fast as a list of ten. Each row is one line of text: no flicker, no wrapping.
 * Written for strata because ink-table has no selection or windowing (see docs/tui.md).
 */
function SelectableTableImpl<Row>({columns, rows, rowKey, cursor, width, height, focused, marked, marker, rowStyle, sort}: SelectableTableProps<Row>) {
	const theme = useTheme();
	const bodyHeight = Math.max(1, height - 1);
	const offset = useWindowOffset(cursor, rows.length, bodyHeight);
	const titleOf = (column: TableColumn<Row>) => (sort?.column === column.id ? `${column.title} ${sort.descending ? '↓' : '↑'}` : column.title);
	const markerWidth = marker ? 2 : 0;
	// Widths come from every row, not just the visible ones, so columns do not jump while scrolling.
	const layout = useMemo(() => layoutColumns(columns, rows, width - markerWidth - 1, titleOf), [columns, rows, width, markerWidth, sort?.column, sort?.descending]);
	const gap = ' '.repeat(columnGapFor(width - markerWidth - 1));
	const line = (cells: string[]) => cells.join(gap);
	const header = ' '.repeat(markerWidth) + line(layout.map(({column, width: cellWidth}) => fit(titleOf(column), cellWidth, column.align)));
	const visible = rows.slice(offset, offset + bodyHeight);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text {...theme.style.header} wrap="truncate">
				{header}
			</Text>
			{visible.map((row, index) => {
				const key = rowKey(row);
				const selected = offset + index === cursor;
				const isMarked = marked?.has(key) ?? false;
				const mark = marker ? fit(`${isMarked ? '●' : ' '}${marker(row)}`, 2) : '';
				const text = line(layout.map(({column, width: cellWidth}) => fit(column.cell(row), cellWidth, column.align)));
				const style: TextStyle = selected && focused ? theme.style.selected : selected ? {bold: true} : (rowStyle?.(row) ?? {});
				return (
					<Text key={key} wrap="truncate">
						<Text {...(selected && focused ? style : isMarked ? theme.style.marked : style)} bold={isMarked || style.bold}>
							{mark}
						</Text>
						<Text {...style}>{text}</Text>
					</Text>
				);
			})}
		</Box>
	);
}

export const SelectableTable = memo(SelectableTableImpl) as typeof SelectableTableImpl;
