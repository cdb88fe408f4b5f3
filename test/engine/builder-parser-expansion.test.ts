// Docker's word expansion (expandWord/expandWords, BuildKit's shell lexer) and where it applies
// (expandInstruction). The tables are BuildKit's own: frontend/dockerfile/shell/envVarTest (Unix rows),
// wordsTest and lex_test.go, so `$FOO`, `${FOO:-bar}`, `'$FOO'`, `\$FOO` and `"${FOO}"` mean what they mean
// to `docker build`.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {StrataError} from '../../source/engine/errors.js';
import {expandInstruction} from '../../source/engine/builder/dockerfile/expand-instruction.js';
import {parseDockerfile} from '../../source/engine/builder/dockerfile/parse-dockerfile.js';
import {expandWord, expandWords, processWord} from '../../source/engine/builder/dockerfile/shell-lexer.js';
import type {Instruction} from '../../source/engine/builder/dockerfile/types.js';

// BuildKit's envVarTest: input, then the expansion (undefined: an error). Env PWD=/home SHELL=bash KOREAN=한국어 NULL=''.
const envVarTest: Array<[input: string, expected: string | undefined]> = [
	['hello', 'hello'],
	['he\'ll\'o', 'hello'],
	['he\'llo', undefined],
	['he\\\'llo', 'he\'llo'],
	['he\\\\\'llo', undefined],
	['abc\\tdef', 'abctdef'],
	['"abc\\tdef"', 'abc\\tdef'],
	['"abc\\\\tdef"', 'abc\\tdef'],
	['\'abc\\tdef\'', 'abc\\tdef'],
	['hello\\', 'hello'],
	['hello\\\\', 'hello\\'],
	['"hello', undefined],
	['"hello\\"', undefined],
	['"hel\'lo"', 'hel\'lo'],
	['\'hello', undefined],
	['\'hello\\\'', 'hello\\'],
	['\'hello\\there\'', 'hello\\there'],
	['\'hello\\\\there\'', 'hello\\\\there'],
	['"\'\'"', '\'\''],
	['$.', '$.'],
	['he$1x', 'hex'],
	['he$.x', 'he$.x'],
	['he$pwd.', 'he.'],
	['he$PWD', 'he/home'],
	['he\\$PWD', 'he$PWD'],
	['he\\\\$PWD', 'he\\/home'],
	['"he\\$PWD"', 'he$PWD'],
	['"he\\\\$PWD"', 'he\\/home'],
	['\\${}', '${}'],
	['\\${}aaa', '${}aaa'],
	['he\\${}', 'he${}'],
	['he\\${}xx', 'he${}xx'],
	['${}', undefined],
	['${}aaa', undefined],
	['he${}', undefined],
	['he${}xx', undefined],
	['he${hi}', 'he'],
	['he${hi}xx', 'hexx'],
	['he${PWD}', 'he/home'],
	['he${.}', undefined],
	['he${XXX:-000}xx', 'he000xx'],
	['he${PWD:-000}xx', 'he/homexx'],
	['he${XXX:-$PWD}xx', 'he/homexx'],
	['he${XXX:-${PWD:-yyy}}xx', 'he/homexx'],
	['he${XXX:-${YYY:-yyy}}xx', 'heyyyxx'],
	['he${XXX:YYY}', undefined],
	['he${XXX?}', undefined],
	['he${XXX:?}', undefined],
	['he${PWD?}', 'he/home'],
	['he${PWD:?}', 'he/home'],
	['he${NULL?}', 'he'],
	['he${NULL:?}', undefined],
	['he${XXX:+${PWD}}xx', 'hexx'],
	['he${PWD:+${XXX}}xx', 'hexx'],
	['he${PWD:+${SHELL}}xx', 'hebashxx'],
	['he${XXX:+000}xx', 'hexx'],
	['he${PWD:+000}xx', 'he000xx'],
	['\'he${XX}\'', 'he${XX}'],
	['"he${PWD}"', 'he/home'],
	['"he\'$PWD\'"', 'he\'/home\''],
	['"$PWD"', '/home'],
	['\'$PWD\'', '$PWD'],
	['\'\\$PWD\'', '\\$PWD'],
	['\'"hello"\'', '"hello"'],
	['he\\$PWD', 'he$PWD'],
	['"he\\$PWD"', 'he$PWD'],
	['\'he\\$PWD\'', 'he\\$PWD'],
	['he${PWD', undefined],
	['he${PWD:=000}xx', undefined],
	['he${PWD:+${PWD}:}xx', 'he/home:xx'],
	['he${XXX:-\\$PWD:}xx', 'he$PWD:xx'],
	['he${XXX:-\\${PWD}z}xx', 'he${PWDz}xx'],
	['안녕하세요', '안녕하세요'],
	['안\'녕\'하세요', '안녕하세요'],
	['안\'녕하세요', undefined],
	['안녕\\\'하세요', '안녕\'하세요'],
	['안\\\\\'녕하세요', undefined],
	['안녕\\t하세요', '안녕t하세요'],
	['"안녕\\t하세요"', '안녕\\t하세요'],
	['\'안녕\\t하세요', undefined],
	['안녕하세요\\', '안녕하세요'],
	['안녕하세요\\\\', '안녕하세요\\'],
	['"안녕하세요', undefined],
	['"안녕하세요\\"', undefined],
	['"안녕\'하세요"', '안녕\'하세요'],
	['\'안녕하세요', undefined],
	['\'안녕하세요\\\'', '안녕하세요\\'],
	['안녕$1x', '안녕x'],
	['안녕$.x', '안녕$.x'],
	['안녕$pwd.', '안녕.'],
	['안녕$PWD', '안녕/home'],
	['안녕\\$PWD', '안녕$PWD'],
	['안녕\\\\$PWD', '안녕\\/home'],
	['안녕\\${}', '안녕${}'],
	['안녕\\${}xx', '안녕${}xx'],
	['안녕${}', undefined],
	['안녕${}xx', undefined],
	['안녕${hi}', '안녕'],
	['안녕${hi}xx', '안녕xx'],
	['안녕${PWD}', '안녕/home'],
	['안녕${.}', undefined],
	['안녕${XXX:-000}xx', '안녕000xx'],
	['안녕${PWD:-000}xx', '안녕/homexx'],
	['안녕${XXX:-$PWD}xx', '안녕/homexx'],
	['안녕${XXX:-${PWD:-yyy}}xx', '안녕/homexx'],
	['안녕${XXX:-${YYY:-yyy}}xx', '안녕yyyxx'],
	['안녕${XXX:YYY}', undefined],
	['안녕${XXX:+${PWD}}xx', '안녕xx'],
	['안녕${PWD:+${XXX}}xx', '안녕xx'],
	['안녕${PWD:+${SHELL}}xx', '안녕bashxx'],
	['안녕${XXX:+000}xx', '안녕xx'],
	['안녕${PWD:+000}xx', '안녕000xx'],
	['\'안녕${XX}\'', '안녕${XX}'],
	['"안녕${PWD}"', '안녕/home'],
	['"안녕\'$PWD\'"', '안녕\'/home\''],
	['\'"안녕"\'', '"안녕"'],
	['안녕\\$PWD', '안녕$PWD'],
	['"안녕\\$PWD"', '안녕$PWD'],
	['\'안녕\\$PWD\'', '안녕\\$PWD'],
	['안녕${PWD', undefined],
	['안녕${PWD:=000}xx', undefined],
	['안녕${PWD:+${PWD}:}xx', '안녕/home:xx'],
	['안녕${XXX:-\\$PWD:}xx', '안녕$PWD:xx'],
	['안녕${XXX:-\\${PWD}z}xx', '안녕${PWDz}xx'],
	['$KOREAN', '한국어'],
	['안녕$KOREAN', '안녕한국어'],
	['${{aaa}', undefined],
	['${aaa}}', '}'],
	['${aaa', undefined],
	['${{aaa:-bbb}', undefined],
	['${aaa:-bbb}}', 'bbb}'],
	['${aaa:-bbb', undefined],
	['${aaa:-bbb}', 'bbb'],
	['${aaa:-${bbb:-ccc}}', 'ccc'],
	['${aaa:-bbb ${foo}', undefined],
	['${aaa:-bbb {foo}', 'bbb {foo'],
	['${:}', undefined],
	['${:-bbb}', undefined],
	['${:+bbb}', undefined],
	['$1', ''],
	['${1}', ''],
	['${1:+bbb}', ''],
	['${1:-bbb}', 'bbb'],
	['$2', ''],
	['${2}', ''],
	['${2:+bbb}', ''],
	['${2:-bbb}', 'bbb'],
	['$3', ''],
	['${3}', ''],
	['${3:+bbb}', ''],
	['${3:-bbb}', 'bbb'],
	['$4', ''],
	['${4}', ''],
	['${4:+bbb}', ''],
	['${4:-bbb}', 'bbb'],
	['$5', ''],
	['${5}', ''],
	['${5:+bbb}', ''],
	['${5:-bbb}', 'bbb'],
	['$6', ''],
	['${6}', ''],
	['${6:+bbb}', ''],
	['${6:-bbb}', 'bbb'],
	['$7', ''],
	['${7}', ''],
	['${7:+bbb}', ''],
	['${7:-bbb}', 'bbb'],
	['$8', ''],
	['${8}', ''],
	['${8:+bbb}', ''],
	['${8:-bbb}', 'bbb'],
	['$9', ''],
	['${9}', ''],
	['${9:+bbb}', ''],
	['${9:-bbb}', 'bbb'],
	['$999', ''],
	['${999}', ''],
	['${999:+bbb}', ''],
	['${999:-bbb}', 'bbb'],
	['$999aaa', 'aaa'],
	['${999}aaa', 'aaa'],
	['${999:+bbb}aaa', 'aaa'],
	['${999:-bbb}aaa', 'bbbaaa'],
	['$001', ''],
	['${001}', ''],
	['${001:+bbb}', ''],
	['${001:-bbb}', 'bbb'],
	['$001aaa', 'aaa'],
	['${001}aaa', 'aaa'],
	['${001:+bbb}aaa', 'aaa'],
	['${001:-bbb}aaa', 'bbbaaa'],
	['$@', ''],
	['${@}', ''],
	['${@:+bbb}', ''],
	['${@:-bbb}', 'bbb'],
	['$@@@', '@@'],
	['$@aaa', 'aaa'],
	['${@}aaa', 'aaa'],
	['${@:+bbb}aaa', 'aaa'],
	['${@:-bbb}aaa', 'bbbaaa'],
	['$*', ''],
	['${*}', ''],
	['${*:+bbb}', ''],
	['${*:-bbb}', 'bbb'],
	['$#', ''],
	['${#}', ''],
	['${#:+bbb}', ''],
	['${#:-bbb}', 'bbb'],
	['$?', ''],
	['${?}', ''],
	['${?:+bbb}', ''],
	['${?:-bbb}', 'bbb'],
	['$-', ''],
	['${-}', ''],
	['${-:+bbb}', ''],
	['${-:-bbb}', 'bbb'],
	['$$', ''],
	['${$}', ''],
	['${$:+bbb}', ''],
	['${$:-bbb}', 'bbb'],
	['$!', ''],
	['${!}', ''],
	['${!:+bbb}', ''],
	['${!:-bbb}', 'bbb'],
	['$0', ''],
	['${0}', ''],
	['${0:+bbb}', ''],
	['${0:-bbb}', 'bbb'],
];

// BuildKit's wordsTest: ENV lines add to the environment of the lines after them; ['error'] means an error.
const wordsTest: Array<{env: [string, string]} | {input: string; words: string[]}> = [
	{input: 'hello', words: ['hello']},
	{input: 'hello${hi}bye', words: ['hellobye']},
	{env: ['hi', 'hi']},
	{input: 'hello${hi}bye', words: ['hellohibye']},
	{env: ['space', 'abc  def']},
	{input: 'hello${space}bye', words: ['helloabc', 'defbye']},
	{input: 'hello"${space}"bye', words: ['helloabc  defbye']},
	{input: 'hello "${space}"bye', words: ['hello', 'abc  defbye']},
	{env: ['leading', '  ab c']},
	{input: 'hello${leading}def', words: ['hello', 'ab', 'cdef']},
	{input: 'hello"${leading}" def', words: ['hello  ab c', 'def']},
	{input: 'hello"${leading}"', words: ['hello  ab c']},
	{input: 'hello${leading}', words: ['hello', 'ab', 'c']},
	{env: ['trailing', 'ab c   ']},
	{input: 'hello${trailing}', words: ['helloab', 'c']},
	{input: 'hello${trailing}d', words: ['helloab', 'c', 'd']},
	{input: 'hello"${trailing}"d', words: ['helloab c   d']},
	{input: 'hel"lo${trailing}"', words: ['helloab c   ']},
	{input: 'hello" there  "', words: ['hello there  ']},
	{input: 'hello there', words: ['hello', 'there']},
	{input: 'hello\\ there', words: ['hello there']},
	{input: 'hello" there', words: ['error']},
	{input: 'hello\\" there', words: ['hello"', 'there']},
	{input: 'hello"\\\\there"', words: ['hello\\there']},
	{input: 'hello"\\there"', words: ['hello\\there']},
	{input: 'hello\'\\\\there\'', words: ['hello\\\\there']},
	{input: 'hello\'\\there\'', words: ['hello\\there']},
	{input: 'hello\'$there\'', words: ['hello$there']},
];

describe('expandWord: BuildKit envVarTest', () => {
	const env = new Map([
		['PWD', '/home'],
		['SHELL', 'bash'],
		['KOREAN', '한국어'],
		['NULL', ''],
	]);
	for (const [input, expected] of envVarTest) {
		it(`${input} -> ${expected ?? 'error'}`, () => {
			if (expected === undefined) assert.throws(() => expandWord(input, env), StrataError);
			else assert.equal(expandWord(input, env), expected);
		});
	}
});

describe('expandWords: BuildKit wordsTest', () => {
	const env = new Map<string, string>();
	for (const row of wordsTest) {
		if ('env' in row) {
			env.set(row.env[0], row.env[1]);
			continue;
		}
		const snapshot = new Map(env);
		it(`${row.input} -> ${row.words.join(',')}`, () => {
			if (row.words.length === 1 && row.words[0] === 'error') assert.throws(() => expandWords(row.input, snapshot), StrataError);
			else assert.deepEqual(expandWords(row.input, snapshot), row.words);
		});
	}
});

describe('processWord: modifiers and the variables they use (lex_test.go)', () => {
	const table: Array<{input: string; env: Record<string, string>; expected?: string; matched?: string[]; unmatched?: string[]}> = [
		{input: 'x ${UNUSED}', env: {DUMMY: 'dummy'}, expected: 'x ', matched: [], unmatched: ['UNUSED']},
		{input: '${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}', env: {FOO: 'xxx', BAR: ''}, expected: 'xxx  ccc', matched: ['FOO', 'BAR'], unmatched: ['BAZ']},
		{input: '${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}', env: {FOO: 'xxx', BAR: ''}, expected: 'xxx bbb ccc', matched: ['FOO', 'BAR'], unmatched: ['BAZ']},
		{input: '${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}', env: {FOO: 'xxx', BAR: ''}, expected: 'aaa bbb ', matched: ['FOO', 'BAR'], unmatched: ['BAZ']},
		{input: '${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}', env: {FOO: 'xxx', BAR: ''}, expected: 'aaa  ', matched: ['FOO', 'BAR'], unmatched: ['BAZ']},
		{input: '${FOO?aaa}', env: {FOO: 'xxx'}, expected: 'xxx', matched: ['FOO']},
		{input: '${BAR?bbb}', env: {BAR: ''}, expected: '', matched: ['BAR']},
		{input: '${BAZ?ccc}', env: {}},
		{input: '${BAR:?bbb}', env: {BAR: ''}},
		{input: '${FOO=aaa}', env: {FOO: 'xxx'}},
		{input: '${FOO#()[]{\\}^$.\\*\\?|\\\\}', env: {FOO: '()[]{}^$.*?|\\x'}, expected: 'x'},
		{input: '${FOO%%\\**}', env: {FOO: 'xx**'}, expected: 'xx'},
		{input: '${FOO#*x*y}', env: {FOO: 'xxyy'}, expected: 'y'},
		{input: '${FOO#*}', env: {FOO: 'xxyy'}, expected: 'xxyy'},
		{input: '${FOO#$BAR}', env: {FOO: 'xxyy', BAR: 'x'}, expected: 'xyy', matched: ['FOO', 'BAR']},
		{input: '${FOO##*x}', env: {FOO: 'xxyy'}, expected: 'yy'},
		{input: '${FOO#?\\?}', env: {FOO: '???y'}, expected: '?y'},
		{input: '${ABC:-.}${FOO%x}${ABC:-.}', env: {FOO: 'xxyy'}, expected: '.xxyy.', matched: ['FOO'], unmatched: ['ABC']},
		{input: '${FOO%%\\**\\*}', env: {FOO: 'a***yy*'}, expected: 'a'},
		{input: '${FOO:#}', env: {}},
		{input: '${FOO:%%}', env: {}},
		{input: '${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}', env: {FOO: '/foo*/*/*.txt', NEEDLE: '\\*/'}, expected: '/foo.*/*.txt - /foo..*.txt'},
		{input: '${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}', env: {FOO: '/tmp/tmp/bar.txt', NEEDLE: '/tmp'}, expected: '/tmp/bar.txt - /bar.txt'},
		{input: '${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}', env: {FOO: '/a/foo/b/c.txt', NEEDLE: '/?/', REPLACEMENT: '/'}, expected: '/foo/b/c.txt - /foo/c.txt'},
		{input: '${FOO//\\//\\/}', env: {FOO: '/tmp/foo.txt'}, expected: '\\/tmp\\/foo.txt'},
		{input: '${FOO/$BAR/ww}', env: {FOO: 'xxyy', BAR: ''}, expected: 'wwxxyy'},
		{input: '${FOO//ww}', env: {FOO: 'xxyy'}},
		{input: '${FOO///}', env: {FOO: 'xxyy'}, expected: 'xxyy'},
		{
			input: 'something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz',
			env: {VERSION: 'v1.2.3', TARGETOS: 'linux', TARGETARCH: 'arm', TARGETVARIANT: 'v7'},
			expected: 'something-v1.2.3.linux-arm-v7.tar.gz',
		},
	];
	for (const row of table) {
		it(`${row.input} -> ${row.expected ?? 'error'}`, () => {
			if (row.expected === undefined) {
				assert.throws(() => processWord(row.input, row.env), StrataError);
				return;
			}
			const result = processWord(row.input, row.env);
			assert.equal(result.result, row.expected);
			if (row.matched) assert.deepEqual([...result.matched].sort(), [...row.matched].sort());
			if (row.unmatched) assert.deepEqual([...result.unmatched].sort(), [...row.unmatched].sort());
		});
	}

	it('${VAR?msg} and ${VAR:?msg} fail with the message, expanded', () => {
		const noEmpty = '${VAR:?message here$ARG}';
		const noUnset = '${VAR?message here$ARG}';
		assert.equal(expandWord(noEmpty, {VAR: 'plain', ARG: 'x'}), 'plain');
		assert.throws(() => expandWord(noEmpty, {VAR: '', ARG: 'x'}), {
			message: 'failed to process "${VAR:?message here$ARG}": VAR: message herex',
		});
		assert.throws(() => expandWord(noEmpty, {ARG: 'x'}), /VAR: message herex/);
		assert.equal(expandWord(noUnset, {VAR: '', ARG: 'x'}), '');
		assert.throws(() => expandWord(noUnset, {ARG: 'x'}), /VAR: message herex/);
		assert.throws(() => expandWord('${X?}', {}), {message: 'failed to process "${X?}": X: is not allowed to be unset'});
		assert.throws(() => expandWord('${X:?}', {X: ''}), {message: 'failed to process "${X:?}": X: is not allowed to be empty'});
	});

	it('reports syntax errors in one line, quoting the word the Go way', () => {
		assert.throws(() => expandWord('a\n${B', {}), {message: 'failed to process "a\\n${B": unsupported modifier (\uFFFD) in substitution'});
		assert.throws(() => expandWord('${}', {}), {message: 'failed to process "${}": syntax error: bad substitution'});
		assert.throws(() => expandWord('"open', {}), {
			message: 'failed to process "\\"open": unexpected end of statement while looking for matching double-quote',
		});
	});

	it('honours the backtick escape token', () => {
		assert.equal(expandWord('c:\\dir`$HOME', {HOME: '/root'}, {escape: '`'}), 'c:\\dir$HOME');
		assert.equal(expandWord('"a`"b"', {}, {escape: '`'}), 'a"b');
		assert.equal(expandWord('a\\b', {}, {escape: '`'}), 'a\\b');
	});

	it('leaves unset variables alone when asked (SkipUnsetEnv)', () => {
		assert.equal(expandWord('$A ${B} ${C:-x} $D', {D: 'd'}, {skipUnsetEnv: true}), '$A ${B} ${C:-x} d');
	});
});

describe('expandInstruction', () => {
	function instruction(line: string): Instruction {
		return parseDockerfile(`FROM scratch\n${line}\n`, {file: 'Dockerfile'}).stages[0]!.instructions[0]!;
	}
	const options = {file: 'Dockerfile', escape: '\\'};
	const env = {V: '1.0', PORTS: '80 443/udp', EMPTY: '', HOME: '/root'};

	it('expands ENV keys and values, removing quotes', () => {
		const expanded = expandInstruction(instruction('ENV A=${V}-x B="two words" C=\'$V\' D=\\$V E=${UNSET:-def}'), env, options);
		assert.deepEqual(
			(expanded as {pairs: unknown}).pairs,
			[
				{key: 'A', value: '1.0-x', noDelimiter: false},
				{key: 'B', value: 'two words', noDelimiter: false},
				{key: 'C', value: '$V', noDelimiter: false},
				{key: 'D', value: '$V', noDelimiter: false},
				{key: 'E', value: 'def', noDelimiter: false},
			],
		);
	});

	it('expands LABEL, USER, WORKDIR, STOPSIGNAL, VOLUME and ARG', () => {
		const label = expandInstruction(instruction('LABEL "com.x"="${V}" q="a \\"b\\""'), env, options);
		assert.deepEqual((label as {pairs: unknown}).pairs, [
			{key: 'com.x', value: '1.0', noDelimiter: false},
			{key: 'q', value: 'a "b"', noDelimiter: false},
		]);
		assert.equal((expandInstruction(instruction('USER ${U:-nobody}:$V'), env, options) as {user: string}).user, 'nobody:1.0');
		assert.equal((expandInstruction(instruction('WORKDIR $HOME/app'), env, options) as {path: string}).path, '/root/app');
		assert.equal((expandInstruction(instruction('STOPSIGNAL SIG${S:-TERM}'), env, options) as {signal: string}).signal, 'SIGTERM');
		assert.deepEqual((expandInstruction(instruction('VOLUME ["/data/$V", "/b"]'), env, options) as {volumes: string[]}).volumes, ['/data/1.0', '/b']);
		assert.deepEqual((expandInstruction(instruction('ARG X=$V Y'), env, options) as {args: unknown}).args, [{key: 'X', value: '1.0'}, {key: 'Y', value: undefined}]);
	});

	it('splits EXPOSE words after expansion', () => {
		const expose = expandInstruction(instruction('EXPOSE $PORTS 8080'), env, options);
		assert.deepEqual((expose as {ports: string[]}).ports, ['80', '443/udp', '8080']);
	});

	it('expands COPY sources, destination, --chown and --chmod but never --from; heredoc bodies keep their quotes', () => {
		const copy = expandInstruction(
			instruction('COPY --from=$V --chown=${U:-1}:1 --chmod=7${M:-55} <<EOF <<\'RAW\' src-$V/ "/dest-$V/"\n"$V" \'$HOME\'\nEOF\n$V\nRAW'),
			env,
			options,
		);
		const {kind, from, chown, chmod, sources, destination, heredocs} = copy as Extract<Instruction, {kind: 'COPY'}>;
		assert.deepEqual(
			{kind, from, chown, chmod, sources, destination, heredocs},
			{
				kind: 'COPY',
				from: '$V',
				chown: '1:1',
				chmod: '755',
				sources: ['src-1.0/'],
				destination: '/dest-1.0/',
				heredocs: [
					{name: 'EOF', content: '"1.0" \'/root\'\n', expand: true},
					{name: 'RAW', content: '$V\n', expand: false},
				],
			},
		);
	});

	it('leaves RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK and ONBUILD as written', () => {
		for (const line of ['RUN echo $V', 'CMD echo $V', 'ENTRYPOINT ["$V"]', 'SHELL ["$V"]', 'HEALTHCHECK CMD $V', 'ONBUILD RUN $V', 'MAINTAINER $V']) {
			const original = instruction(line);
			assert.deepEqual(expandInstruction(original, env, options), original);
		}
	});

	it('names the file and line of a failed expansion', () => {
		const env2 = parseDockerfile('FROM scratch\n\nENV A=${NOPE:?must_be_set}\n', {file: 'Dockerfile'}).stages[0]!.instructions[0]!;
		assert.throws(() => expandInstruction(env2, {}, options), {
			message: 'Dockerfile:3: failed to process "${NOPE:?must_be_set}": NOPE: must_be_set',
		});
	});
});
