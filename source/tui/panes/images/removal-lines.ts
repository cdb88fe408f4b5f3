import {humanSize} from '../../../cli/format/units.js';
import {type Digest, shortId} from '../../../engine/digest.js';
import type {RemovalPlan} from '../../../engine/images/removal-plan.js';
import type {ImageCatalog} from '../../../engine/store/image-catalog.js';
import type {StyledLine} from '../../components/ScrollView.js';
import type {Theme} from '../../theme.js';

function plural(count: number, word: string): string {
	return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** One sentence for the dialog's first line: "Removes 2 images and 3 layers, frees 1.2MB". */
export function removalSummary(plan: RemovalPlan): string {
	const untagged = plan.records.filter(record => 'untagged' in record).length;
	const layers = plan.records.filter(record => 'deleted' in record).length - plan.imageCount;
	const parts: string[] = [];
	if (untagged > 0) parts.push(`untags ${plural(untagged, 'tag')}`);
	if (plan.imageCount > 0) parts.push(`deletes ${plural(plan.imageCount, 'image')}${layers > 0 ? ` and ${plural(layers, 'layer')}` : ''}`);
	if (parts.length === 0) return plan.errors.length > 0 ? 'Nothing can be removed:' : 'Nothing to remove.';
	return `Frees ${humanSize(plan.spaceFreed)}: ${parts.join(', ')}.`;
}

/**
 * The lines of a removal confirmation: the summary, errors (Docker's conflicts), then exactly what
 * `rmi` would print, with deleted digests marked as an image (and its tags) or a layer.
 */
export function removalLines(plan: RemovalPlan, catalog: ImageCatalog | undefined, theme: Theme): StyledLine[] {
	const lines: StyledLine[] = [{text: removalSummary(plan), style: {bold: true}}];
	for (const error of plan.errors) lines.push({text: `✗ ${error.message}`, style: theme.style.error});
	for (const record of plan.records) {
		if ('untagged' in record) {
			lines.push({text: `Untagged: ${record.untagged}`, style: theme.style.modified});
			continue;
		}
		const id = record.deleted as Digest;
		const image = catalog?.records.get(id);
		const what = image ? 'image' : 'layer';
		lines.push({text: `Deleted:  ${shortId(id)} (${what}${image ? `, ${humanSize(image.size)}` : ''})`, style: theme.style.removed});
	}
	return lines;
}
