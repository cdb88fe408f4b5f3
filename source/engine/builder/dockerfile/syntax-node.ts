/** A heredoc attached to RUN, COPY or ADD (`<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`). */
export interface Heredoc {
	/** The delimiter word, quotes removed. */
	name: string;
	/** The body: every line up to the delimiter, newlines included; `<<-` tabs are stripped later, where used. */
	content: string;
	/** `<<-`: leading tabs are stripped from the body and the delimiter line. */
	chomp: boolean;
	/** False when any part of the delimiter was quoted: the body is then taken literally. */
	expand: boolean;
	/** The file descriptor written before `<<` (`3<<EOF`), 0 when none. */
	fileDescriptor: number;
}

/**
 * One instruction as the Dockerfile's syntax sees it, before its arguments mean anything (BuildKit's
 * parser.Node): the command word, the `--flags`, and the arguments split the way that command splits them.
 */
export interface SyntaxNode {
	/** The instruction word as written (`run`, `RUN`...). */
	command: string;
	/** `--name=value` words between the instruction and its arguments. */
	flags: string[];
	/**
	 * The arguments: JSON array items, whitespace-separated words, the whole rest as one string, or for ENV
	 * and LABEL triples of key, value and `=` (empty for the old `KEY value` form).
	 */
	args: string[];
	/** The arguments came from a valid JSON array (exec form). */
	json: boolean;
	/** ONBUILD's trigger. */
	trigger?: SyntaxNode;
	heredocs: Heredoc[];
	/** The instruction as one line: continuations joined, comments inside them dropped. */
	original: string;
	startLine: number;
	endLine: number;
}
