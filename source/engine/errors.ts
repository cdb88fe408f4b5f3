/**
 * An error a user caused or can act on: bad input, a missing reference, a conflict.
 * Faces print its message as one line and exit non-zero; anything else is a bug.
 */
export class StrataError extends Error {
	constructor(message: string, readonly exitCode = 1) {
		super(message);
		this.name = 'StrataError';
	}
}
