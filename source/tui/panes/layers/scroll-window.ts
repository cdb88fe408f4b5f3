/**
 * The first visible row of a window of `height` rows over `total` rows, moved as little as possible
 * from `previousTop` so that rows [focusStart, focusEnd) are in view (their start wins when they do not
 * fit). Scrolling only when the cursor would leave the window keeps the view still while moving inside it.
 */
export function scrollTop(previousTop: number, focusStart: number, focusEnd: number, height: number, total: number): number {
	if (height <= 0 || total <= height) return 0;
	let top = Math.min(Math.max(previousTop, 0), total - height);
	if (focusEnd - focusStart > height || focusStart < top) top = focusStart;
	else if (focusEnd > top + height) top = focusEnd - height;
	return Math.min(Math.max(top, 0), total - height);
}
