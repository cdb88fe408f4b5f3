import {createContext, useContext, type ReactNode} from 'react';
import {defaultTheme, monochromeTheme, noColorRequested, type Theme} from '../theme.js';

export type {Theme, ThemeRole, TextStyle} from '../theme.js';

// Without a provider (a pane rendered alone in a test) NO_COLOR still holds.
const ThemeContext = createContext<Theme>(noColorRequested() ? monochromeTheme : defaultTheme);

export function ThemeProvider({theme, children}: {theme: Theme; children?: ReactNode}) {
	return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}

/**
 * The colours of the TUI by role: `theme.colors.added` (undefined when monochrome) or, simpler,
 * `<Text {...theme.style.added}>` which also covers the monochrome theme.
 */
export function useTheme(): Theme {
	return useContext(ThemeContext);
}
