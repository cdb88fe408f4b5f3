// .dockerignore matching: a port of moby/patternmatcher. Each pattern becomes an anchored match where `*` is
// `[^/]*`, `?` is `[^/]`, `**` any number of directories (`**/foo` also matches `foo`); a path is excluded if
// it or one of its parents matches, and the last matching pattern wins, so `!` exceptions re-include.
import {StrataError} from '../../errors.js';
import {BadPatternError, goClean, goMatch} from './go-path.js';

type MatchType = 'exact' | 'prefix' | 'suffix' | 'regexp';

/** One cleaned pattern; `exclusion` is a `!` exception. */
export class Pattern {
	private matchType?: MatchType;
	private regexp?: RegExp;
	/** The pattern split on `/` (used by the deprecated one-parent check). */
	readonly dirs: string[];

	constructor(
		/** The cleaned pattern without its `!`. */
		readonly text: string,
		readonly exclusion: boolean,
	) {
		this.dirs = text.split('/');
	}

	matches(path: string): boolean {
		if (this.matchType === undefined) this.compile();
		switch (this.matchType) {
			case 'exact':
				return path === this.text;
			case 'prefix':
				return path.startsWith(this.text.slice(0, -2));
			case 'suffix': {
				const suffix = this.text.slice(2);
				if (path.endsWith(suffix)) return true;
				return suffix.startsWith('/') && path === suffix.slice(1);
			}
			default:
				return this.regexp!.test(path);
		}
	}

	/**
	 * Picks the cheapest way to match, as upstream: exact text, a `foo**` prefix, a `**foo` suffix (only when
	 * nothing after the leading `**` is a wildcard), or a regular expression.
	 */
	private compile(): void {
		const chars = Array.from(this.text);
		let source = '^';
		let type: MatchType = 'exact';
		for (let index = 0, step = 0; index < chars.length; index++, step++) {
			const char = chars[index]!;
			if (char === '*') {
				if (chars[index + 1] === '*') {
					index++;
					if (chars[index + 1] === '/') index++;
					if (index + 1 >= chars.length) {
						// A trailing `**` accepts everything below, as in .gitignore.
						if (type === 'exact') type = 'prefix';
						else {
							source += '.*';
							type = 'regexp';
						}
					} else {
						source += '(.*/)?';
						type = 'regexp';
					}
					if (step === 0) type = 'suffix';
				} else {
					source += '[^/]*';
					type = 'regexp';
				}
			} else if (char === '?') {
				source += '[^/]';
				type = 'regexp';
			} else if ('.+()|{}$'.includes(char)) {
				source += `\\${char}`;
			} else if (char === '\\') {
				const next = chars[index + 1];
				if (next === undefined) {
					source += '\\';
				} else {
					source += `\\${next}`;
					index++;
					type = 'regexp';
				}
			} else if (char === '[' || char === ']') {
				source += char;
				type = 'regexp';
			} else {
				source += char;
			}
		}
		if (type === 'regexp') this.regexp = goRegexp(`${source}$`);
		this.matchType = type;
	}
}

/**
 * Compiles the Go regular expression upstream builds. Go and JavaScript read it alike except for escapes
 * (`\x` of any character is that character here, as in filepath.Match) and for `]` right after `[`, which
 * Go takes literally; both are rewritten so JavaScript's unicode mode accepts them.
 */
function goRegexp(source: string): RegExp {
	let out = '';
	let inClass = false;
	let classStart = 0;
	const chars = Array.from(source);
	for (let index = 0; index < chars.length; index++) {
		const char = chars[index]!;
		if (char === '\\' && index + 1 < chars.length) {
			out += literal(chars[++index]!);
		} else if (char === '\\') {
			throw new StrataError('syntax error in pattern');
		} else if (!inClass && char === '[') {
			inClass = true;
			out += char;
			classStart = index + 1;
			if (chars[index + 1] === '^') {
				out += '^';
				index++;
				classStart++;
			}
		} else if (inClass && char === ']' && index !== classStart) {
			inClass = false;
			out += char;
		} else if (inClass && (char === '[' || char === ']')) {
			out += `\\${char}`;
		} else if (!inClass && char === ']') {
			out += '\\]';
		} else if (!inClass && char === '.') {
			// Only the `.*` this file adds are bare dots (literal dots arrive escaped); Go's `.` stops only at \n.
			out += '[^\\n]';
		} else {
			out += char;
		}
	}
	try {
		return new RegExp(out, 'u');
	} catch {
		throw new StrataError('syntax error in pattern');
	}
}

function literal(char: string): string {
	return `\\u{${char.codePointAt(0)!.toString(16)}}`;
}

/** Per-pattern results for a directory, handed to its children while walking (patternmatcher's MatchInfo). */
export type MatchInfo = readonly boolean[];

export class PatternMatcher {
	readonly patterns: readonly Pattern[];
	/** Whether any pattern is a `!` exception. */
	readonly hasExclusions: boolean;

	/** Patterns as patternmatcher.New takes them: trimmed, cleaned, `!` for exceptions; empty lines skipped. */
	constructor(patterns: readonly string[] = []) {
		const compiled: Pattern[] = [];
		for (const raw of patterns) {
			let text = raw.trim();
			if (text === '') continue;
			text = goClean(text);
			let exclusion = false;
			if (text.startsWith('!')) {
				if (text.length === 1) throw new StrataError('illegal exclusion pattern: "!"');
				exclusion = true;
				text = text.slice(1);
			}
			try {
				goMatch(text, '.');
			} catch (error) {
				if (error instanceof BadPatternError) throw new StrataError(error.message);
				throw error;
			}
			const pattern = new Pattern(text, exclusion);
			// Upstream compiles on first use; compiling now reports a bad pattern before any file is read.
			pattern.matches('');
			compiled.push(pattern);
		}
		this.patterns = compiled;
		this.hasExclusions = compiled.some(pattern => pattern.exclusion);
	}

	/** The patterns as written to build this matcher again (`!` restored). */
	get source(): string[] {
		return this.patterns.map(pattern => (pattern.exclusion ? `!${pattern.text}` : pattern.text));
	}

	/**
	 * Whether a slash-separated path relative to the context is excluded: it or one of its parents matches a
	 * pattern, and no later exception re-includes it (MatchesOrParentMatches).
	 */
	matches(path: string): boolean {
		const parents = parentChain(path);
		let matched = false;
		for (const pattern of this.patterns) {
			// An exclusion only matters once something matched; an inclusion only while nothing has.
			if (pattern.exclusion !== matched) continue;
			let match = pattern.matches(path);
			if (!match) match = parents.some(parent => pattern.matches(parent));
			if (match) matched = !pattern.exclusion;
		}
		return matched;
	}

	/**
	 * The deprecated patternmatcher.Matches, which checks only the parent as deep as the pattern: the Docker
	 * CLI still uses it to decide whether the Dockerfile and .dockerignore need re-including.
	 */
	matchesShallow(path: string): boolean {
		const file = goClean(path);
		if (file === '.') return false;
		const slash = file.lastIndexOf('/');
		const parentDirs = slash === -1 ? undefined : file.slice(0, slash).split('/');
		let matched = false;
		for (const pattern of this.patterns) {
			if (pattern.exclusion !== matched) continue;
			let match = pattern.matches(file);
			if (!match && parentDirs && pattern.dirs.length <= parentDirs.length) {
				match = pattern.matches(parentDirs.slice(0, pattern.dirs.length).join('/'));
			}
			if (match) matched = !pattern.exclusion;
		}
		return matched;
	}

	/**
	 * The walker's form (MatchesUsingParentResults): given the parent directory's per-pattern results, decides
	 * the path and returns its own results for its children. Without parent results it checks parents itself.
	 */
	matchesWithParent(path: string, parent?: MatchInfo): {excluded: boolean; info: MatchInfo} {
		const info: boolean[] = new Array(this.patterns.length).fill(false);
		let matched = false;
		this.patterns.forEach((pattern, index) => {
			let match = parent?.[index] ?? false;
			if (!match) {
				if (pattern.exclusion !== matched) return;
				match = pattern.matches(path);
				if (!match && parent === undefined) match = parentChain(path).some(dir => pattern.matches(dir));
			}
			info[index] = match;
			if (match) matched = !pattern.exclusion;
		});
		return {excluded: matched, info};
	}

	/**
	 * Whether the walk may skip an excluded directory without looking inside: true unless some exception
	 * pattern starts with the directory's path (the archiver's check, which is textual, so an exception like
	 * `!**\/keep` does not stop the skip).
	 */
	excludedDirCanBeSkipped(dir: string): boolean {
		if (!this.hasExclusions) return true;
		const prefix = `${dir}/`;
		return !this.patterns.some(pattern => pattern.exclusion && `${pattern.text}/`.startsWith(prefix));
	}
}

/** `a`, `a/b` for `a/b/c`: every proper parent, top first. */
function parentChain(path: string): string[] {
	const parts = path.split('/');
	const parents: string[] = [];
	for (let length = 1; length < parts.length; length++) parents.push(parts.slice(0, length).join('/'));
	return parents;
}
