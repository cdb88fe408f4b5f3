import {Text} from 'ink';
import {useEffect, useRef} from 'react';
import {useKeys} from '../context/key-router-context.js';
import {type CommandKey, useKeymap} from '../context/keymap-context.js';
import {useTheme} from '../context/theme-context.js';
import {useLatestState} from '../hooks/use-latest-state.js';
import {commandFor, type KeyScope, normalizeKey} from '../keymap.js';
import {movedCursor} from '../list-navigation.js';
import {editLine, LineField} from './line-editor.js';

/** A bounded line buffer: the newest lines, and how many older ones were dropped. */
export type BoundedLines<T> = {lines: T[]; dropped: number};

/** Appends `added` to `buffer`, keeping the newest `limit` lines (a log, a build step's output). */
export function appendBoundedLines<T>(buffer: BoundedLines<T>, added: readonly T[], limit: number): BoundedLines<T> {
	if (added.length === 0) return buffer;
	const lines = buffer.lines.concat(added);
	const excess = Math.max(0, lines.length - limit);
	return {lines: excess > 0 ? lines.slice(excess) : lines, dropped: buffer.dropped + excess};
}

/** The commands a log view answers besides the list keys: search, next/previous match, follow on/off. */
export type LogScrollCommands = {search: string; next: string; previous: string; follow: string};

export type LogScroll = {
	/** The first line shown. */
	top: number;
	following: boolean;
	search: string;
	searching: boolean;
	matchCount: number;
	isMatch(text: string): boolean;
};

const matchesText = (text: string, search: string) => search !== '' && text.toLowerCase().includes(search.toLowerCase());

/**
 * The keys and state of a growing, searchable log view (`less +F`): it follows the tail until the user
 * scrolls up (the end follows again), `/` searches as typed (⏎ keeps and jumps, esc clears), n/N jump
 * between matches. Other keys go to `onOtherKey`. `resetKey` changing (another log) follows again.
 */
export function useLogScroll<T>(options: {
	lines: readonly T[];
	textOf: (line: T) => string;
	bodyHeight: number;
	focused: boolean;
	/** The scopes of its keys; a function is asked at each key (the scopes follow a focus). */
	scopes: KeyScope[] | (() => KeyScope[]);
	commands: LogScrollCommands;
	onOtherKey?: (key: CommandKey) => void;
	resetKey?: unknown;
}): LogScroll {
	const {lines, textOf, bodyHeight, commands} = options;
	const [following, setFollowing, followingRef] = useLatestState(true);
	const [search, setSearch, searchRef] = useLatestState('');
	const [searching, setSearching, searchingRef] = useLatestState(false);
	const [top, setTop, topRef] = useLatestState(0);
	const linesRef = useRef(lines);
	linesRef.current = lines;
	const otherKey = useRef(options.onOtherKey);
	otherKey.current = options.onOtherKey;
	useEffect(() => {
		setFollowing(true);
		setTop(0);
	}, [options.resetKey, setFollowing, setTop]);

	const lastTopOf = (count: number) => Math.max(0, count - bodyHeight);
	const currentTop = () => (followingRef.current ? lastTopOf(linesRef.current.length) : Math.min(topRef.current, lastTopOf(linesRef.current.length)));

	const jump = (direction: 1 | -1) => {
		const all = linesRef.current;
		const text = searchRef.current;
		if (!text) return;
		const from = currentTop();
		for (let step = 1; step <= all.length; step++) {
			const index = (from + direction * step + all.length * 2) % all.length;
			if (matchesText(textOf(all[index]!), text)) {
				setFollowing(false);
				return setTop(Math.min(index, lastTopOf(all.length)));
			}
		}
	};

	const keymap = useKeymap();
	const scopes = options.scopes;
	const keys = useKeys(
		(input, flags) => {
			const name = normalizeKey(input, flags);
			const key: CommandKey = {command: commandFor(keymap, typeof scopes === 'function' ? scopes() : scopes, name), name, input, key: flags};
			if (searchingRef.current) {
				const edit = editLine(searchRef.current, key.input, key.key);
				if (edit.kind === 'change') return setSearch(edit.value);
				if (edit.kind === 'submit' || edit.kind === 'cancel') {
					keys.release();
					setSearching(false);
					if (edit.kind === 'cancel') setSearch('');
					else jump(1);
				}
				return;
			}
			const lastTop = lastTopOf(linesRef.current.length);
			const current = currentTop();
			const moved = movedCursor(key.command, current, lastTop + 1, bodyHeight);
			if (moved !== undefined) {
				setTop(moved);
				// At the end it follows again (like less +F); anywhere above it stays put.
				return setFollowing(moved >= lastTop);
			}
			switch (key.command) {
				case commands.follow:
					if (followingRef.current) setTop(current);
					return setFollowing(!followingRef.current);
				case commands.search:
					setSearching(true);
					return keys.grab();
				case commands.next:
					return jump(1);
				case commands.previous:
					return jump(-1);
				case 'global.back':
					// Esc clears a kept search first.
					if (searchRef.current) return setSearch('');
			}
			otherKey.current?.(key);
		},
		{isActive: options.focused},
	);

	const shownTop = following ? lastTopOf(lines.length) : Math.min(top, lastTopOf(lines.length));
	let matchCount = 0;
	if (search) for (const line of lines) if (matchesText(textOf(line), search)) matchCount++;
	return {top: shownTop, following, search, searching, matchCount, isMatch: text => matchesText(text, search)};
}

/** The search field while typing, else `hint`: the bottom line of a log view. */
export function LogSearchLine({scroll, hint}: {scroll: LogScroll; hint: string}) {
	const theme = useTheme();
	return (
		<Text wrap="truncate" {...theme.style.dim}>
			{scroll.searching ? (
				<Text>
					<Text {...theme.style.accent}>/</Text>
					<LineField value={scroll.search} />
					{'  '}⏎ keep · esc clear
				</Text>
			) : (
				hint
			)}
		</Text>
	);
}

/**
 * The rest of a log view's title line: `  120 lines (80 earlier dropped, keeps 5000) · following ·
 * /text (3 matches)`.
 */
export function LogStatus({scroll, count, dropped, limit, pausedHint = 'paused (F follows)'}: {scroll: LogScroll; count: number; dropped: number; limit: number; pausedHint?: string}) {
	const theme = useTheme();
	return (
		<>
			<Text>
				{'  '}
				{count} line{count === 1 ? '' : 's'}
			</Text>
			{dropped > 0 ? <Text {...theme.style.dim}> ({dropped} earlier dropped, keeps {limit})</Text> : null}
			<Text {...(scroll.following ? theme.style.added : theme.style.dim)}> · {scroll.following ? 'following' : pausedHint}</Text>
			{scroll.search ? (
				<Text {...theme.style.accent}>
					{' '}
					· /{scroll.search} ({scroll.matchCount} match{scroll.matchCount === 1 ? '' : 'es'})
				</Text>
			) : null}
		</>
	);
}
