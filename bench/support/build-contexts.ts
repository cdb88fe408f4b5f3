// The build benchmark's contexts, written fresh into a temp dir each run (deterministic: the same bytes
// every time, so runs compare). `app`: 5,000 small source files in a few directories plus what a real
// project's .dockerignore leaves out (.git, logs), and a 6-step Dockerfile. `stages`: two halves of
// 2,500 files, each COPYed and RUN in its own stage, and a final stage that COPY --froms both.
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

export interface BenchContext {
	dir: string;
	/** Files the Dockerfile copies (what .dockerignore leaves). */
	copiedFiles: number;
	/** Steps of the Dockerfile, FROMs included. */
	steps: number;
	/** The copied file the one-file-change rebuild rewrites, relative to dir. */
	changedFile: string;
}

const APP_DOCKERFILE = `FROM busybox
ENV APP_HOME=/app
COPY . /app
RUN find /app -type f | wc -l > /file-count
WORKDIR /app
CMD ["sh"]
`;

const STAGES_DOCKERFILE = `FROM busybox AS one
COPY one/ /src/
RUN find /src -type f | wc -l > /src/count

FROM busybox AS two
COPY two/ /src/
RUN find /src -type f | wc -l > /src/count

FROM busybox
COPY --from=one /src /app/one
COPY --from=two /src /app/two
CMD ["sh"]
`;

const DOCKERIGNORE = `.git
**/*.log
tmp/
`;

/** 5 top directories x 10 packages x 100 files, and .git, logs and tmp/ that .dockerignore excludes. */
export function writeAppContext(dir: string): BenchContext {
	const random = seeded(1);
	let copied = 0;
	for (const top of ['src', 'lib', 'assets', 'docs', 'test']) copied += writeTree(join(dir, top), 10, 100, random);
	writeTree(join(dir, '.git', 'objects'), 4, 50, random);
	writeTree(join(dir, 'tmp'), 2, 50, random);
	for (let i = 0; i < 50; i++) writeFileSync(join(dir, 'src', `pkg${i % 10}`, `debug-${i}.log`), text(random, 2000));
	writeFileSync(join(dir, 'Dockerfile'), APP_DOCKERFILE);
	writeFileSync(join(dir, '.dockerignore'), DOCKERIGNORE);
	return {dir, copiedFiles: copied + 2, steps: 6, changedFile: join('src', 'pkg3', 'module-042.ts')};
}

/** one/ and two/: 5 packages x 5 directories x 100 files each (2,500 a half). */
export function writeStagesContext(dir: string): BenchContext {
	const random = seeded(2);
	let copied = 0;
	for (const half of ['one', 'two']) {
		for (let pkg = 0; pkg < 5; pkg++) copied += writeTree(join(dir, half, `pkg${pkg}`), 5, 100, random);
	}
	writeFileSync(join(dir, 'Dockerfile'), STAGES_DOCKERFILE);
	writeFileSync(join(dir, '.dockerignore'), DOCKERIGNORE);
	return {dir, copiedFiles: copied, steps: 10, changedFile: join('one', 'pkg2', 'pkg1', 'module-042.ts')};
}

/** New content for the changed file, different for every round. */
export function changeOneFile(context: BenchContext, round: number): void {
	writeFileSync(join(context.dir, context.changedFile), `// changed in round ${round}\n${text(seeded(round + 100), 1500)}`);
}

/** `packages` directories of `files` files each, sizes spread like source code (~100 B to ~12 KiB). */
function writeTree(dir: string, packages: number, files: number, random: () => number): number {
	for (let pkg = 0; pkg < packages; pkg++) {
		const pkgDir = join(dir, `pkg${pkg}`);
		mkdirSync(pkgDir, {recursive: true});
		for (let file = 0; file < files; file++) {
			// Mostly small, a long tail: exp of a uniform gives a log-uniform size.
			const size = Math.round(100 * Math.exp(random() * Math.log(120)));
			writeFileSync(join(pkgDir, `module-${String(file).padStart(3, '0')}.ts`), text(random, size));
		}
	}
	return packages * files;
}

function text(random: () => number, size: number): string {
	const lines: string[] = [];
	let length = 0;
	while (length < size) {
		const line = `export const value${Math.floor(random() * 1e6)} = ${Math.floor(random() * 1e9)};\n`;
		lines.push(line);
		length += line.length;
	}
	return lines.join('').slice(0, size);
}

/** A small deterministic generator (mulberry32), so every run writes the same bytes. */
function seeded(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
	};
}
