import {createContext, type ReactNode, useCallback, useContext, useLayoutEffect, useMemo, useRef} from 'react';

type KeyCapture = {count: {current: number}};

const KeyCaptureContext = createContext<KeyCapture>({count: {current: 0}});

/** Tracks whether some pane has taken the keyboard for itself (a text field, a confirmation). */
export function KeyCaptureProvider({children}: {children?: ReactNode}) {
	const count = useRef(0);
	const value = useMemo(() => ({count}), []);
	return <KeyCaptureContext.Provider value={value}>{children}</KeyCaptureContext.Provider>;
}

/**
 * While `active`, the frame's single-key commands (q, ?, 1-5, Tab, :, /) are off, so that typing
 * "q" into a field or answering a dialog does not quit or switch panes. Ctrl-C still quits.
 * Takes effect in the commit that sets it, before the next key is handled.
 */
export function useCaptureKeys(active: boolean): void {
	const {count} = useContext(KeyCaptureContext);
	useLayoutEffect(() => {
		if (!active) return;
		count.current++;
		return () => {
			count.current--;
		};
	}, [active, count]);
}

/** A function telling, when a key arrives, whether a pane holds the keyboard (see useCaptureKeys). */
export function useKeysCaptured(): () => boolean {
	const {count} = useContext(KeyCaptureContext);
	return useCallback(() => count.current > 0, [count]);
}
