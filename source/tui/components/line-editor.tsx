import {Text} from 'ink';
import type {TextStyle} from '../theme.js';

/** What a key does to a one-line field. */
export type LineEdit = {kind: 'change'; value: string} | {kind: 'submit'} | {kind: 'cancel'} | {kind: 'history'; direction: -1 | 1} | {kind: 'none'};

type KeyFlags = {return?: boolean; escape?: boolean; upArrow?: boolean; downArrow?: boolean; backspace?: boolean; delete?: boolean; ctrl?: boolean; meta?: boolean; tab?: boolean; leftArrow?: boolean; rightArrow?: boolean; pageUp?: boolean; pageDown?: boolean};

/**
 * The editing of a one-line field, as a pure function of its value and a key: typing appends,
 * Backspace deletes, Ctrl-U clears, Ctrl-W deletes a word, Enter submits, Esc cancels, Up/Down
 * recall history. The owner applies it in its own key handler (so no key is lost while a newly
 * opened field is not yet rendered).
 */
export function editLine(value: string, input: string, key: KeyFlags): LineEdit {
	if (key.return) return {kind: 'submit'};
	if (key.escape) return {kind: 'cancel'};
	if (key.upArrow) return {kind: 'history', direction: -1};
	if (key.downArrow) return {kind: 'history', direction: 1};
	// Most terminals send DEL (0x7f) for Backspace, which Ink reports as `delete`.
	if (key.backspace || key.delete) return {kind: 'change', value: Array.from(value).slice(0, -1).join('')};
	if (key.ctrl && input === 'u') return {kind: 'change', value: ''};
	if (key.ctrl && input === 'w') return {kind: 'change', value: value.replace(/\S+\s*$/, '')};
	if (key.tab || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown || key.ctrl || key.meta || !input) return {kind: 'none'};
	return {kind: 'change', value: value + input.replace(/[\r\n\t]/g, ' ')};
}

/** A field's text with a block cursor at its end. */
export function LineField({value, style}: {value: string; style?: TextStyle}) {
	return (
		<Text {...style}>
			{value}
			<Text inverse> </Text>
		</Text>
	);
}
