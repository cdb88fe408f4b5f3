// parseDockerfile: text to stages of typed instructions, or a StrataError naming the file and line of the
// first problem. Nothing is expanded or resolved here (see expand-instruction.ts and plan-stages.ts).
import {StrataError} from '../../errors.js';
import {parseInstruction, type FromNode} from './parse-instruction.js';
import {DockerfileProblem, dockerfileError} from './problem.js';
import {parseSyntaxTree, type SyntaxTree} from './syntax-tree.js';
import type {ArgInstruction, Dockerfile, Instruction, Stage} from './types.js';

export interface ParseOptions {
	/** The name used in messages, e.g. `Dockerfile` or `docker/app.Dockerfile`. */
	file: string;
}

export function parseDockerfile(text: string, {file}: ParseOptions): Dockerfile {
	const tree = readSyntax(text, file);
	if (tree.nodes.length === 0) throw dockerfileError(file, undefined, 'file with no instructions');
	const warnings = tree.warnings.map(warning => `${file}:${warning.line}: ${warning.message}`);
	const syntax = tree.directives.syntax;
	if (syntax !== undefined) {
		const line = tree.directiveLines.get('syntax');
		warnings.push(`${file}:${line}: the syntax directive (${syntax}) is ignored: strata reads Dockerfiles itself`);
	}

	const stages: Stage[] = [];
	const globalArgs: ArgInstruction[] = [];
	for (const node of tree.nodes) {
		const parsed = readInstruction(file, node.startLine, () => parseInstruction(node));
		if (parsed.kind === 'FROM') {
			stages.push(startStage(file, parsed, stages));
			continue;
		}
		const stage = stages[stages.length - 1];
		if (!stage) {
			if (parsed.kind === 'ARG') {
				globalArgs.push(parsed);
				continue;
			}
			throw dockerfileError(file, parsed.line, 'no build stage in current context');
		}
		warnings.push(...notesFor(file, parsed));
		stage.instructions.push(parsed);
	}
	if (stages.length === 0) throw dockerfileError(file, undefined, 'dockerfile contains no stages to build (FROM is missing)');
	return {file, directives: tree.directives, stages, globalArgs, warnings};
}

/**
 * Reads an ONBUILD trigger (an image config's OnBuild entry, or OnbuildInstruction.expression) as the
 * instruction it runs, the way Docker does when a build starts FROM that image.
 */
export function parseTrigger(expression: string, {file}: ParseOptions): Instruction {
	const tree = readSyntax(expression, file);
	if (tree.nodes.length !== 1) throw dockerfileError(file, undefined, 'onbuild trigger should be a single expression');
	const node = tree.nodes[0]!;
	const parsed = readInstruction(file, node.startLine, () => parseInstruction(node));
	if (parsed.kind === 'FROM') throw dockerfileError(file, node.startLine, "FROM isn't allowed as an ONBUILD trigger");
	return parsed;
}

function readSyntax(text: string, file: string): SyntaxTree {
	try {
		return parseSyntaxTree(text);
	} catch (error) {
		if (error instanceof DockerfileProblem) throw dockerfileError(file, error.line, error.message);
		throw error;
	}
}

function readInstruction<T>(file: string, line: number, parse: () => T): T {
	try {
		return parse();
	} catch (error) {
		if (error instanceof DockerfileProblem) throw dockerfileError(file, error.line ?? line, error.message);
		if (error instanceof StrataError) throw dockerfileError(file, line, error.message);
		throw error;
	}
}

function startStage(file: string, from: FromNode, stages: Stage[]): Stage {
	if (from.name !== undefined && stages.some(stage => stage.name === from.name)) {
		throw dockerfileError(file, from.line, `${from.name} stage name already used`);
	}
	return {
		name: from.name,
		index: stages.length,
		from: from.from,
		instructions: [],
		line: from.line,
		original: from.original,
	};
}

/** Notes for what strata accepts but does not do: BuildKit-only RUN options. */
function notesFor(file: string, instruction: Instruction): string[] {
	if (instruction.kind !== 'RUN') return [];
	const notes: string[] = [];
	for (const mount of instruction.mounts) {
		notes.push(`${file}:${instruction.line}: RUN --mount=${mount} is a BuildKit feature strata does not apply`);
	}
	for (const device of instruction.devices) {
		notes.push(`${file}:${instruction.line}: RUN --device=${device} is a BuildKit feature strata does not apply`);
	}
	if (instruction.security === 'insecure') {
		notes.push(`${file}:${instruction.line}: RUN --security=insecure is a BuildKit feature strata does not apply`);
	}
	return notes;
}
