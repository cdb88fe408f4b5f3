// Text of the layer list and of the efficiency footer, decided here so both are unit-tested.
import {displayWidth} from '../../../cli/format/display-width.js';
import {ellipsis} from '../../../cli/format/ellipsis.js';
import {humanSize} from '../../../cli/format/units.js';
import type {Efficiency, LayerReport} from '../../../engine/analysis/layer-analysis.js';
import {fitStart} from '../../text/fit.js';
import {displayCommand} from '../history/timeline-rows.js';

/** `  3   12.4MB  RUN apt-get install …`, plus `+12 ~3 -1` when the row is wide enough. */
export function layerListLine(layer: LayerReport, layerCount: number, width: number): string {
	const index = String(layer.index).padStart(String(Math.max(layerCount - 1, 0)).length);
	const head = `${index} ${humanSize(layer.size).padStart(7)}  `;
	const {added, modified, removed} = layer.changeCounts;
	const counts = `  +${added} ~${modified} -${removed}`;
	const command = displayCommand(layer.createdBy) || '(no created-by)';
	const room = width - head.length;
	// The counts only earn their place when the command keeps a readable width beside them.
	if (room - counts.length >= 30) return head + ellipsis(command, room - counts.length).padEnd(room - counts.length) + counts;
	return head + ellipsis(command, Math.max(room, 1));
}

export function percent(fraction: number): string {
	return `${(fraction * 100).toFixed(1)}%`;
}

/** The footer's first line: dive's three image figures. */
export function efficiencySummary(efficiency: Efficiency, totalSize: number, width: number): string {
	const text = `efficiency ${percent(efficiency.score)} · wasted ${humanSize(efficiency.wastedBytes)} · user wasted ${percent(efficiency.userWastedPercent)} · image ${humanSize(totalSize)}`;
	return ellipsis(text, width);
}

/** A path in at most `width` columns, cut from its start (the file name tells files apart), unpadded. */
function pathIn(path: string, width: number): string {
	return fitStart(path, Math.min(width, displayWidth(path)));
}

/**
 * The largest wasted files in `lines` rows of `width`: one per row (`×3  1.2MB  /usr/lib/…`) when there
 * are several rows, else as many as fit side by side on one. Empty when nothing is wasted.
 */
export function wastedFileLines(efficiency: Efficiency, width: number, lines: number): string[] {
	const files = efficiency.inefficiencies;
	if (lines <= 0 || files.length === 0) return [];
	const entry = (file: (typeof files)[number]) => `×${file.occurrences} ${humanSize(file.wastedBytes)}`;
	if (lines === 1) {
		const label = 'wasted: ';
		const parts: string[] = [];
		let used = label.length;
		for (const file of files) {
			const separator = parts.length > 0 ? ' · ' : '';
			const head = `${entry(file)} `;
			const room = width - used - separator.length - displayWidth(head);
			const path = `/${file.path}`;
			// A path cut to a stub tells nothing; stop before that.
			if (room < Math.min(12, displayWidth(path))) break;
			const part = head + pathIn(path, Math.min(room, 40));
			parts.push(part);
			used += separator.length + displayWidth(part);
		}
		return parts.length === 0 ? [] : [label + parts.join(' · ')];
	}
	return files.slice(0, lines).map(file => {
		const head = `${entry(file).padEnd(13)} `;
		return head + pathIn(`/${file.path}`, Math.max(width - head.length, 1));
	});
}
