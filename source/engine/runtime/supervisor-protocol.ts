/**
 * How the supervisor connects the container to its starter:
 * detached: output only to container.log, the supervisor in its own session (`run -d`, `start`);
 * attached: output to container.log and to the starter's stdout/stderr (`run`, `start -a`);
 * tty: the runtime allocates a terminal and copies between it and the starter's terminal, with resize
 * (`run -it`); the output is not logged.
 */
export type SupervisorMode = 'detached' | 'attached' | 'tty';

/** The container's stdin: none (/dev/null), the starter's (inherit, `-i`), or a pipe held open and never written (`-di`). */
export type SupervisorStdin = 'none' | 'inherit' | 'hold';

/** The one line the supervisor writes on fd 3. */
export type StartReport = {started: number} | {failed: string; exitCode: number};

/** Docker's exit codes for a container that could not start: 127 command not found, 126 not executable, 125 anything else. */
export function startFailureExitCode(message: string): number {
	if (/executable file not found|no such file or directory/i.test(message)) return 127;
	if (/permission denied/i.test(message)) return 126;
	return 125;
}
