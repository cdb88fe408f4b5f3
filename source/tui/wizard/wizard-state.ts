import {shortId} from '../../engine/digest.js';
import {errorText} from '../context/status-context.js';
import {applyChanges} from '../../engine/image/changes.js';
import {familiarReference, fullReference, parseReference, validateTag} from '../../engine/reference/reference.js';
import type {ImageCatalog} from '../../engine/store/image-catalog.js';

/** The steps of the commit & tag wizard, in order. */
export const wizardSteps = ['diff', 'message', 'changes', 'reference', 'summary', 'commit'] as const;
export type WizardStep = (typeof wizardSteps)[number];

export const stepTitles: Record<WizardStep, string> = {
	diff: 'Review the changes',
	message: 'Author and message',
	changes: 'Config changes (optional)',
	reference: 'Repository and tag',
	summary: 'Summary',
	commit: 'Committing',
};

/** The instructions the wizard offers (a subset of `commit --change`). */
export const wizardInstructions = ['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'WORKDIR', 'USER', 'LABEL'] as const;

/** Why a typed change line is not valid, or undefined when `commit --change` would take it. */
export function checkChange(text: string): string | undefined {
	const line = text.trim();
	if (line === '') return undefined;
	const instruction = /^(\w+)/.exec(line)?.[1]?.toUpperCase();
	if (!instruction || !(wizardInstructions as readonly string[]).includes(instruction)) return `start with one of ${wizardInstructions.join(', ')}`;
	try {
		applyChanges({}, [line]);
		return undefined;
	} catch (error) {
		return errorText(error);
	}
}

export type ReferenceCheck =
	| {ok: false; message: string}
	| {ok: true; reference?: string; moves: boolean; message: string};

/**
 * The repository and tag as typed, checked as `commit REPOSITORY:TAG` would: an empty repository
 * makes an untagged image; an existing tag is moved (said as a warning).
 */
export function checkCommitReference(repository: string, tag: string, catalog: ImageCatalog | undefined): ReferenceCheck {
	const name = repository.trim();
	const tagText = tag.trim() === '' ? 'latest' : tag.trim();
	if (name === '') return {ok: true, moves: false, message: 'no repository: the image will be untagged (<none>)'};
	const tagError = validateTag(tagText);
	if (tagError) return {ok: false, message: tagError};
	let full: string;
	let familiar: string;
	try {
		const reference = parseReference(name);
		if (reference.tag !== undefined || reference.digest !== undefined) return {ok: false, message: 'type the tag in the tag field, not after “:” or “@”'};
		const tagged = {...reference, tag: tagText};
		full = fullReference(tagged);
		familiar = familiarReference(tagged);
	} catch (error) {
		return {ok: false, message: errorText(error)};
	}
	const current = catalog?.tags.get(full);
	if (current) return {ok: true, reference: familiar, moves: true, message: `${familiar} exists (${shortId(current)}): the tag will be moved to the new image`};
	return {ok: true, reference: familiar, moves: false, message: `new tag ${familiar}`};
}
