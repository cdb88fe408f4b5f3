// Parser directives (`# escape=`, `# syntax=`, `# check=`): comments at the very top of the Dockerfile. The
// first line that is not one (an instruction, an empty line, any other comment) ends the search, as in
// BuildKit's DirectiveParser.
import {DockerfileProblem} from './problem.js';

export interface Directives {
	/** The escape token: `\` unless `# escape=\`` chose the backtick. */
	escape: string;
	/** `# syntax=`: a BuildKit frontend image; strata accepts it and uses its own parser. */
	syntax?: string;
	/** `# check=`: BuildKit lint settings; accepted and not applied. */
	check?: string;
}

const known = new Set(['syntax', 'escape', 'check']);
// Go's \s is ASCII [\t\n\f\r ] only.
const directivePattern = /^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$/;

export class DirectiveScanner {
	readonly directives: Directives = {escape: '\\'};
	/** Lines (1-based) where each directive was found. */
	readonly lines = new Map<string, number>();
	private done = false;
	private readonly seen = new Set<string>();

	/** Looks at one line (leading whitespace already gone); returns whether it was a directive. */
	scan(line: string, lineNumber: number): boolean {
		if (this.done) return false;
		if (!line.startsWith('#')) {
			this.done = true;
			return false;
		}
		const match = directivePattern.exec(line.slice(1).replace(/^\s+/u, ''));
		const name = match?.[1]!.toLowerCase();
		if (!match || name === undefined || !known.has(name)) {
			this.done = true;
			return false;
		}
		if (this.seen.has(name)) throw new DockerfileProblem(`only one ${name} parser directive can be used`, lineNumber);
		this.seen.add(name);
		this.lines.set(name, lineNumber);
		const value = match[2]!;
		if (name === 'escape') {
			if (value !== '`' && value !== '\\') {
				throw new DockerfileProblem(`invalid escape token '${value}' does not match \` or \\`, lineNumber);
			}
			this.directives.escape = value;
		} else if (name === 'syntax') {
			this.directives.syntax = value;
		} else {
			this.directives.check = value;
		}
		return true;
	}
}
