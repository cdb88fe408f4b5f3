// What a RUN runs, heredocs included (BuildKit's dispatchRun, dockerfile frontend 1.4+): a RUN whose whole
// command is one heredoc marker (`RUN <<EOF`) runs the body with the stage's shell, or, when the body starts
// with `#!`, writes it to /dev/pipes/<name> and runs that script; any other RUN with heredocs
// (`RUN cat <<EOF > /file`, several heredocs) hands the command and its bodies back to the shell, which
// does the redirection, `<<-` tab stripping and expansion itself.
import type {ContainerConfig} from '../../image/types.js';
import {chompHeredocContent, parseHeredocMarker} from '../dockerfile/heredoc.js';
import type {Heredoc, RunInstruction} from '../dockerfile/types.js';
import {commandArgv, defaultShell} from './config-step.js';

export interface RunCommand {
	/** What the container runs. */
	argv: string[];
	/**
	 * What the history says it ran (also the cache key, so a changed body misses): argv, except for a
	 * script, whose launcher is replaced by the RUN as written with its body (`/bin/sh -c <<EOF\n#!...EOF`).
	 */
	shown: string[];
	/** `shown` on one line (newlines as `\n`), for messages. */
	display: string;
}

export function runCommand(settings: ContainerConfig, instruction: RunInstruction): RunCommand {
	const command = (argv: string[], shown = argv): RunCommand => ({argv, shown, display: shown.join(' ').replaceAll('\n', '\\n')});
	if (instruction.form === 'exec' || instruction.heredocs.length === 0) return command(commandArgv(settings, instruction));
	const shell = settings.Shell ?? defaultShell;
	const first = instruction.heredocs[0]!;
	if (!isSingleMarker(instruction.command)) return command([...shell, reconstituted(instruction.command, instruction.heredocs)]);
	const body = first.chomp ? chompHeredocContent(first.content) : first.content;
	// The expand option means nothing here, as upstream: the shell or the interpreter reads the body as is.
	if (!body.startsWith('#!')) return command([...shell, body]);
	return command([...shell, scriptLauncher(first.name, body)], [...shell, reconstituted(instruction.command, [first])]);
}

/** MustParseHeredoc on the whole command: a lone `<<EOF` (a malformed marker is no marker). */
function isSingleMarker(command: string): boolean {
	try {
		return parseHeredocMarker(command) !== undefined;
	} catch {
		return false;
	}
}

/** The command with each body and delimiter after it, as the Dockerfile wrote them: a shell heredoc again. */
function reconstituted(command: string, heredocs: readonly Heredoc[]): string {
	let full = command;
	for (const heredoc of heredocs) full += `\n${heredoc.content}${heredoc.name}`;
	return full;
}

/**
 * A shell command that writes the script and runs it as the kernel runs a `#!` file: the interpreter, its
 * one optional argument, the script's path. BuildKit mounts the script at /dev/pipes/<name>; strata's
 * containers take no extra mounts, so the script is written there from inside (/dev is a per-container
 * tmpfs that no layer ever records), or under /dev/shm for a user who may not write to /dev.
 */
function scriptLauncher(name: string, body: string): string {
	const [interpreter, argument] = shebang(body);
	const run = ['exec', shellQuote(interpreter), ...(argument === undefined ? [] : [shellQuote(argument)]), '"$f"'].join(' ');
	return [
		'd=/dev/pipes; mkdir -p "$d" 2>/dev/null || { d=/dev/shm/pipes; mkdir -p "$d"; } || exit 1',
		`f="$d"/${shellQuote(name)}`,
		`printf %s ${shellQuote(body)} > "$f" || exit 1`,
		'chmod 755 "$f" 2>/dev/null',
		run,
	].join('\n');
}

/** Linux's reading of a `#!` line: the interpreter up to the first blank, the rest (trimmed) as one argument. */
export function shebang(body: string): [interpreter: string, argument?: string] {
	const end = body.indexOf('\n');
	const line = (end === -1 ? body : body.slice(0, end)).slice(2).replace(/^[ \t]+/, '').replace(/[ \t\r]+$/, '');
	const blank = line.search(/[ \t]/);
	if (blank === -1) return [line];
	const argument = line.slice(blank).replace(/^[ \t]+/, '');
	return argument === '' ? [line.slice(0, blank)] : [line.slice(0, blank), argument];
}

/** One POSIX shell word holding `text` literally. */
function shellQuote(text: string): string {
	return `'${text.replaceAll("'", "'\\''")}'`;
}
