// Reading .dockerignore (moby/patternmatcher/ignorefile): BOM stripped, lines starting with `#` skipped,
// whitespace trimmed, `!` exceptions kept, each pattern cleaned and one leading `/` dropped.
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {StrataError} from '../../errors.js';
import {goClean} from './go-path.js';
import {PatternMatcher} from './pattern-matcher.js';

export function readIgnorePatterns(text: string): string[] {
	const patterns: string[] = [];
	const lines = text.split('\n');
	// A final newline does not start another line.
	if (lines[lines.length - 1] === '') lines.pop();
	lines.forEach((raw, index) => {
		let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
		if (index === 0 && line.startsWith('\ufeff')) line = line.slice(1);
		// Only a `#` in the first column starts a comment.
		if (line.startsWith('#')) return;
		let pattern = line.trim();
		if (pattern === '') return;
		const invert = pattern.startsWith('!');
		if (invert) pattern = pattern.slice(1).trim();
		if (pattern !== '') {
			pattern = goClean(pattern);
			if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
		}
		patterns.push(invert ? `!${pattern}` : pattern);
	});
	return patterns;
}

/** The context's .dockerignore as a matcher (one that matches nothing when there is no such file). */
export async function loadDockerignore(contextDir: string): Promise<PatternMatcher> {
	let text: string;
	try {
		text = await readFile(join(contextDir, '.dockerignore'), 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return new PatternMatcher([]);
		throw new StrataError(`error reading .dockerignore: ${(error as Error).message}`);
	}
	try {
		return new PatternMatcher(readIgnorePatterns(text));
	} catch (error) {
		if (error instanceof StrataError) throw new StrataError(`error checking context: ${error.message}`);
		throw error;
	}
}
