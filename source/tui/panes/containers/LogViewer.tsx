import {stat} from 'node:fs/promises';
import {setTimeout as sleep} from 'node:timers/promises';
import {Box, Text} from 'ink';
import {useEffect, useState} from 'react';
import {ContainerPaths} from '../../../engine/containers/container-paths.js';
import type {ContainerRecord} from '../../../engine/containers/container-record.js';
import {readLogs, type LogEntry} from '../../../engine/containers/logs.js';
import {appendBoundedLines, type BoundedLines, LogSearchLine, LogStatus, useLogScroll} from '../../components/log-scroll.js';
import {useStore} from '../../context/store-context.js';
import {useTheme} from '../../context/theme-context.js';
import {fit} from '../../text/fit.js';

/** The most log lines the viewer keeps: older ones are dropped (and counted). */
export const logBufferLimit = 5000;

export type LogLine = {stream: LogEntry['stream']; time: string; text: string};

/** Appends `entries` to a bounded buffer: the newest `limit` lines, and how many were dropped. */
export function appendBounded(buffer: BoundedLines<LogLine>, entries: readonly LogEntry[], limit = logBufferLimit): BoundedLines<LogLine> {
	return appendBoundedLines(buffer, entries.flatMap(entry => entry.log.replace(/\n$/, '').split('\n').map(text => ({stream: entry.stream, time: entry.time, text}))), limit);
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
	const [timestamps, setTimestamps] = useState(false);
	const bodyHeight = Math.max(1, height - 2);
	const scroll = useLogScroll({
		lines,
		textOf: line => line.text,
		bodyHeight,
		focused,
		scopes: ['containers', 'list', 'global'],
		commands: {follow: 'containers.logFollow', search: 'containers.logSearch', next: 'containers.logNext', previous: 'containers.logPrevious'},
		onOtherKey: ({command}) => {
			if (command === 'containers.logTimestamps') setTimestamps(value => !value);
			else if (command === 'global.back') onBack();
		},
	});
	const shownTop = scroll.top;

	const visible = lines.slice(shownTop, shownTop + bodyHeight);
	const timeWidth = timestamps ? 31 : 0;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text wrap="truncate">
				<Text {...theme.style.accent} bold>
					Logs {record.name}
				</Text>
				<LogStatus scroll={scroll} count={lines.length} dropped={dropped} limit={logBufferLimit} />
			</Text>
			<Box flexDirection="column" height={bodyHeight}>
				{lines.length === 0 ? <Text {...theme.style.dim}>No output yet.</Text> : null}
				{visible.map((line, index) => (
					<Text key={shownTop + index} wrap="truncate">
						{timestamps ? <Text {...theme.style.dim}>{fit(line.time, timeWidth - 1)} </Text> : null}
						<Text {...(scroll.isMatch(line.text) ? theme.style.marked : line.stream === 'stderr' ? theme.style.warning : {})}>{fit(line.text, Math.max(1, width - timeWidth))}</Text>
					</Text>
				))}
			</Box>
			<LogSearchLine scroll={scroll} hint="j/k scroll · G end · F follow · T timestamps · / search · n/N matches · esc back" />
		</Box>
	);
}
