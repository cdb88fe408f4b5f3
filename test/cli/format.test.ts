import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {displayWidth} from '../../source/cli/format/display-width.js';
import {ellipsis} from '../../source/cli/format/ellipsis.js';
import {formatGoFloat} from '../../source/cli/format/go-float.js';
import {toIndentedJson, toJsonLines} from '../../source/cli/format/json.js';
import {formatTable} from '../../source/cli/format/tabwriter.js';
import {
	bytesSize,
	createdSince,
	historyCreatedSince,
	humanDuration,
	humanSize,
	rfc3339Seconds,
} from '../../source/cli/format/units.js';

// Expected strings below were produced by the Go code the Docker CLI runs (go-units, fmt, encoding/json,
// the CLI's tabwriter fork with go-runewidth) and are pinned here character for character.

const lines = (...text: string[]) => text.map(line => `${line}\n`).join('');

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;
const week = 7 * day;
const month = 30 * day;
const year = 365 * day;

function withTimeZone(timeZone: string, run: () => void): void {
	const previous = process.env.TZ;
	process.env.TZ = timeZone;
	try {
		run();
	} finally {
		if (previous === undefined) delete process.env.TZ;
		else process.env.TZ = previous;
	}
}

describe('humanSize (go-units HumanSizeWithPrecision(size, 3))', () => {
	const cases: [number, string][] = [
		[0, '0B'],
		[1, '1B'],
		[999, '999B'],
		[1000, '1kB'],
		[1023, '1.02kB'],
		[1024, '1.02kB'],
		[1250, '1.25kB'],
		[4_260_000, '4.26MB'],
		[182_964_289, '183MB'],
		[1_500_000_000, '1.5GB'],
		[999_499, '999kB'],
		[-1, '-1B'],
		[1e30, '1e+06YB'],
	];
	for (const [bytes, expected] of cases) {
		it(`${bytes} → ${expected}`, () => assert.equal(humanSize(bytes), expected));
	}

	it('rounds an exact tie half to even, like Go (not half up like toPrecision)', () => {
		assert.equal(humanSize(1125), '1.12kB');
		assert.equal(humanSize(1135), '1.14kB');
		assert.equal(humanSize(1145), '1.15kB');
		assert.equal(humanSize(1155), '1.16kB');
	});

	it('switches to Go exponent notation when rounding reaches 1000 of a unit', () => {
		assert.equal(humanSize(999_500), '1e+03kB');
		assert.equal(humanSize(999_600), '1e+03kB');
		assert.equal(humanSize(999_999), '1e+03kB');
	});
});

describe('bytesSize (go-units BytesSize)', () => {
	const kib = 1024;
	const mib = kib * 1024;
	const gib = mib * 1024;
	const tib = gib * 1024;
	const pib = tib * 1024;
	const cases: [number, string][] = [
		[0, '0B'],
		[1000, '1000B'],
		[1023, '1023B'],
		[1024, '1KiB'],
		[1125, '1.099KiB'],
		[1024 * 1024, '1MiB'],
		[2 * mib, '2MiB'],
		[4_260_000, '4.063MiB'],
		[182_964_289, '174.5MiB'],
		[3.42 * gib, '3.42GiB'],
		[5.372 * tib, '5.372TiB'],
		[2.22 * pib, '2.22PiB'],
		[1048576 * 1023.99, '1024MiB'],
		[kib * kib * kib * kib * kib * pib, '1.049e+06YiB'],
	];
	for (const [bytes, expected] of cases) {
		it(`${bytes} → ${expected}`, () => assert.equal(bytesSize(bytes), expected));
	}
});

describe('formatGoFloat (fmt %.Ng)', () => {
	it('drops trailing zeros and uses two-digit exponents', () => {
		assert.equal(formatGoFloat(1.5, 3), '1.5');
		assert.equal(formatGoFloat(100, 3), '100');
		assert.equal(formatGoFloat(1000, 3), '1e+03');
		assert.equal(formatGoFloat(123456, 4), '1.235e+05');
		assert.equal(formatGoFloat(0.0001234, 3), '0.000123');
		assert.equal(formatGoFloat(0.00001234, 3), '1.23e-05');
		assert.equal(formatGoFloat(0, 3), '0');
	});

	it('prints non-finite values as Go does', () => {
		assert.equal(formatGoFloat(Infinity, 3), '+Inf');
		assert.equal(formatGoFloat(-Infinity, 3), '-Inf');
		assert.equal(formatGoFloat(Number.NaN, 3), 'NaN');
	});
});

describe('humanDuration (go-units HumanDuration)', () => {
	const cases: [number, string][] = [
		[450, 'Less than a second'],
		[-5 * second, 'Less than a second'],
		[1 * second, '1 second'],
		[45 * second, '45 seconds'],
		[59 * second, '59 seconds'],
		[60 * second, 'About a minute'],
		[119 * second, 'About a minute'],
		[3 * minute, '3 minutes'],
		[35 * minute + 40 * second, '35 minutes'],
		[59 * minute, '59 minutes'],
		[1 * hour, 'About an hour'],
		[1 * hour + 29 * minute, 'About an hour'],
		[1 * hour + 31 * minute, '2 hours'],
		[1 * hour + 59 * minute, '2 hours'],
		[3 * hour + 29 * minute, '3 hours'],
		[3 * hour + 31 * minute, '4 hours'],
		[24 * hour, '24 hours'],
		[1 * day + 12 * hour, '36 hours'],
		[2 * day, '2 days'],
		[13 * day + 5 * hour, '13 days'],
		[2 * week, '2 weeks'],
		[2 * week + 4 * day, '2 weeks'],
		[4 * week + 3 * day, '4 weeks'],
		[1 * month, '4 weeks'],
		[1 * month + 2 * week, '6 weeks'],
		[2 * month, '2 months'],
		[5 * month + 2 * week, '5 months'],
		[23 * month, '23 months'],
		[24 * month, '24 months'],
		[24 * month + 2 * week, '2 years'],
		[3 * year + 2 * month, '3 years'],
	];
	for (const [milliseconds, expected] of cases) {
		it(`${milliseconds}ms → ${expected}`, () => assert.equal(humanDuration(milliseconds), expected));
	}
});

describe('createdSince', () => {
	const now = Date.UTC(2024, 2, 15, 12, 0, 0);

	it('appends " ago" to the human duration since the creation time', () => {
		assert.equal(createdSince(new Date(now - 2 * week), now), '2 weeks ago');
		assert.equal(createdSince(new Date(now - 70 * second), new Date(now)), 'About a minute ago');
		assert.equal(createdSince(now - 3 * year, now), '3 years ago');
		assert.equal(createdSince(now + hour, now), 'Less than a second ago');
	});

	it('cuts the creation time to whole seconds first, as the Docker API carries it', () => {
		// created 12:00:00.900 → 12:00:00; now 12:00:01.500 → 1.5 s
		assert.equal(createdSince(now + 900, now + 1500), '1 second ago');
		// created 11:59:00.900 → 11:59:00; 60.1 s
		assert.equal(createdSince(now - minute + 900, now + 100), 'About a minute ago');
	});

	it('says N/A for an invalid date and defaults now to the current time', () => {
		assert.equal(createdSince(new Date(Number.NaN)), 'N/A');
		assert.equal(createdSince(new Date(Date.now() - 3 * hour)), '3 hours ago');
	});
});

describe('historyCreatedSince', () => {
	const now = Date.UTC(2024, 2, 15, 12, 0, 0);

	it('prints N/A for creation times at or before 2000-01-01 UTC, like docker history', () => {
		assert.equal(historyCreatedSince(0, now), 'N/A');
		assert.equal(historyCreatedSince(new Date('1999-12-31T23:59:59Z'), now), 'N/A');
		assert.equal(historyCreatedSince(new Date('2000-01-01T00:00:00.999Z'), now), 'N/A');
		assert.equal(historyCreatedSince(new Date(Number.NaN), now), 'N/A');
	});

	it('is createdSince for later times', () => {
		assert.equal(historyCreatedSince(new Date('2000-01-01T00:00:01Z'), now), '24 years ago');
		assert.equal(historyCreatedSince(new Date(now - 2 * week), now), '2 weeks ago');
	});
});

describe('rfc3339Seconds (Go time.RFC3339 in the local zone)', () => {
	const instant = new Date('2024-03-01T10:20:30.999Z');

	it('writes Z in UTC', () => {
		withTimeZone('UTC', () => {
			assert.equal(rfc3339Seconds(instant), '2024-03-01T10:20:30Z');
			assert.equal(rfc3339Seconds(0), '1970-01-01T00:00:00Z');
		});
	});

	it('writes the local offset elsewhere', () => {
		withTimeZone('Europe/Berlin', () => {
			assert.equal(rfc3339Seconds(instant), '2024-03-01T11:20:30+01:00');
			assert.equal(rfc3339Seconds(new Date('2024-07-01T10:20:30Z')), '2024-07-01T12:20:30+02:00');
		});
		withTimeZone('America/St_Johns', () => assert.equal(rfc3339Seconds(instant), '2024-03-01T06:50:30-03:30'));
		withTimeZone('Asia/Kolkata', () => assert.equal(rfc3339Seconds(0), '1970-01-01T05:30:00+05:30'));
	});

	it('floors to whole seconds before epoch too (Go Time.Unix)', () => {
		withTimeZone('UTC', () => assert.equal(rfc3339Seconds(-1), '1969-12-31T23:59:59Z'));
	});
});

describe('formatTable (Docker tabwriter: minwidth 10, padding 3, padchar space)', () => {
	it('lays out docker images', () => {
		const table = formatTable([
			['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'],
			['hello-world', 'latest', 'd2c94e258dcb', 'About a minute ago', '13.3kB'],
			['busybox', 'latest', 'a416a98b71e2', '2 weeks ago', '4.26MB'],
			['<none>', '<none>', '0e5e3ad3ce37', '17 months ago', '1.5GB'],
		]);
		assert.equal(
			table,
			lines(
				'REPOSITORY    TAG       IMAGE ID       CREATED              SIZE',
				'hello-world   latest    d2c94e258dcb   About a minute ago   13.3kB',
				'busybox       latest    a416a98b71e2   2 weeks ago          4.26MB',
				'<none>        <none>    0e5e3ad3ce37   17 months ago        1.5GB',
			),
		);
	});

	it('sizes each column as max(10, widest cell + 3)', () => {
		const table = formatTable([
			['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'],
			['busybox', 'latest', 'a416a98b71e2', '2 weeks ago', '4.26MB'],
		]);
		// REPOSITORY 10+3 = 13, TAG max(10, 6+3) = 10, IMAGE ID 12+3 = 15, CREATED 11+3 = 14
		assert.equal(
			table,
			lines(
				'REPOSITORY   TAG       IMAGE ID       CREATED       SIZE',
				'busybox      latest    a416a98b71e2   2 weeks ago   4.26MB',
			),
		);
	});

	it('pads the cell before an empty last cell (docker history without COMMENT)', () => {
		const table = formatTable([
			['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'],
			['a416a98b71e2', '2 weeks ago', 'BusyBox 1.37.0 (glibc), Debian 13', '0B', ''],
			['<missing>', '2 weeks ago', '/bin/sh -c #(nop) ADD file:9b0a6e4a2d5a7c1e5…', '4.26MB', ''],
			['<missing>', 'N/A', 'RUN /bin/sh -c apt-get update && apt-get ins…', '118MB', 'buildkit.dockerfile.v0'],
		]);
		assert.equal(
			table,
			lines(
				'IMAGE          CREATED       CREATED BY                                      SIZE      COMMENT',
				`a416a98b71e2   2 weeks ago   BusyBox 1.37.0 (glibc), Debian 13               0B${' '.repeat(8)}`,
				`<missing>      2 weeks ago   /bin/sh -c #(nop) ADD file:9b0a6e4a2d5a7c1e5…   4.26MB${' '.repeat(4)}`,
				'<missing>      N/A           RUN /bin/sh -c apt-get update && apt-get ins…   118MB     buildkit.dockerfile.v0',
			),
		);
	});

	it('keeps the padding when every COMMENT is empty', () => {
		const table = formatTable([
			['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'],
			['a416a98b71e2', '2 weeks ago', 'CMD ["sh"]', '0B', ''],
		]);
		assert.equal(
			table,
			lines('IMAGE          CREATED       CREATED BY   SIZE      COMMENT', `a416a98b71e2   2 weeks ago   CMD ["sh"]   0B${' '.repeat(8)}`),
		);
	});

	it('writes the last cell of a row unpadded', () => {
		assert.equal(formatTable([['REPOSITORY'], ['busybox']]), 'REPOSITORY\nbusybox\n');
		assert.equal(formatTable([['a', 'b'], ['ccc', 'd']]), lines('a         b', 'ccc       d'));
	});

	it('ends a column where a line has no cell in it (Go column blocks)', () => {
		const table = formatTable([['a', 'b', 'c'], ['aaaaaaaaaaaa', 'bbbbbbbbbbbbb'], ['x'], ['yy', 'zz', 'w']]);
		assert.equal(table, lines('a              b         c', 'aaaaaaaaaaaa   bbbbbbbbbbbbb', 'x', 'yy        zz        w'));
	});

	it('measures display width: … is 1, CJK and emoji are 2', () => {
		const table = formatTable([
			['REPOSITORY', 'TAG', 'SIZE'],
			['日本語リポジトリ', 'タグ', '1kB'],
			['x', '👍🏽', '2kB'],
		]);
		assert.equal(
			table,
			lines('REPOSITORY         TAG       SIZE', '日本語リポジトリ   タグ      1kB', 'x                  👍🏽        2kB'),
		);
	});

	it('accepts another minimum width and padding', () => {
		assert.equal(formatTable([['a', 'b'], ['abc', 'd']], {minWidth: 0, padding: 1}), lines('a   b', 'abc d'));
	});

	it('prints nothing for no rows and a bare newline for an empty row', () => {
		assert.equal(formatTable([]), '');
		assert.equal(formatTable([[]]), '\n');
	});
});

describe('displayWidth (go-runewidth StringWidth)', () => {
	it('counts terminal columns per grapheme', () => {
		assert.equal(displayWidth('busybox'), 7);
		assert.equal(displayWidth('kar…'), 4);
		assert.equal(displayWidth('日本語'), 6);
		assert.equal(displayWidth('e\u0301te\u0301'), 3);
		// go-runewidth gives a flag the width of its first regional indicator
		assert.equal(displayWidth('🇩🇪'), 1);
		assert.equal(displayWidth('👨‍👩‍👧'), 2);
		assert.equal(displayWidth('ｆｕｌｌ'), 8);
		assert.equal(displayWidth('a\u200bb\x1b'), 2);
	});
});

describe('ellipsis (Docker formatter.Ellipsis)', () => {
	it('returns text that fits as is', () => {
		assert.equal(ellipsis('busybox', 7), 'busybox');
		assert.equal(ellipsis('busybox', 45), 'busybox');
		assert.equal(ellipsis('', 45), '');
	});

	it('keeps maxWidth - 1 characters and appends …', () => {
		assert.equal(ellipsis('busybox', 6), 'busyb…');
		assert.equal(ellipsis('abcdef', 2), 'a…');
		assert.equal(
			ellipsis('/bin/bash ls && npm i && npm run test && karma -c karma.conf.js start && npm start', 45),
			'/bin/bash ls && npm i && npm run test && kar…',
		);
		assert.equal(ellipsis('/bin/sh -c #(nop)  CMD ["sh"] and then some more words', 12), '/bin/sh -c …');
	});

	it('counts wide characters as two columns', () => {
		assert.equal(ellipsis('日本語のテキスト', 8), '日本語…');
		assert.equal(ellipsis('日本語のテキスト', 7), '日本語…');
		assert.equal(ellipsis('日本語のテキスト', 16), '日本語のテキスト');
		assert.equal(ellipsis('aé日本b', 5), 'aé日…');
		assert.equal(ellipsis('e\u0301e\u0301e\u0301e\u0301', 5), 'e\u0301e\u0301…');
	});

	it('keeps Docker quirks for tiny widths', () => {
		assert.equal(ellipsis('abcdef', 0), '');
		assert.equal(ellipsis('abcdef', 1), 'a');
		assert.equal(ellipsis('日本語', 1), '日');
		assert.equal(ellipsis('日a', 2), '日a');
		assert.equal(ellipsis('日本語', 2), '日本語');
	});
});

describe('toJsonLines (--format json)', () => {
	it('prints one compact object per line with keys sorted as Go maps are', () => {
		const output = toJsonLines([
			{Repository: 'busybox', Tag: 'latest', ID: 'a416a98b71e2', Containers: 'N/A', Size: '4.26MB'},
			{Repository: '<none>', Tag: '<none>', ID: '0e5e3ad3ce37', Containers: 'N/A', Size: '1.5GB'},
		]);
		assert.equal(
			output,
			lines(
				'{"Containers":"N/A","ID":"a416a98b71e2","Repository":"busybox","Size":"4.26MB","Tag":"latest"}',
				'{"Containers":"N/A","ID":"0e5e3ad3ce37","Repository":"\\u003cnone\\u003e","Size":"1.5GB","Tag":"\\u003cnone\\u003e"}',
			),
		);
	});

	it('escapes like json.Marshal: <, >, &, U+2028, U+2029', () => {
		assert.equal(
			toJsonLines([{Z: 'a && b', A: 'x', é: '1', ab: '2', a: '3'}]),
			'{"A":"x","Z":"a \\u0026\\u0026 b","a":"3","ab":"2","é":"1"}\n',
		);
		assert.equal(toJsonLines([{s: 'line\u2028sep\u2029'}]), '{"s":"line\\u2028sep\\u2029"}\n');
		assert.equal(toJsonLines([{s: 'ctl\x01\x1f tab\tnl\n "q" \\'}]), '{"s":"ctl\\u0001\\u001f tab\\tnl\\n \\"q\\" \\\\"}\n');
		assert.equal(toJsonLines([{s: 'bad\ud800', t: '\\ud800'}]), '{"s":"bad\\ufffd","t":"\\\\ud800"}\n');
	});

	it('sorts nested objects by code point and prints nothing for no values', () => {
		assert.equal(toJsonLines([{b: {z: 1, y: [{d: 2, c: 3}]}, a: null}]), '{"a":null,"b":{"y":[{"c":3,"d":2}],"z":1}}\n');
		assert.equal(toJsonLines([{'\u{1F600}': 1, '\uffff': 2}]), '{"\uffff":2,"\u{1F600}":1}\n');
		assert.equal(toJsonLines([]), '');
	});
});

describe('toIndentedJson (docker inspect)', () => {
	it('indents with four spaces, keeps key order and does not escape HTML characters', () => {
		const output = toIndentedJson([
			{
				Id: 'sha256:a416a98b71e2',
				RepoTags: ['busybox:latest'],
				Config: {Cmd: ['/bin/sh', '-c', 'make && make install <in'], Env: [], Labels: {}},
				Size: 4261574,
			},
		]);
		assert.equal(
			output,
			lines(
				'[',
				'    {',
				'        "Id": "sha256:a416a98b71e2",',
				'        "RepoTags": [',
				'            "busybox:latest"',
				'        ],',
				'        "Config": {',
				'            "Cmd": [',
				'                "/bin/sh",',
				'                "-c",',
				'                "make && make install <in"',
				'            ],',
				'            "Env": [],',
				'            "Labels": {}',
				'        },',
				'        "Size": 4261574',
				'    }',
				']',
			),
		);
	});

	it('prints [] for nothing inspected', () => {
		assert.equal(toIndentedJson([]), '[]\n');
	});
});
