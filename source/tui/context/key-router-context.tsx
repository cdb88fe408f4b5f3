import {type Key, useInput} from 'ink';
import {createContext, type ReactNode, useContext, useLayoutEffect, useMemo, useRef} from 'react';

type KeyHandler = (input: string, key: Key) => void;
type Registration = {handler: {current: KeyHandler}; active: {current: boolean}};
type KeyRouter = {
	register(registration: Registration): () => void;
	grab(registration: Registration): void;
	release(registration: Registration): void;
};

/** What useKeys returns: take all keys for this handler (a line editor, a dialog) until released. */
export type KeyGrab = {grab(): void; release(): void};

const KeyRouterContext = createContext<KeyRouter | undefined>(undefined);

/** `key` with every flag off: plain typed text. */
function textKey(key: Key): Key {
	return Object.fromEntries(Object.entries(key).map(([name, value]) => [name, typeof value === 'boolean' ? false : value])) as Key;
}

/** What Ink reports for `character` read alone (its parse-keypress, for the keys one byte can be). */
function keyOfCharacter(character: string, key: Key): [string, Key] {
	const flags = textKey(key);
	if (character === '\r') return [character, {...flags, return: true}];
	if (character === '\t') return ['', {...flags, tab: true}];
	if (character === '\b') return ['', {...flags, backspace: true}];
	if (character === '\x7f') return ['', {...flags, delete: true}];
	if (character !== '\n' && character <= '\x1a') return [String.fromCharCode(character.charCodeAt(0) + 96), {...flags, ctrl: true}];
	return [character, {...flags, shift: /^[A-Z]$/.test(character)}];
}

/**
 * One subscription to the keyboard for the whole app, handing each key to every active handler,
 * or only to the handler that grabbed the keyboard. Why not Ink's useInput in each component: it
 * (un)subscribes in a passive effect and React renders after the key, so for a moment the old
 * handlers still get keys: type `:tag` fast and the `t` goes to the table instead of the command
 * line that `:` opened. A grab takes effect at once, inside the key handler that asks for it.
 */
export function KeyRouterProvider({children}: {children?: ReactNode}) {
	const registrations = useRef(new Set<Registration>());
	const grabs = useRef<Registration[]>([]);
	const dispatch = (input: string, key: Key) => {
		const grabbed = grabs.current.at(-1);
		if (grabbed) return grabbed.handler.current(input, key);
		for (const registration of [...registrations.current]) if (registration.active.current) registration.handler.current(input, key);
	};
	// Ink hands over everything read at once as one string ("jjj" from a held key on a busy machine, or
	// keys typed faster than a frame, over SSH often): Ink means it as a paste. Nobody types into the
	// panes' keys, so such a run is split into keys, each handled after React drew what the one before
	// changed (a Tab moves the focus, and the `/` after it is for the newly focused view). A field that
	// grabbed the keyboard (`/`, `:`) gets the text up to an Enter whole, as typed text, then the Enter as
	// the key it is (`/line 17⏎` typed ahead searches, where it used to search for "line 17 ").
	const pending = useRef<Array<{key: Key; input: string} | {key: Key; characters: string[]}>>([]);
	// Keys were handed out from `pending` and React has not drawn since: what arrives now waits too.
	const busy = useRef(false);
	const step = () => {
		const head = pending.current[0];
		if (!head) {
			busy.current = false;
			return;
		}
		if ('input' in head) {
			// A key read alone (an arrow, a Ctrl key, Esc), as Ink parsed it.
			pending.current.shift();
			dispatch(head.input, head.key);
		} else {
			if (grabs.current.length > 0) {
				const enter = head.characters.indexOf('\r');
				const end = enter === -1 ? head.characters.length : enter;
				if (end > 0) dispatch(head.characters.slice(0, end).join(''), textKey(head.key));
				head.characters = head.characters.slice(end);
				if (enter !== -1) dispatch(...keyOfCharacter(head.characters.shift()!, head.key));
			} else {
				dispatch(...keyOfCharacter(head.characters.shift()!, head.key));
			}
			if (head.characters.length === 0) pending.current.shift();
		}
		// React draws in a turn of the event loop queued by the key's state changes: the next key after it.
		setImmediate(step);
	};
	useInput((input, key) => {
		const characters = Array.from(input);
		const oneKey = characters.length < 2 || key.ctrl || key.meta;
		if (oneKey && !busy.current) return dispatch(input, key);
		pending.current.push(oneKey ? {input, key} : {characters, key});
		if (busy.current) return;
		busy.current = true;
		step();
	});
	const router = useMemo<KeyRouter>(
		() => ({
			register(registration) {
				registrations.current.add(registration);
				return () => {
					registrations.current.delete(registration);
					grabs.current = grabs.current.filter(grab => grab !== registration);
				};
			},
			grab(registration) {
				grabs.current = [...grabs.current.filter(grab => grab !== registration), registration];
			},
			release(registration) {
				grabs.current = grabs.current.filter(grab => grab !== registration);
			},
		}),
		[],
	);
	return <KeyRouterContext.Provider value={router}>{children}</KeyRouterContext.Provider>;
}

/**
 * Ink's useInput, but its activity and handler are read when each key arrives (see
 * KeyRouterProvider), and it can grab the keyboard. Handlers should read state that keys change
 * from refs: React renders after the key. Outside a router (a component rendered alone in a test)
 * it falls back to useInput, and grabs do nothing.
 */
export function useKeys(handler: KeyHandler, options: {isActive?: boolean} = {}): KeyGrab {
	const router = useContext(KeyRouterContext);
	const handlerRef = useRef(handler);
	handlerRef.current = handler;
	const activeRef = useRef(options.isActive ?? true);
	activeRef.current = options.isActive ?? true;
	const registration = useRef<Registration>({handler: handlerRef, active: activeRef});
	useLayoutEffect(() => router?.register(registration.current), [router]);
	useInput((input, key) => handlerRef.current(input, key), {isActive: router === undefined && (options.isActive ?? true)});
	return useMemo(() => ({grab: () => router?.grab(registration.current), release: () => router?.release(registration.current)}), [router]);
}

/** Grabs the keyboard while the calling component is shown (a confirmation, a help page). */
export function useGrabWhileShown(grab: KeyGrab): void {
	useLayoutEffect(() => {
		grab.grab();
		return () => grab.release();
	}, [grab]);
}
