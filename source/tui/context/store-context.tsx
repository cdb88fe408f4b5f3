import {watch, watchFile, unwatchFile, type FSWatcher} from 'node:fs';
import {basename} from 'node:path';
import {createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode} from 'react';
import type {ImageCatalog} from '../../engine/store/image-catalog.js';
import type {Store} from '../../engine/store/store.js';

/** How long to wait after the last change event before re-reading: a write touches several files. */
const settleMilliseconds = 150;
/** Fallback when fs.watch is unavailable (inotify limits, network file systems): a slow stat poll. */
const pollMilliseconds = 2000;

export const StoreContext = createContext<Store | undefined>(undefined);
const CatalogVersionContext = createContext(0);
const CatalogChangedContext = createContext<() => void>(() => {});

export type CatalogState = {catalog?: ImageCatalog; error?: Error};
const CatalogContext = createContext<CatalogState>({});

/**
 * Provides the store to every pane, and a catalog version that goes up whenever index.json changes,
 * by this process or by another strata (a CLI import while the TUI is open). It watches the
 * directory, not the file: writes replace index.json by rename, which ends a watch on the file.
 */
export function StoreProvider({store, children, watchChanges = true}: {store: Store; children?: ReactNode; watchChanges?: boolean}) {
	const [version, setVersion] = useState(0);
	const bump = useCallback(() => setVersion(value => value + 1), []);

	useEffect(() => {
		if (!watchChanges) return;
		let timer: NodeJS.Timeout | undefined;
		const schedule = () => {
			clearTimeout(timer);
			timer = setTimeout(bump, settleMilliseconds);
		};
		const indexName = basename(store.paths.index);
		let watcher: FSWatcher | undefined;
		let polling = false;
		const poll = () => {
			polling = true;
			watchFile(store.paths.index, {interval: pollMilliseconds}, schedule);
		};
		try {
			watcher = watch(store.root, {persistent: false}, (_event, name) => {
				if (name === null || name === indexName) schedule();
			});
			watcher.on('error', () => {
				watcher?.close();
				poll();
			});
		} catch {
			poll();
		}
		return () => {
			clearTimeout(timer);
			watcher?.close();
			if (polling) unwatchFile(store.paths.index, schedule);
		};
	}, [store, bump, watchChanges]);

	// One read of the catalog per change, shared by every pane and the status line.
	const [catalog, setCatalog] = useState<CatalogState>({});
	useEffect(() => {
		let cancelled = false;
		store.catalog().then(
			loaded => {
				if (!cancelled) setCatalog({catalog: loaded});
			},
			(error: unknown) => {
				if (!cancelled) setCatalog(previous => ({catalog: previous.catalog, error: error instanceof Error ? error : new Error(String(error))}));
			},
		);
		return () => {
			cancelled = true;
		};
	}, [store, version]);

	return (
		<StoreContext.Provider value={store}>
			<CatalogChangedContext.Provider value={bump}>
				<CatalogVersionContext.Provider value={version}>
					<CatalogContext.Provider value={catalog}>{children}</CatalogContext.Provider>
				</CatalogVersionContext.Provider>
			</CatalogChangedContext.Provider>
		</StoreContext.Provider>
	);
}

/** The store the TUI runs on. */
export function useStore(): Store {
	const store = useContext(StoreContext);
	if (!store) throw new Error('useStore() needs a <StoreProvider> above it');
	return store;
}

/** A number that increases whenever the store's catalog may have changed: a dependency for reloads. */
export function useCatalogVersion(): number {
	return useContext(CatalogVersionContext);
}

/** The store's images and tags, re-read after every change; `catalog` is undefined until the first read. */
export function useCatalog(): CatalogState {
	return useContext(CatalogContext);
}

/** Tells every reader to reload now (after this process wrote), without waiting for the watcher. */
export function useCatalogChanged(): () => void {
	return useContext(CatalogChangedContext);
}

/** Loads `load(store)` again whenever the catalog changes or `deps` change; keeps the last data while reloading. */
export function useStoreData<T>(load: (store: Store) => Promise<T>, deps: readonly unknown[] = []): {data?: T; error?: Error; loading: boolean} {
	const store = useStore();
	const version = useCatalogVersion();
	const [state, setState] = useState<{data?: T; error?: Error; loading: boolean}>({loading: true});
	const latestLoad = useRef(load);
	latestLoad.current = load;
	useEffect(() => {
		let cancelled = false;
		setState(previous => (previous.loading ? previous : {...previous, loading: true}));
		latestLoad.current(store).then(
			data => {
				if (!cancelled) setState({data, loading: false});
			},
			(error: unknown) => {
				if (!cancelled) setState(previous => ({data: previous.data, error: error instanceof Error ? error : new Error(String(error)), loading: false}));
			},
		);
		return () => {
			cancelled = true;
		};
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [store, version, ...deps]);
	return state;
}
