import type {Store} from '../engine/store/store.js';
import {KeyCaptureProvider} from './context/key-capture-context.js';
import {KeyRouterProvider} from './context/key-router-context.js';
import {KeymapProvider} from './context/keymap-context.js';
import {StatusProvider} from './context/status-context.js';
import {StoreProvider} from './context/store-context.js';
import {ThemeProvider} from './context/theme-context.js';
import {Frame} from './Frame.js';
import {defaultKeymap, type KeyBinding} from './keymap.js';
import {defaultTheme, type Theme} from './theme.js';

export type AppProps = {
	version: string;
	store: Store;
	keymap?: KeyBinding[];
	theme?: Theme;
	/** Watch the store for changes by other processes (off in tests that want no watcher). */
	watchStore?: boolean;
};

/** The TUI: the providers every pane relies on, around the frame. */
export function App({version, store, keymap = defaultKeymap, theme = defaultTheme, watchStore = true}: AppProps) {
	return (
		<ThemeProvider theme={theme}>
			<KeymapProvider keymap={keymap}>
				<StoreProvider store={store} watchChanges={watchStore}>
					<StatusProvider>
						<KeyRouterProvider>
							<KeyCaptureProvider>
								<Frame version={version} />
							</KeyCaptureProvider>
						</KeyRouterProvider>
					</StatusProvider>
				</StoreProvider>
			</KeymapProvider>
		</ThemeProvider>
	);
}
