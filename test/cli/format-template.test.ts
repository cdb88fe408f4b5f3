// `--format` Go templates: the template engine against what Go's text/template prints, then the CLI's
// images/history/inspect with templates and `table` templates on a real store.
import assert from 'node:assert/strict';
import {before, describe, it} from 'node:test';
import {parseGoTemplate} from '../../source/cli/format/go-template.js';
import {busyboxTar} from '../support/busybox.js';
import {runStrata, tempDir} from '../support/tmp.js';

const run = (template: string, data: unknown, strictFields = false) => parseGoTemplate(template, {strictFields}).execute(data);

describe('parseGoTemplate', () => {
	const image = {Id: 'sha256:abc', RepoTags: ['a:1', 'b:2'], Config: {Cmd: ['sh', '-c', 'x'], Env: null, Labels: {z: '1', a: '<&>'}}, Size: 42};

	it('prints fields as Go %v does: slices, maps, nil and missing keys', () => {
		assert.equal(run('{{.Id}} {{.Size}}', image), 'sha256:abc 42');
		assert.equal(run('{{.Config.Cmd}}', image), '[sh -c x]');
		assert.equal(run('{{.Config.Labels}}', image), 'map[a:<&> z:1]');
		assert.equal(run('{{.Config.Env}}', image), '<nil>');
		assert.equal(run('{{.Config.Nope}}', image), '<no value>');
	});

	it('json sorts keys and escapes HTML as encoding/json does', () => {
		assert.equal(run('{{json .Config.Labels}}', image), '{"a":"\\u003c\\u0026\\u003e","z":"1"}');
		assert.equal(run('{{json .Config.Env}}', image), 'null');
	});

	it('range, if/else, pipes and functions', () => {
		assert.equal(run('{{range .RepoTags}}[{{.}}]{{end}}', image), '[a:1][b:2]');
		assert.equal(run('{{range .Missing}}x{{else}}none{{end}}', image), 'none');
		assert.equal(run('{{if .Config.Env}}env{{else}}no env{{end}}', image), 'no env');
		assert.equal(run('{{join .RepoTags ","}}', image), 'a:1,b:2');
		assert.equal(run('{{.Id | upper}}', image), 'SHA256:ABC');
		assert.equal(run('{{index .Config.Labels "z"}}', image), '1');
		assert.equal(run('{{len .RepoTags}}', image), '2');
		assert.equal(run('{{printf "%s=%d" .Id .Size}}', image), 'sha256:abc=42');
		assert.equal(run('{{- .Id -}}  \n', image), 'sha256:abc');
		assert.equal(run('{{range $.RepoTags}}{{$.Size}}{{end}}', image), '4242');
	});

	it('refuses bad templates with a one-line error', () => {
		assert.throws(() => parseGoTemplate('{{.Id'), /template parsing error: unclosed action/);
		assert.throws(() => parseGoTemplate('{{nope .Id}}'), /function "nope" not defined/);
		assert.throws(() => parseGoTemplate('{{if .Id}}x'), /unexpected EOF/);
		assert.throws(() => parseGoTemplate('{{end}}'), /unexpected \{\{end\}\}/);
		assert.throws(() => run('{{.Nope}}', image, true), /can't evaluate field Nope/);
	});
});

describe('--format templates in the CLI', () => {
	let root: string;
	let id: string;
	const strata = async (...args: string[]) => {
		const result = await runStrata(args, {root});
		assert.equal(result.code, 0, `strata ${args.join(' ')}: ${result.stderr}`);
		return result.stdout;
	};

	before(async () => {
		root = tempDir('strata-format-template');
		id = (await strata('import', '--change', 'CMD ["sh"]', await busyboxTar(), 'busybox:latest')).trim();
		await strata('tag', 'busybox:latest', 'example/tool:1.0');
	});

	it('images: a bare template prints one line per row, `table` adds Docker\'s headers', async () => {
		assert.equal(await strata('images', '--format', '{{.Repository}}:{{.Tag}}'), 'busybox:latest\nexample/tool:1.0\n');
		const table = await strata('images', '--format', 'table {{.Repository}}\\t{{.ID}}');
		const short = id.slice(7, 19);
		assert.equal(table, `REPOSITORY     IMAGE ID\nbusybox        ${short}\nexample/tool   ${short}\n`);
	});

	it('history and inspect take templates', async () => {
		assert.equal(await strata('history', '--format', '{{.CreatedBy}}', 'busybox'), (await strata('history', '--format', 'json', 'busybox')).split('\n').filter(Boolean).map(line => (JSON.parse(line) as {CreatedBy: string}).CreatedBy).join('\n') + '\n');
		assert.equal(await strata('inspect', '-f', '{{.Id}} {{json .Config.Cmd}}', 'busybox'), `${id} ["sh"]\n`);
		assert.equal(await strata('image', 'inspect', '--format', '{{range .RepoTags}}{{.}} {{end}}', id.slice(7, 19)), 'example/tool:1.0 busybox:latest \n');
	});

	it('a field that does not exist is an error naming it, with a non-zero exit', async () => {
		const result = await runStrata(['images', '--format', '{{.Nope}}'], {root});
		assert.notEqual(result.code, 0);
		assert.match(result.stderr, /can't evaluate field Nope/);
		assert.equal(result.stderr.trim().split('\n').length, 1);
	});
});
