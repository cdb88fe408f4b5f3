// docker build next to strata build for .dockerignore (issue 5, point 6): `COPY . /ctx/` shows exactly
// which context files each builder sent, for each rule of the ignore file.
import {describe, test} from 'node:test';
import {Differential, differentialSkip, type ContextFile, useDifferential} from './build-differential-support.js';

const COPY_ALL = 'FROM strata-test/busybox\nCOPY . /ctx/\n';

const files: Record<string, ContextFile> = {
	'a.txt': 'a\n',
	'b.log': 'b\n',
	'keep.log': 'keep\n',
	'docs/guide.md': 'guide\n',
	'docs/deep/notes.md': 'notes\n',
	'docs/deep/keep.md': 'keep\n',
	'src/main.c': 'int main;\n',
	'src/main.o': 'obj\n',
	'src/lib/util.o': 'obj\n',
	'build/out/bin': 'bin\n',
	'build/out/important': 'important\n',
	'tmp/x': 'x\n',
};

describe('docker build and strata build make the same image: .dockerignore', {skip: differentialSkip, timeout: 900_000}, () => {
	let diff!: Differential;
	useDifferential(started => (diff = started));

	test('** patterns', {timeout: 300_000}, async () => {
		await diff.same('ignore-globstar', {...files, Dockerfile: COPY_ALL, '.dockerignore': '**/*.o\ndocs/**/notes.md\n**/tmp\n'});
	});

	test('! exceptions, and the last matching line wins', {timeout: 300_000}, async () => {
		await diff.same('ignore-exceptions', {...files, Dockerfile: COPY_ALL, '.dockerignore': '*.log\n!keep.log\ndocs\n!docs/deep\ndocs/deep/notes.md\nsrc/*.o\n!src/*.o\nsrc/main.o\n'});
	});

	test('a directory excluded with an exception inside it', {timeout: 300_000}, async () => {
		await diff.same('ignore-dir-exception', {...files, Dockerfile: COPY_ALL, '.dockerignore': 'build\n!build/out/important\n'});
	});

	test('the Dockerfile and .dockerignore listed in .dockerignore: still used, and COPY . leaves them out', {timeout: 300_000}, async () => {
		await diff.same('ignore-self', {...files, Dockerfile: COPY_ALL, '.dockerignore': 'Dockerfile\n.dockerignore\n'});
	});

	test('comments, blank lines, leading slashes and ./ in patterns', {timeout: 300_000}, async () => {
		await diff.same('ignore-syntax', {...files, Dockerfile: COPY_ALL, '.dockerignore': '# a comment\n\n   \n/a.txt\n./tmp\n  src/lib  \n#docs\n'});
	});

	test('a COPY of an ignored file fails in both', {timeout: 300_000}, async () => {
		await diff.sameFailure('ignore-copy-missing', {...files, Dockerfile: 'FROM strata-test/busybox\nCOPY b.log /\n', '.dockerignore': '*.log\n'}, /b\.log/);
	});
});
