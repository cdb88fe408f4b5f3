import {Text} from 'ink';
import type {Digest} from '../../../engine/digest.js';
import {shortId} from '../../../engine/digest.js';
import {Dialog, KeyHints} from '../../components/Dialog.js';
import {LineField} from '../../components/line-editor.js';
import {keyFor, useKeymap} from '../../context/keymap-context.js';
import {useTheme} from '../../context/theme-context.js';
import type {TagCheck} from './tag-target.js';

/** Rows the form takes: its border, title, field, check and key hints. */
export const tagFormHeight = 6;

/** The first value of the tag form: the row's own reference, or nothing for an untagged image. */
export function initialTagText(source: string): string {
	return source.startsWith('sha256:') ? '' : source;
}

/**
 * The inline form of `t`: the new reference as typed, and at once whether it is valid and what
 * it does (the images pane edits the text and checks it: see checkTagTarget).
 */
export function TagForm({source, imageId, value, check, width}: {source: string; imageId: Digest; value: string; check: TagCheck; width: number}) {
	const theme = useTheme();
	const keymap = useKeymap();
	return (
		<Dialog title={`Tag ${source.startsWith('sha256:') ? shortId(source) : source} (${shortId(imageId)}) as`} width={width}>
			<Text wrap="truncate">
				<Text {...theme.style.accent}>› </Text>
				<LineField value={value} />
			</Text>
			<Text wrap="truncate" {...(check.ok ? (check.moves ? theme.style.warning : theme.style.added) : theme.style.error)}>
				{check.ok ? '✓ ' : '✗ '}
				{check.message}
			</Text>
			<KeyHints hints={[[keyFor(keymap, 'form.submit'), 'tag'], [keyFor(keymap, 'form.cancel'), 'cancel'], ['ctrl-u', 'clear']]} />
		</Dialog>
	);
}
