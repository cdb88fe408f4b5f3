import {useCallback, useEffect, useRef, useState} from 'react';
import {listContainers} from '../../../engine/containers/container-store.js';
import {useCatalog, useStore} from '../../context/store-context.js';
import {type ContainerRow, containerRows, rowsSignature} from './container-rows.js';

/** How often the table is re-read while the pane is shown: container states change without the catalog changing. */
export const containerRefreshMs = 1000;

/**
 * The containers as `ps -a` rows, re-read every second while `visible` (cheap reads: each container's
 * container.json and state.json, and a /proc check of its supervisor). Re-renders only when a row's text changed.
 */
export function useContainers(visible: boolean): {rows?: ContainerRow[]; error?: Error; refresh: () => void} {
	const store = useStore();
	const {catalog} = useCatalog();
	const [state, setState] = useState<{rows?: ContainerRow[]; error?: Error}>({});
	const signature = useRef('');
	const reading = useRef(false);
	const catalogRef = useRef(catalog);
	catalogRef.current = catalog;
	const refresh = useCallback(() => {
		if (reading.current) return;
		reading.current = true;
		listContainers(store)
			.then(containers => {
				const rows = containerRows(containers, catalogRef.current);
				const next = rowsSignature(rows);
				if (next === signature.current) return;
				signature.current = next;
				setState({rows});
			})
			.catch((error: unknown) => setState(previous => ({...previous, error: error instanceof Error ? error : new Error(String(error))})))
			.finally(() => {
				reading.current = false;
			});
	}, [store]);
	useEffect(() => {
		if (!visible) return;
		refresh();
		const timer = setInterval(refresh, containerRefreshMs);
		return () => clearInterval(timer);
	}, [visible, refresh, catalog]);
	return {...state, refresh};
}
