import {StrataError} from '../../../engine/errors.js';

/**
 * Ends the CLI with a container's exit code and no message of its own (`run`, `start -a`, `exec` exit
 * with the code of what ran, as `docker` does). runCli prints nothing for an empty message.
 */
export class ExitStatus extends StrataError {
	constructor(code: number) {
		super('', code);
	}
}

export function exitWith(code: number): void {
	if (code !== 0) throw new ExitStatus(code);
}
