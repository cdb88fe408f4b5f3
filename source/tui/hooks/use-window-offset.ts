import {useRef} from 'react';
import {windowOffset} from '../list-navigation.js';

/** The scroll offset of a windowed list: follows the cursor, remembered between renders. */
export function useWindowOffset(cursor: number, count: number, height: number): number {
	const previous = useRef(0);
	previous.current = windowOffset(cursor, count, height, previous.current);
	return previous.current;
}
