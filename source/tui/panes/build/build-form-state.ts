// The build form's fields, their live checks and Tab completion of directories: pure functions of
// what was typed (and of the file system, for completion), so the pane only edits and renders.
import {readdirSync, statSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import type {BuildOptions} from '../../../engine/builder/executor/build-image.js';
import type {Digest} from '../../../engine/digest.js';
import type {ImageCatalog} from '../../../engine/store/image-catalog.js';
import {checkTagTarget} from '../images/tag-target.js';

export const formFields = ['context', 'dockerfile', 'tags', 'buildArgs', 'target', 'noCache'] as const;
export type FormField = (typeof formFields)[number];

export const fieldLabels: Record<FormField, string> = {
	context: 'Context',
	dockerfile: 'Dockerfile',
	tags: 'Tags',
	buildArgs: 'Build args',
	target: 'Target',
	noCache: 'No cache',
};

export type BuildForm = {
	field: FormField;
	context: string;
	dockerfile: string;
	tags: string;
	buildArgs: string;
	target: string;
	noCache: boolean;
	/** What the last Tab offered when it could not complete to one directory. */
	candidates: string[];
};

export type TextField = Exclude<FormField, 'noCache'>;

/** A fresh form: the context is the directory the TUI was started in. */
export function initialForm(cwd: string): BuildForm {
	return {field: 'context', context: cwd, dockerfile: '', tags: '', buildArgs: '', target: '', noCache: false, candidates: []};
}

/** Several values typed in one field: separated by spaces or commas. */
export function splitList(text: string): string[] {
	return text.split(/[\s,]+/).filter(Boolean);
}

export type Check = {ok: boolean; message: string};

/** The context directory: it must exist and be a directory. */
export function checkContext(text: string, cwd: string): Check {
	if (text.trim() === '') return {ok: false, message: 'type the context directory'};
	const path = resolve(cwd, text.trim());
	try {
		if (!statSync(path).isDirectory()) return {ok: false, message: `${path} is not a directory`};
	} catch {
		return {ok: false, message: `${path} does not exist`};
	}
	return {ok: true, message: path};
}

/** The Dockerfile: empty means CONTEXT/Dockerfile; a relative path is taken from the TUI's directory (as -f). */
export function dockerfilePath(form: BuildForm, cwd: string): string {
	const typed = form.dockerfile.trim();
	return typed === '' ? join(resolve(cwd, form.context.trim()), 'Dockerfile') : resolve(cwd, typed);
}

export function checkDockerfile(form: BuildForm, cwd: string): Check {
	const path = dockerfilePath(form, cwd);
	try {
		if (!statSync(path).isFile()) return {ok: false, message: `${path} is not a file`};
	} catch {
		return {ok: false, message: `${path} does not exist`};
	}
	return {ok: true, message: path};
}

/** Each tag as `docker tag` reads it (the tag form's check): the first problem, or what they will do. */
export function checkTags(text: string, catalog: ImageCatalog | undefined): Check {
	const tags = splitList(text);
	if (tags.length === 0) return {ok: true, message: 'no tag: the image stays untagged (its ID is shown)'};
	const messages: string[] = [];
	for (const tag of tags) {
		// No image has this ID yet: every existing tag is said to move.
		const check = checkTagTarget(tag, '' as Digest, catalog);
		if (!check.ok) return {ok: false, message: `${tag}: ${check.message}`};
		messages.push(check.message);
	}
	return {ok: true, message: messages.join(' · ')};
}

const argName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `K=V` pairs (or a bare `K`, taken from the environment as --build-arg K does). */
export function parseBuildArgs(text: string): {ok: true; args: Record<string, string | undefined>} | {ok: false; message: string} {
	const args: Record<string, string | undefined> = {};
	for (const item of splitList(text)) {
		const equals = item.indexOf('=');
		const name = equals === -1 ? item : item.slice(0, equals);
		if (!argName.test(name)) return {ok: false, message: `${item}: a build arg is NAME=VALUE`};
		args[name] = equals === -1 ? process.env[name] : item.slice(equals + 1);
	}
	return {ok: true, args};
}

/** Every check of the form, by field: what the form shows under each field. */
export function checkForm(form: BuildForm, cwd: string, catalog: ImageCatalog | undefined): Partial<Record<FormField, Check>> {
	const args = parseBuildArgs(form.buildArgs);
	const context = checkContext(form.context, cwd);
	return {
		context,
		dockerfile: context.ok ? checkDockerfile(form, cwd) : undefined,
		tags: checkTags(form.tags, catalog),
		buildArgs: args.ok ? {ok: true, message: Object.keys(args.args).length > 0 ? Object.keys(args.args).join(', ') : 'none'} : {ok: false, message: args.message},
		target: form.target.trim() === '' ? {ok: true, message: 'the last stage'} : /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(form.target.trim()) ? {ok: true, message: `stage ${form.target.trim()}`} : {ok: false, message: 'a stage name'},
	};
}

/** The first field that does not check out, or the build's options. */
export function formOptions(form: BuildForm, cwd: string, catalog: ImageCatalog | undefined): {ok: false; field: FormField; message: string} | {ok: true; options: BuildOptions} {
	const checks = checkForm(form, cwd, catalog);
	for (const field of formFields) {
		const check = checks[field];
		if (check && !check.ok) return {ok: false, field, message: `${fieldLabels[field]}: ${check.message}`};
	}
	const args = parseBuildArgs(form.buildArgs);
	return {
		ok: true,
		options: {
			contextDir: resolve(cwd, form.context.trim()),
			dockerfile: form.dockerfile.trim() === '' ? undefined : resolve(cwd, form.dockerfile.trim()),
			tags: splitList(form.tags),
			buildArgs: args.ok ? args.args : {},
			target: form.target.trim() || undefined,
			noCache: form.noCache,
			cwd,
		},
	};
}

/**
 * Tab on a path: completes the last part to the directory (or, for `files`, the entry) it names
 * uniquely, or to the longest prefix the candidates share, and lists them when there are several.
 */
export function completePath(text: string, cwd: string, options: {files?: boolean} = {}): {value: string; candidates: string[]} {
	const typed = text === '' ? './' : text;
	const endsWithSlash = typed.endsWith('/');
	const directoryPart = endsWithSlash ? typed : dirname(typed) === '.' && !typed.startsWith('./') ? '' : `${dirname(typed)}/`.replace(/^\/\/$/, '/');
	const prefix = endsWithSlash ? '' : typed.slice(directoryPart.length);
	let entries: {name: string; directory: boolean}[];
	try {
		entries = readdirSync(resolve(cwd, directoryPart || '.'), {withFileTypes: true}).map(entry => ({
			name: entry.name,
			directory: entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(resolve(cwd, directoryPart || '.', entry.name))),
		}));
	} catch {
		return {value: text, candidates: []};
	}
	const matching = entries
		.filter(entry => (entry.directory || options.files) && entry.name.startsWith(prefix) && (prefix.startsWith('.') || !entry.name.startsWith('.')))
		.sort((a, b) => a.name.localeCompare(b.name));
	if (matching.length === 0) return {value: text, candidates: []};
	if (matching.length === 1) {
		const only = matching[0]!;
		return {value: `${directoryPart}${only.name}${only.directory ? '/' : ''}`, candidates: []};
	}
	let common = matching[0]!.name;
	for (const entry of matching) while (!entry.name.startsWith(common)) common = common.slice(0, -1);
	return {value: `${directoryPart}${common}`, candidates: matching.map(entry => `${entry.name}${entry.directory ? '/' : ''}`)};
}

function isDirectory(path: string): boolean {
	try {
		return statSync(path).isDirectory();
	} catch {
		return false;
	}
}
