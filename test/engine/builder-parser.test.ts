// parseDockerfile: every instruction and form, the syntax around them (directives, comments, continuations,
// heredocs, JSON fallback) and every error with its message and line. Expected values follow BuildKit's
// parser (frontend/dockerfile/parser testfiles, parser_heredoc_test.go) and what Docker 28's classic builder
// answered for the same Dockerfiles.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {StrataError} from '../../source/engine/errors.js';
import {parseDockerfile, parseTrigger} from '../../source/engine/builder/dockerfile/parse-dockerfile.js';
import type {Dockerfile, Instruction} from '../../source/engine/builder/dockerfile/types.js';

function parse(text: string): Dockerfile {
	return parseDockerfile(text, {file: 'Dockerfile'});
}

/** The first instruction of `FROM scratch` + text. */
function only(text: string): Instruction {
	return parse(`FROM scratch\n${text}\n`).stages[0]!.instructions[0]!;
}

/** The fields of `actual` that `expected` names. */
function pick(actual: object, expected: object): Record<string, unknown> {
	return Object.fromEntries(Object.keys(expected).map(key => [key, (actual as Record<string, unknown>)[key]]));
}

function assertFails(text: string, message: string) {
	assert.throws(
		() => parse(text),
		(error: unknown) => {
			assert.ok(error instanceof StrataError, `expected a StrataError for ${JSON.stringify(text)}`);
			assert.equal(error.message, message);
			return true;
		},
	);
}

describe('parseDockerfile instructions', () => {
	const table: Array<[source: string, expected: Record<string, unknown>]> = [
		['RUN echo hi', {kind: 'RUN', form: 'shell', command: 'echo hi', network: 'default', security: 'sandbox', flagsUsed: []}],
		['RUN ["echo", "hi"]', {kind: 'RUN', form: 'exec', command: ['echo', 'hi']}],
		['RUN [ "echo" ,	"hi" ]', {kind: 'RUN', form: 'exec', command: ['echo', 'hi']}],
		['run lower case works', {kind: 'RUN', command: 'lower case works'}],
		['RUN echo $HOME ${X:-y}', {kind: 'RUN', command: 'echo $HOME ${X:-y}'}],
		[
			'RUN --mount=type=cache,target=/c --mount=type=tmpfs,target=/t --network=none --security=insecure make',
			{
				command: 'make',
				mounts: ['type=cache,target=/c', 'type=tmpfs,target=/t'],
				network: 'none',
				security: 'insecure',
				flagsUsed: ['mount', 'network', 'security'],
			},
		],
		['CMD echo hi', {kind: 'CMD', form: 'shell', command: 'echo hi'}],
		['CMD ["sh"]', {kind: 'CMD', form: 'exec', command: ['sh']}],
		['CMD []', {kind: 'CMD', form: 'exec', command: []}],
		['CMD [""]', {kind: 'CMD', form: 'exec', command: ['']}],
		['CMD', {kind: 'CMD', form: 'shell', command: ''}],
		// Invalid JSON falls back to the shell form, as Docker does.
		['CMD [bad json', {kind: 'CMD', form: 'shell', command: '[bad json'}],
		["CMD ['single', 'quotes']", {form: 'shell', command: "['single', 'quotes']"}],
		['CMD ["unterminated]', {form: 'shell', command: '["unterminated]'}],
		['CMD ["a"] trailing', {form: 'shell', command: '["a"] trailing'}],
		['CMD ["\\" \\\\ \\/ \\n \\u0041"]', {form: 'exec', command: ['" \\ / \n A']}],
		['ENTRYPOINT ["/bin/app", "--flag"]', {kind: 'ENTRYPOINT', form: 'exec', command: ['/bin/app', '--flag']}],
		['ENTRYPOINT []', {kind: 'ENTRYPOINT', form: 'exec', command: []}],
		['ENTRYPOINT exec app', {kind: 'ENTRYPOINT', form: 'shell', command: 'exec app'}],
		['SHELL ["/bin/bash", "-o", "pipefail", "-c"]', {kind: 'SHELL', shell: ['/bin/bash', '-o', 'pipefail', '-c']}],
		[
			'LABEL a=1 "b c"="d e"',
			{kind: 'LABEL', pairs: [{key: 'a', value: '1', noDelimiter: false}, {key: '"b c"', value: '"d e"', noDelimiter: false}]},
		],
		['LABEL maintainer Some One <one@example.com>', {pairs: [{key: 'maintainer', value: 'Some One <one@example.com>', noDelimiter: true}]}],
		['MAINTAINER Some One <one@example.com>', {kind: 'MAINTAINER', maintainer: 'Some One <one@example.com>'}],
		['EXPOSE 8080 80/tcp 443/udp $PORT', {kind: 'EXPOSE', ports: ['$PORT', '443/udp', '80/tcp', '8080']}],
		['ENV A=1 B="two words" C=\'$A\' D=\\$A', {
			kind: 'ENV',
			pairs: [
				{key: 'A', value: '1', noDelimiter: false},
				{key: 'B', value: '"two words"', noDelimiter: false},
				{key: 'C', value: "'$A'", noDelimiter: false},
				{key: 'D', value: '\\$A', noDelimiter: false},
			],
		}],
		['ENV PATH /usr/local/bin:$PATH', {pairs: [{key: 'PATH', value: '/usr/local/bin:$PATH', noDelimiter: true}]}],
		['ENV name=value\\ value2 name2=', {pairs: [{key: 'name', value: 'value\\ value2', noDelimiter: false}, {key: 'name2', value: '', noDelimiter: false}]}],
		['ADD a.tar.gz https://example.com/x.txt /dest/', {kind: 'ADD', sources: ['a.tar.gz', 'https://example.com/x.txt'], destination: '/dest/', link: false}],
		['ADD --chown=app:app --chmod=640 --link --checksum=sha256:abc --keep-git-dir --unpack=false a /b', {
			chown: 'app:app',
			chmod: '640',
			link: true,
			checksum: 'sha256:abc',
			keepGitDir: true,
			unpack: false,
		}],
		['ADD ["a b", "/c d"]', {sources: ['a b'], destination: '/c d'}],
		['COPY *.go go.mod /src/', {kind: 'COPY', sources: ['*.go', 'go.mod'], destination: '/src/', from: undefined, parents: false}],
		['COPY --from=builder --chown=1000:1000 --chmod=755 --link /out/app /usr/bin/app', {
			from: 'builder',
			chown: '1000:1000',
			chmod: '755',
			link: true,
			sources: ['/out/app'],
			destination: '/usr/bin/app',
		}],
		['COPY --from=0 --exclude=*.md --exclude=tests --parents a /b/', {from: '0', excludes: ['*.md', 'tests'], parents: true}],
		['COPY --link=false a b', {link: false}],
		['COPY ["with space", "/dest"]', {sources: ['with space'], destination: '/dest'}],
		['COPY -- --weird /dest', {sources: ['--weird'], destination: '/dest', flags: []}],
		['VOLUME /data /logs', {kind: 'VOLUME', volumes: ['/data', '/logs']}],
		['VOLUME ["/data", "/var/log"]', {volumes: ['/data', '/var/log']}],
		['USER app:app', {kind: 'USER', user: 'app:app'}],
		['WORKDIR /app dir', {kind: 'WORKDIR', path: '/app dir'}],
		['ARG VERSION', {kind: 'ARG', args: [{key: 'VERSION'}]}],
		['ARG A=1 B="x y" C=', {args: [{key: 'A', value: '1'}, {key: 'B', value: '"x y"'}, {key: 'C', value: ''}]}],
		['ARG HTTP_PROXY', {args: [{key: 'HTTP_PROXY'}]}],
		['ONBUILD RUN echo ${V}', {kind: 'ONBUILD', expression: 'RUN echo ${V}'}],
		['onbuild   copy . /app', {expression: 'copy . /app'}],
		['STOPSIGNAL SIGKILL', {kind: 'STOPSIGNAL', signal: 'SIGKILL'}],
		['HEALTHCHECK NONE', {kind: 'HEALTHCHECK', healthcheck: {Test: ['NONE']}}],
		['HEALTHCHECK CMD curl -f http://localhost/ || exit 1', {healthcheck: {Test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1']}}],
		['HEALTHCHECK --timeout=3s CMD ["check", "--quiet"]', {healthcheck: {Test: ['CMD', 'check', '--quiet'], Timeout: 3_000_000_000}}],
		[
			'HEALTHCHECK --interval=1m30s --timeout=500ms --start-period=2s --start-interval=1.5s --retries=4 CMD x',
			{
				healthcheck: {
					Test: ['CMD-SHELL', 'x'],
					Interval: 90_000_000_000,
					Timeout: 500_000_000,
					StartPeriod: 2_000_000_000,
					StartInterval: 1_500_000_000,
					Retries: 4,
				},
			},
		],
		['HEALTHCHECK --interval=0s --retries=0 CMD x', {healthcheck: {Test: ['CMD-SHELL', 'x']}}],
		['healthcheck cmd x', {healthcheck: {Test: ['CMD-SHELL', 'x']}}],
	];
	for (const [source, expected] of table) {
		it(source, () => {
			const instruction = only(source);
			assert.deepEqual(pick(instruction, expected), expected);
		});
	}

	it('records the line and the original text of each instruction', () => {
		const dockerfile = parse('FROM scratch\n\n  RUN   echo   hi  \nCMD ["x"]\n');
		const [run, cmd] = dockerfile.stages[0]!.instructions;
		assert.deepEqual(pick(run!, {line: 0, endLine: 0, original: ''}), {line: 3, endLine: 3, original: 'RUN   echo   hi'});
		assert.deepEqual(pick(cmd!, {line: 0, original: ''}), {line: 4, original: 'CMD ["x"]'});
	});
});

describe('parseDockerfile stages', () => {
	it('splits stages at FROM, names them in lowercase, keeps ARGs before the first FROM', () => {
		const dockerfile = parse(
			'ARG BASE=alpine\nARG TAG\nFROM --platform=$BUILDPLATFORM ${BASE}:${TAG} AS Build\nRUN make\nfrom scratch\nCOPY --from=build /out /\n',
		);
		assert.equal(dockerfile.globalArgs.length, 2);
		assert.deepEqual(dockerfile.globalArgs[1]!.args, [{key: 'TAG'}]);
		assert.equal(dockerfile.stages.length, 2);
		const [build, final] = dockerfile.stages;
		assert.deepEqual(
			{name: build!.name, index: build!.index, from: build!.from, line: build!.line, original: build!.original},
			{
				name: 'build',
				index: 0,
				from: {image: '${BASE}:${TAG}', platform: '$BUILDPLATFORM'},
				line: 3,
				original: 'FROM --platform=$BUILDPLATFORM ${BASE}:${TAG} AS Build',
			},
		);
		assert.equal(build!.instructions.length, 1);
		assert.deepEqual({name: final!.name, index: final!.index, from: final!.from}, {name: undefined, index: 1, from: {image: 'scratch', platform: undefined}});
	});
});

describe('parseDockerfile syntax', () => {
	it('joins continuation lines and skips comments and blank lines inside them', () => {
		const dockerfile = parse('FROM scratch\nRUN apt-get update && \\\n  # a comment\n\n  apt-get install -y \\\n    curl\nCMD x\n');
		const [run, cmd] = dockerfile.stages[0]!.instructions;
		assert.deepEqual(pick(run!, {command: '', line: 0, endLine: 0}), {
			command: 'apt-get update &&   apt-get install -y     curl',
			line: 2,
			endLine: 6,
		});
		assert.equal(cmd!.line, 7);
		assert.deepEqual(dockerfile.warnings, [
			'Dockerfile:2: empty continuation line found in: RUN apt-get update &&   apt-get install -y     curl (empty continuation lines will become errors in a future release)',
		]);
	});

	it('keeps an escaped escape token at the end of a line', () => {
		const run = only('RUN echo \\\\');
		assert.equal((run as {command: string}).command, 'echo \\\\');
	});

	it('continues a line that ends the file', () => {
		const dockerfile = parse('FROM alpine:3.5\n\nRUN something \\');
		assert.equal((dockerfile.stages[0]!.instructions[0] as {command: string}).command, 'something');
	});

	it('uses the backtick from `# escape=`` for continuations, keeping backslashes literal', () => {
		const dockerfile = parse('# escape=`\n\nFROM image\nRUN dir c:\\ `\n  /w\nENV GOPATH `\n\\go\n');
		assert.equal(dockerfile.directives.escape, '`');
		const [run, env] = dockerfile.stages[0]!.instructions;
		assert.equal((run as {command: string}).command, 'dir c:\\   /w');
		assert.deepEqual((env as {pairs: unknown}).pairs, [{key: 'GOPATH', value: '\\go', noDelimiter: true}]);
	});

	it('looks for directives only before any other line', () => {
		const afterComment = parse('# a comment\n# escape=`\nFROM image\n');
		assert.equal(afterComment.directives.escape, '\\');
		const afterBlank = parse('\n# escape=`\nFROM image\n');
		assert.equal(afterBlank.directives.escape, '\\');
		const both = parse('#escape = `\n# syntax=docker/dockerfile:1.7\n# check=skip=all\nFROM image\n');
		assert.deepEqual(both.directives, {escape: '`', syntax: 'docker/dockerfile:1.7', check: 'skip=all'});
	});

	it('accepts `# syntax=` with a note and ignores it', () => {
		const dockerfile = parse('# syntax=docker/dockerfile:1\nFROM scratch\n');
		assert.deepEqual(dockerfile.warnings, [
			'Dockerfile:1: the syntax directive (docker/dockerfile:1) is ignored: strata reads Dockerfiles itself',
		]);
	});

	it('strips a byte-order mark and CRLF line endings', () => {
		const dockerfile = parse('\ufeffFROM scratch\r\nRUN a \\\r\n b\r\n');
		assert.equal(dockerfile.stages[0]!.from.image, 'scratch');
		assert.equal((dockerfile.stages[0]!.instructions[0] as {command: string}).command, 'a  b');
	});

	it('notes BuildKit-only RUN flags', () => {
		const dockerfile = parse('FROM scratch\nRUN --mount=type=cache,target=/c --device=/dev/fuse make\n');
		assert.deepEqual(dockerfile.warnings, [
			'Dockerfile:2: RUN --mount=type=cache,target=/c is a BuildKit feature strata does not apply',
			'Dockerfile:2: RUN --device=/dev/fuse is a BuildKit feature strata does not apply',
		]);
	});
});

describe('parseDockerfile heredocs', () => {
	function heredocsOf(text: string) {
		const instruction = only(text) as {heredocs: unknown};
		return instruction.heredocs;
	}

	const table: Array<[source: string, expected: unknown]> = [
		['RUN <<EMPTY\nEMPTY', [{name: 'EMPTY', content: '', chomp: false, expand: true, fileDescriptor: 0}]],
		['RUN 3<<EMPTY2\nEMPTY2', [{name: 'EMPTY2', content: '', chomp: false, expand: true, fileDescriptor: 3}]],
		['RUN "<<NOHEREDOC"', []],
		['RUN <<INDENT\n\tfoo\n\tbar\nINDENT', [{name: 'INDENT', content: '\tfoo\n\tbar\n', chomp: false, expand: true, fileDescriptor: 0}]],
		['RUN <<-UNINDENT2\n\tbaz\n\tquux\n\tUNINDENT2', [{name: 'UNINDENT2', content: '\tbaz\n\tquux\n', chomp: true, expand: true, fileDescriptor: 0}]],
		["RUN <<-'NOEXPAND'\n\tdon't expand $NAME\nNOEXPAND", [{name: 'NOEXPAND', content: "\tdon't expand $NAME\n", chomp: true, expand: false, fileDescriptor: 0}]],
		['RUN <<COMMENT\n# internal comment\necho hi # trailing\nCOMMENT', [{name: 'COMMENT', content: '# internal comment\necho hi # trailing\n', chomp: false, expand: true, fileDescriptor: 0}]],
		['RUN --mount=type=cache,target=/foo <<MOUNT\necho hello\nMOUNT', [{name: 'MOUNT', content: 'echo hello\n', chomp: false, expand: true, fileDescriptor: 0}]],
		["RUN <<eo'f'\necho foo\neof", [{name: 'eof', content: 'echo foo\n', chomp: false, expand: false, fileDescriptor: 0}]],
		["RUN <<eo\\'f\necho foo\neo'f", [{name: "eo'f", content: 'echo foo\n', chomp: false, expand: true, fileDescriptor: 0}]],
		["RUN <<'one two'\necho bar\none two", [{name: 'one two', content: 'echo bar\n', chomp: false, expand: false, fileDescriptor: 0}]],
		['RUN <<  EOF  > foo\nEOF', [{name: 'EOF', content: '', chomp: false, expand: true, fileDescriptor: 0}]],
		['RUN ["<<EOF"]', []],
	];
	for (const [source, expected] of table) {
		it(JSON.stringify(source), () => assert.deepEqual(heredocsOf(source), expected));
	}

	it('reads COPY heredocs as inline sources, body order following the markers', () => {
		const copy = only('COPY <<X <<-"Y" a /dest/\nY\nX\n\t$X\n\tY');
		assert.deepEqual(pick(copy, {sources: [], destination: '', heredocs: []}), {
			sources: ['a'],
			destination: '/dest/',
			heredocs: [
				{name: 'X', content: 'Y\n', expand: true},
				{name: 'Y', content: '$X\n', expand: false},
			],
		});
	});

	it('keeps the RUN line and the lines after the body apart', () => {
		const dockerfile = parse('FROM scratch\nRUN <<EOF python3\nprint("hi")\nEOF\nCMD done\n');
		const [run, cmd] = dockerfile.stages[0]!.instructions;
		assert.deepEqual(pick(run!, {command: '', line: 0, endLine: 0}), {command: '<<EOF python3', line: 2, endLine: 4});
		assert.deepEqual(pick(cmd!, {command: '', line: 0}), {command: 'done', line: 5});
	});

	it('stores ONBUILD heredocs in the trigger expression', () => {
		const onbuild = only('ONBUILD RUN <<EOF\necho hi\nEOF');
		assert.equal((onbuild as {expression: string}).expression, 'RUN <<EOF\necho hi\nEOF');
	});
});

describe('parseTrigger', () => {
	it('reads an ONBUILD expression as its instruction', () => {
		const trigger = parseTrigger('RUN <<EOF\necho hi\nEOF', {file: 'ONBUILD'});
		assert.deepEqual(pick(trigger, {kind: '', command: '', heredocs: []}), {
			kind: 'RUN',
			command: '<<EOF',
			heredocs: [{name: 'EOF', content: 'echo hi\n', chomp: false, expand: true, fileDescriptor: 0}],
		});
	});

	it('refuses FROM and unknown instructions', () => {
		assert.throws(() => parseTrigger('FROM x', {file: 'ONBUILD'}), {message: "ONBUILD:1: FROM isn't allowed as an ONBUILD trigger"});
		assert.throws(() => parseTrigger('RUNN x', {file: 'ONBUILD'}), {message: 'ONBUILD:1: unknown instruction: RUNN'});
	});
});

describe('parseDockerfile errors', () => {
	const table: Array<[source: string, message: string]> = [
		['FROM scratch\n\n\n\n\n\nRUNN x\n', 'Dockerfile:7: unknown instruction: RUNN'],
		['', 'Dockerfile: file with no instructions'],
		['# only a comment\n\n', 'Dockerfile: file with no instructions'],
		['ARG A\nARG B\n', 'Dockerfile: dockerfile contains no stages to build (FROM is missing)'],
		['ARG A\nRUN x\nFROM scratch\n', 'Dockerfile:2: no build stage in current context'],
		['FROM\n', 'Dockerfile:1: FROM requires either one or three arguments'],
		['FROM a b\n', 'Dockerfile:1: FROM requires either one or three arguments'],
		['FROM a AS 1st\n', 'Dockerfile:1: invalid name for build stage: "1st", name can\'t start with a number or contain symbols'],
		['FROM a AS b\nFROM c AS B\n', 'Dockerfile:2: b stage name already used'],
		['FROM --bogus=1 a\n', 'Dockerfile:1: unknown flag: --bogus'],
		['FROM scratch\nRUN\n', 'Dockerfile:2: RUN requires at least one argument'],
		['FROM scratch\nRUN --network=bridge x\n', 'Dockerfile:2: invalid network mode "bridge"'],
		['FROM scratch\nRUN --security=root x\n', 'Dockerfile:2: security "root" is not valid'],
		['FROM scratch\nRUN --network x\n', 'Dockerfile:2: missing a value on flag: --network'],
		['FROM scratch\nCOPY a\n', 'Dockerfile:2: COPY requires at least two arguments, but only one was provided. Destination could not be determined'],
		['FROM scratch\nADD a\n', 'Dockerfile:2: ADD requires at least two arguments, but only one was provided. Destination could not be determined'],
		['FROM scratch\nCOPY --chown a b\n', 'Dockerfile:2: missing a value on flag: --chown'],
		['FROM scratch\nCOPY --link=maybe a b\n', 'Dockerfile:2: expecting boolean value for flag --link, not: maybe'],
		['FROM scratch\nCOPY --link= a b\n', 'Dockerfile:2: missing a value on flag: --link'],
		['FROM scratch\nCOPY --from=a --from=b x y\n', 'Dockerfile:2: duplicate flag specified: --from'],
		['FROM scratch\nCOPY x <<EOF\nEOF\n', 'Dockerfile:2: COPY cannot accept a heredoc as a destination'],
		['FROM scratch\nENV\n', 'Dockerfile:2: ENV requires at least one argument'],
		['FROM scratch\nENV ONLYKEY\n', 'Dockerfile:2: ENV must have two arguments'],
		['FROM scratch\nENV A=1 B\n', 'Dockerfile:2: Syntax error - can\'t find = in "B". Must be of the form: name=value'],
		['FROM scratch\nENV =x\n', 'Dockerfile:2: ENV names can not be blank'],
		['FROM scratch\nLABEL x\n', 'Dockerfile:2: LABEL must have two arguments'],
		['FROM scratch\nMAINTAINER\n', 'Dockerfile:2: MAINTAINER requires exactly one argument'],
		['FROM scratch\nEXPOSE\n', 'Dockerfile:2: EXPOSE requires at least one argument'],
		['FROM scratch\nVOLUME\n', 'Dockerfile:2: VOLUME requires at least one argument'],
		['FROM scratch\nVOLUME ["/a", " "]\n', 'Dockerfile:2: VOLUME specified can not be an empty string'],
		['FROM scratch\nUSER\n', 'Dockerfile:2: USER requires exactly one argument'],
		['FROM scratch\nWORKDIR\n', 'Dockerfile:2: WORKDIR requires exactly one argument'],
		['FROM scratch\nSTOPSIGNAL\n', 'Dockerfile:2: STOPSIGNAL requires exactly one argument'],
		['FROM scratch\nARG\n', 'Dockerfile:2: ARG requires at least one argument'],
		['FROM scratch\nARG =x\n', 'Dockerfile:2: ARG names can not be blank'],
		['FROM scratch\nONBUILD\n', 'Dockerfile:2: ONBUILD requires at least one argument'],
		['FROM scratch\nONBUILD ONBUILD RUN x\n', "Dockerfile:2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"],
		['FROM scratch\nONBUILD MAINTAINER me\n', "Dockerfile:2: MAINTAINER isn't allowed as an ONBUILD trigger"],
		['FROM scratch\nSHELL sh -c\n', 'Dockerfile:2: SHELL requires the arguments to be in JSON form'],
		['FROM scratch\nSHELL []\n', 'Dockerfile:2: SHELL requires at least one argument'],
		['FROM scratch\nCMD ["a", 1]\n', 'Dockerfile:2: when using JSON array syntax, arrays must be comprised of strings only'],
		['FROM scratch\nHEALTHCHECK\n', 'Dockerfile:2: HEALTHCHECK requires at least one argument'],
		['FROM scratch\nHEALTHCHECK NONE x\n', 'Dockerfile:2: HEALTHCHECK NONE takes no arguments'],
		['FROM scratch\nHEALTHCHECK CMD\n', 'Dockerfile:2: Missing command after HEALTHCHECK CMD'],
		['FROM scratch\nHEALTHCHECK CONNECT TCP 7000\n', 'Dockerfile:2: Unknown type "CONNECT" in HEALTHCHECK (try CMD)'],
		['FROM scratch\nHEALTHCHECK --interval=1us CMD x\n', 'Dockerfile:2: Interval "interval" cannot be less than 1ms'],
		['FROM scratch\nHEALTHCHECK --timeout=-5s CMD x\n', 'Dockerfile:2: Interval "timeout" cannot be less than 1ms'],
		['FROM scratch\nHEALTHCHECK --interval=5 CMD x\n', 'Dockerfile:2: time: missing unit in duration "5"'],
		['FROM scratch\nHEALTHCHECK --interval=5y CMD x\n', 'Dockerfile:2: time: unknown unit "y" in duration "5y"'],
		['FROM scratch\nHEALTHCHECK --interval=abc CMD x\n', 'Dockerfile:2: time: invalid duration "abc"'],
		['FROM scratch\nHEALTHCHECK --retries=-1 CMD x\n', 'Dockerfile:2: --retries cannot be negative (-1)'],
		['FROM scratch\nHEALTHCHECK --retries=x CMD x\n', 'Dockerfile:2: strconv.ParseInt: parsing "x": invalid syntax'],
		['FROM scratch\nCMD --doit x\n', 'Dockerfile:2: unknown flag: --doit'],
		['FROM scratch\nRUN <<EOF\nnever ends\n', 'Dockerfile:2: unterminated heredoc'],
		['# escape=x\nFROM a\n', "Dockerfile:1: invalid escape token 'x' does not match ` or \\"],
		['# escape=`\n# escape=`\nFROM a\n', 'Dockerfile:2: only one escape parser directive can be used'],
	];
	for (const [source, message] of table) {
		it(message, () => assertFails(source, message));
	}

	it('uses the given file name', () => {
		assert.throws(() => parseDockerfile('FROM a\nRUNN\n', {file: 'app/Containerfile'}), {
			message: 'app/Containerfile:2: unknown instruction: RUNN',
		});
	});

	it('reports a syntax error before an earlier instruction error, as Docker does', () => {
		assertFails('FROM scratch\nRUNN x\nRUN <<EOF\n', 'Dockerfile:3: unterminated heredoc');
	});
});
