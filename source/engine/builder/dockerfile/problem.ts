import {StrataError} from '../../errors.js';

/**
 * A Dockerfile mistake found below the level that knows the file and line; whoever does catches it and
 * reports it as `Dockerfile:LINE: message`.
 */
export class DockerfileProblem extends Error {
	constructor(
		message: string,
		/** 1-based line, when the thrower knows it. */
		readonly line?: number,
	) {
		super(message);
		this.name = 'DockerfileProblem';
	}
}

/** The user-facing error: `Dockerfile:7: unknown instruction: RUNN`, or `Dockerfile: problem` without a line. */
export function dockerfileError(file: string, line: number | undefined, message: string): StrataError {
	return new StrataError(line === undefined ? `${file}: ${message}` : `${file}:${line}: ${message}`);
}
