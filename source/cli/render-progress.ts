import type {ProgressEvent} from '../engine/progress.js';
import {humanSize} from './format/units.js';

/**
 * Renders progress events on stderr: on a TTY one live line per byte stream, elsewhere only
 * steps (scripts get quiet, parseable stdout either way).
 */
export function progressPrinter(stderr: NodeJS.WritableStream & {isTTY?: boolean}, enabled = true) {
	let lastBytesLine = '';
	return (event: ProgressEvent) => {
		if (!enabled || event.kind === 'build') return;
		if (event.kind === 'bytes') {
			if (!stderr.isTTY) return;
			const total = event.total ? `/${humanSize(event.total)}` : '';
			lastBytesLine = `${event.label}: ${humanSize(event.current)}${total}`;
			stderr.write(`\r\x1b[2K${lastBytesLine}`);
			return;
		}
		if (lastBytesLine) {
			stderr.write('\r\x1b[2K');
			lastBytesLine = '';
		}
		if (event.kind === 'log' || stderr.isTTY) stderr.write(`${event.message}\n`);
	};
}
