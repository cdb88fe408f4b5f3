import {type RefObject, useCallback, useRef, useState} from 'react';

/**
 * State whose latest value key handlers can read at once (`ref.current`), before React renders it:
 * Ink hands over the next key before the render that the previous key caused.
 */
export function useLatestState<T>(initial: T | (() => T)): [value: T, set: (next: T | ((previous: T) => T)) => void, ref: RefObject<T>] {
	const [value, setValue] = useState(initial);
	const ref = useRef(value);
	const set = useCallback((next: T | ((previous: T) => T)) => {
		ref.current = typeof next === 'function' ? (next as (previous: T) => T)(ref.current) : next;
		setValue(ref.current);
	}, []);
	return [value, set, ref];
}
