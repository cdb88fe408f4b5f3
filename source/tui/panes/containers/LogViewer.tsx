import {stat} from 'node:fs/promises';
import {setTimeout as sleep} from 'node:timers/promises';
import {Box, Text} from 'ink';
import {useEffect, useRef, useState} from 'react';
import {ContainerPaths} from '../../../engine/containers/container-paths.js';
import type {ContainerRecord} from '../../../engine/containers/container-record.js';
import {readLogs, type LogEntry} from '../../../engine/containers/logs.js';
import {editLine, LineField} from '../../components/line-editor.js';
import {useCommands} from '../../context/keymap-context.js';
import {useStore} from '../../context/store-context.js';
import {useTheme} from '../../context/theme-context.js';
import {useLatestState} from '../../hooks/use-latest-state.js';
import {movedCursor} from '../../list-navigation.js';
import {fit} from '../../text/fit.js';

/** The most log lines the viewer keeps: older ones are dropped (and counted). */
export const logBufferLimit = 5000;

export type LogLine = {stream: LogEntry['stream']; time: string; text: string};

/** Appends `entries` to a bounded buffer: the newest `limit` lines, and how many were dropped. */
export function appendBounded(buffer: {lines: LogLine[]; dropped: number}, entries: readonly LogEntry[], limit = logBufferLimit): {lines: LogLine[]; dropped: number} {
	const added = entries.flatMap(entry => entry.log.replace(/\n$/, '').split('\n').map(text => ({stream: entry.stream, time: entry.time, text})));
	const lines = [...buffer.lines, ...added];
	const excess = Math.max(0, lines.length - limit);
	return {lines: excess > 0 ? lines.slice(excess) : lines, dropped: buffer.dropped + excess};
}

/**
 * Reads the container's log from the start and keeps following it while mounted: new output is picked
 * up while it runs, and a restart is noticed by the log file growing (checked each second).
 */
function useLogLines(record: ContainerRecord): {lines: LogLine[]; dropped: number} {
	const store = useStore();
	const [buffer, setBuffer] = useState<{lines: LogLine[]; dropped: number}>({lines: [], dropped: 0});
	useEffect(() => {
		let cancelled = false;
		let pending: LogEntry[] = [];
		const flush = setInterval(() => {
			if (pending.length === 0) return;
			const batch = pending;
			pending = [];
			setBuffer(previous => appendBounded(previous, batch));
		}, 100);
		const path = new ContainerPaths(store.paths).log(record.id);
		void (async () => {
			let seen = 0;
			let lastSize = -1;
			while (!cancelled) {
				const size = await stat(path).then(
					stats => stats.size,
					() => 0,
				);
				if (size !== lastSize) {
					lastSize = size;
					let index = 0;
					try {
						for await (const entry of readLogs(store, record, {follow: true, stopped: () => cancelled})) {
							if (cancelled) return;
							if (index++ < seen) continue;
							seen++;
							pending.push(entry);
						}
					} catch {
						// The container was removed meanwhile: keep what was read.
					}
				}
				await sleep(1000);
			}
		})();
		return () => {
			cancelled = true;
			clearInterval(flush);
		};
	}, [store, record]);
	return buffer;
}

/**
 * `logs -f` in a pane: follows new output (F toggles; moving up stops following, G resumes), shows
 * timestamps with T, searches with / (n/N jump between matches). Keeps the last logBufferLimit lines.
 */
export function LogViewer({record, width, height, focused, onBack}: {record: ContainerRecord; width: number; height: number; focused: boolean; onBack: () => void}) {
	const theme = useTheme();
	const {lines, dropped} = useLogLines(record);
	const [follow, setFollow, followRef] = useLatestState(true);
	const [timestamps, setTimestamps] = useState(false);
	const [search, setSearch, searchRef] = useLatestState('');
	const [searching, setSearching, searchingRef] = useLatestState(false);
	const [top, setTop, topRef] = useLatestState(0);
	const bodyHeight = Math.max(1, height - 2);
	const maxTop = Math.max(0, lines.length - bodyHeight);
	const linesRef = useRef(lines);
	linesRef.current = lines;
	const shownTop = follow ? maxTop : Math.min(top, maxTop);
	const matches = (line: LogLine, text: string) => text !== '' && line.text.toLowerCase().includes(text.toLowerCase());
	const matchCount = search ? lines.filter(line => matches(line, search)).length : 0;

	const jump = (direction: 1 | -1) => {
		const all = linesRef.current;
		const text = searchRef.current;
		if (!text) return;
		const from = followRef.current ? Math.max(0, all.length - bodyHeight) : topRef.current;
		for (let step = 1; step <= all.length; step++) {
			const index = (from + direction * step + all.length * 2) % all.length;
			if (matches(all[index]!, text)) {
				setFollow(false);
				return setTop(Math.min(index, Math.max(0, all.length - bodyHeight)));
			}
		}
	};

	const keys = useCommands(
		['containers', 'list', 'global'],
		({command, input, key}) => {
			if (searchingRef.current) {
				const edit = editLine(searchRef.current, input, key);
				if (edit.kind === 'change') return setSearch(edit.value);
				if (edit.kind === 'submit' || edit.kind === 'cancel') {
					keys.release();
					setSearching(false);
					if (edit.kind === 'cancel') setSearch('');
					else jump(1);
				}
				return;
			}
			const count = linesRef.current.length;
			const lastTop = Math.max(0, count - bodyHeight);
			const current = followRef.current ? lastTop : Math.min(topRef.current, lastTop);
			const moved = movedCursor(command, current, lastTop + 1, bodyHeight);
			if (moved !== undefined) {
				setTop(moved);
				// At the end it follows again (like less +F); anywhere above it stays put.
				return setFollow(moved >= lastTop);
			}
			switch (command) {
				case 'containers.logFollow':
					if (followRef.current) setTop(current);
					return setFollow(!followRef.current);
				case 'containers.logTimestamps':
					return setTimestamps(value => !value);
				case 'containers.logSearch':
					setSearching(true);
					return keys.grab();
				case 'containers.logNext':
					return jump(1);
				case 'containers.logPrevious':
					return jump(-1);
				case 'global.back':
					if (searchRef.current) return setSearch('');
					return onBack();
			}
		},
		{isActive: focused},
	);

	const visible = lines.slice(shownTop, shownTop + bodyHeight);
	const timeWidth = timestamps ? 31 : 0;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text wrap="truncate">
				<Text {...theme.style.accent} bold>
					Logs {record.name}
				</Text>
				<Text>
					{'  '}
					{lines.length} line{lines.length === 1 ? '' : 's'}
				</Text>
				{dropped > 0 ? <Text {...theme.style.dim}> ({dropped} earlier dropped, keeps {logBufferLimit})</Text> : null}
				<Text {...(follow ? theme.style.added : theme.style.dim)}> · {follow ? 'following' : 'paused (F follows)'}</Text>
				{search ? <Text {...theme.style.accent}> · /{search} ({matchCount} match{matchCount === 1 ? '' : 'es'})</Text> : null}
			</Text>
			<Box flexDirection="column" height={bodyHeight}>
				{lines.length === 0 ? <Text {...theme.style.dim}>No output yet.</Text> : null}
				{visible.map((line, index) => (
					<Text key={shownTop + index} wrap="truncate">
						{timestamps ? <Text {...theme.style.dim}>{fit(line.time, timeWidth - 1)} </Text> : null}
						<Text {...(matches(line, search) ? theme.style.marked : line.stream === 'stderr' ? theme.style.warning : {})}>{fit(line.text, Math.max(1, width - timeWidth))}</Text>
					</Text>
				))}
			</Box>
			<Text wrap="truncate" {...theme.style.dim}>
				{searching ? (
					<Text>
						<Text {...theme.style.accent}>/</Text>
						<LineField value={search} />
						{'  '}⏎ keep · esc clear
					</Text>
				) : (
					'j/k scroll · G end · F follow · T timestamps · / search · n/N matches · esc back'
				)}
			</Text>
		</Box>
	);
}
