// Containers end to end through the built CLI (dist/cli.js) with a real OCI runtime (runc; crun where
// asked): run/exec/logs/stop/rm, detached containers that outlive the CLI, ps as Docker prints it, the
// errors Docker users know, both root file system drivers, a SIGKILLed supervisor, and an interactive
// terminal in tmux. Every container is cleaned up in `after`, whatever happened.
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {
	cleanUpStore,
	cliPath,
	containerRoot,
	containerSkip,
	eventually,
	hasCrun,
	importBusybox,
	mountsUnder,
	storedState,
	strataIn,
} from '../engine/container-support.js';

const root = containerRoot();
const strata = strataIn(root);
let imageId = '';

/** Runs the CLI and insists on exit code 0; returns stdout. */
async function ok(args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
	const result = await strata(args, {env});
	assert.equal(result.code, 0, `strata ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
	return result.stdout;
}

/** The ps table as rows of cells, cut at the header's column starts. */
function psRows(text: string): Array<Record<string, string>> {
	const lines = text.trimEnd().split('\n');
	const header = lines[0]!;
	const names = ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'];
	const starts = names.map(name => header.indexOf(name));
	assert.ok(starts.every(start => start >= 0), `ps header: ${header}`);
	return lines.slice(1).map(line => Object.fromEntries(names.map((name, i) => [name, line.slice(starts[i], starts[i + 1] ?? line.length).trim()])));
}

async function psRow(name: string): Promise<Record<string, string>> {
	const row = psRows(await ok(['ps', '-a'])).find(candidate => candidate.NAMES === name);
	assert.ok(row, `${name} is listed by ps -a`);
	return row;
}

const containerDir = (id: string) => join(root, 'containers', id);

describe('containers (CLI)', {skip: containerSkip}, () => {
	before(async () => {
		imageId = await importBusybox(root, 'busybox:latest', ['CMD ["sh"]', 'ENV FROM_IMAGE=yes']);
	});
	after(() => cleanUpStore(root));

	test('run prints the output, passes the exit code on, and --rm removes the container', {timeout: 60_000}, async () => {
		const result = await strata(['run', '--name', 'plain', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
		assert.equal(result.code, 3);
		assert.equal(result.stdout, 'out\n');
		assert.equal(result.stderr, 'err\n');
		const row = await psRow('plain');
		assert.match(row.STATUS!, /^Exited \(3\) (Less than a second|\d+ seconds?) ago$/);
		assert.equal(row.IMAGE, 'busybox');
		assert.equal(row.COMMAND, '"sh -c echo out; ech…"');

		const removed = await strata(['run', '--rm', '--name', 'gone', 'busybox', 'echo', 'bye']);
		assert.equal(removed.code, 0, removed.stderr);
		assert.equal(removed.stdout, 'bye\n');
		assert.ok(!psRows(await ok(['ps', '-a'])).some(row => row.NAMES === 'gone'), '--rm removed it');
		assert.deepEqual(mountsUnder(root), [], 'nothing stays mounted');
	});

	test('a detached container outlives the CLI; ps shows it Up; stop records Exited (137 or 143)', {timeout: 90_000}, async () => {
		const started = Date.now();
		const run = await strata(['run', '-d', '--name', 'sleeper', 'busybox', 'sh', '-c', 'sleep 30']);
		assert.equal(run.code, 0, run.stderr);
		assert.ok(Date.now() - started < 30_000, 'the CLI returned without waiting for the container');
		const id = run.stdout.trim();
		assert.match(id, /^[a-f\d]{64}$/);
		const row = await psRow('sleeper');
		assert.match(row.STATUS!, /^Up (Less than a second|\d+ seconds?)$/);
		assert.equal(row['CONTAINER ID'], id.slice(0, 12));
		assert.ok(psRows(await ok(['ps'])).some(candidate => candidate.NAMES === 'sleeper'), 'plain ps lists running ones');
		assert.ok(mountsUnder(root).includes(join(containerDir(id), 'bundle', 'rootfs')), 'the overlay is mounted while it runs');

		const stop = await strata(['stop', '-t', '1', 'sleeper']);
		assert.equal(stop.code, 0, stop.stderr);
		assert.equal(stop.stdout, 'sleeper\n');
		assert.match((await psRow('sleeper')).STATUS!, /^Exited \((137|143)\) /);
		assert.ok(!psRows(await ok(['ps'])).some(candidate => candidate.NAMES === 'sleeper'), 'ps without -a hides it');
		assert.ok(!mountsUnder(root).some(mount => mount.startsWith(containerDir(id))), 'unmounted once it exited');

		const again = await strata(['stop', 'sleeper']);
		assert.equal(again.code, 1);
		assert.equal(again.stderr, 'Error: can only stop running containers: sleeper is in state exited\n');
	});

	test('logs: stdout and stderr on their streams, -t timestamps, --tail, -f until the exit', {timeout: 60_000}, async () => {
		await ok(['run', '--name', 'talker', 'busybox', 'sh', '-c', 'echo one; echo two >&2; sleep 0.2; echo three']);
		const logs = await strata(['logs', 'talker']);
		assert.equal(logs.stdout, 'one\nthree\n');
		assert.equal(logs.stderr, 'two\n');
		const stamped = await strata(['logs', '-t', 'talker']);
		const lines = stamped.stdout.trimEnd().split('\n');
		assert.equal(lines.length, 2);
		for (const line of lines) assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (one|three)$/);
		assert.ok(Math.abs(Date.parse(lines[0]!.slice(0, 23) + 'Z') - Date.now()) < 120_000, 'timestamps are now-ish');
		assert.equal((await strata(['logs', '--tail', '1', 'talker'])).stdout, 'three\n');

		await ok(['run', '-d', '--name', 'ticker', 'busybox', 'sh', '-c', 'for i in 1 2 3; do echo tick $i; sleep 1; done']);
		const followed = await strata(['logs', '-f', 'ticker'], {timeoutMs: 30_000});
		assert.equal(followed.code, 0, followed.stderr);
		assert.equal(followed.stdout, 'tick 1\ntick 2\ntick 3\n');
	});

	test('ps filters by status, name and exit code; -q prints short IDs', {timeout: 60_000}, async () => {
		const running = (await ok(['run', '-d', '--name', 'filter-up', 'busybox', 'sleep', '30'])).trim();
		await ok(['create', '--name', 'filter-created', 'busybox', 'true']);
		const exited = psRows(await ok(['ps', '-a', '--filter', 'status=exited'])).map(row => row.NAMES);
		assert.ok(exited.includes('plain') && !exited.includes('filter-up') && !exited.includes('filter-created'), exited.join(','));
		assert.deepEqual(psRows(await ok(['ps', '--filter', 'status=created'])).map(row => row.NAMES), ['filter-created']);
		assert.deepEqual(psRows(await ok(['ps', '-a', '--filter', 'status=running', '--filter', 'name=filter'])).map(row => row.NAMES), ['filter-up']);
		assert.deepEqual(psRows(await ok(['ps', '-a', '--filter', 'exited=3'])).map(row => row.NAMES), ['plain']);
		assert.equal(await ok(['ps', '-q', '--filter', 'name=filter-up']), `${running.slice(0, 12)}\n`);
		assert.equal(await ok(['ps', '-q', '--no-trunc', '--filter', 'name=filter-up']), `${running}\n`);
		const bad = await strata(['ps', '--filter', 'status=sleeping']);
		assert.equal(bad.code, 1);
		assert.equal(bad.stderr, "Error: invalid filter 'status=sleeping'\n");
		await ok(['rm', '-f', 'filter-up', 'filter-created']);
	});

	test('errors: name in use, image missing, command missing (127), not executable (126), runtime missing', {timeout: 60_000}, async () => {
		const firstId = (await ok(['create', '--name', 'taken', 'busybox'])).trim();
		const conflict = await strata(['run', '--name', 'taken', 'busybox', 'true']);
		assert.equal(conflict.code, 125);
		assert.equal(
			conflict.stderr,
			`Error: Conflict. The container name "/taken" is already in use by container "${firstId}". You have to remove (or rename) that container to be able to reuse that name.\n`,
		);
		const noImage = await strata(['run', 'nosuch:1.0', 'true']);
		assert.equal(noImage.code, 125);
		assert.equal(noImage.stderr, 'Error: No such image: nosuch:1.0\n');

		const missing = await strata(['run', '--name', 'missing-cmd', 'busybox', 'nope']);
		assert.equal(missing.code, 127);
		assert.equal(missing.stderr, 'Error: exec: "nope": executable file not found in $PATH\n');
		const inspected = JSON.parse(await ok(['inspect', 'missing-cmd'])) as Array<{State: {Status: string; ExitCode: number; Error: string}}>;
		assert.equal(inspected[0]!.State.Status, 'created');
		assert.equal(inspected[0]!.State.ExitCode, 127);
		assert.match(inspected[0]!.State.Error, /executable file not found/);
		assert.equal((await psRow('missing-cmd')).STATUS, 'Created');

		const directory = await strata(['run', '--rm', 'busybox', '/etc']);
		assert.equal(directory.code, 126);
		assert.equal(directory.stderr, 'Error: exec: "/etc": permission denied\n');

		const noRuntime = await strata(['run', '--rm', '--runtime', 'nope', 'busybox', 'true']);
		assert.equal(noRuntime.code, 125);
		assert.equal(noRuntime.stderr, 'Error: OCI runtime "nope" not found: install it (apt-get install nope)\n');

		const badName = await strata(['create', '--name', 'bad name', 'busybox']);
		assert.equal(badName.stderr, 'Error: Invalid container name (bad name), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed\n');
		const notFound = await strata(['stop', 'nosuchcontainer']);
		assert.equal(notFound.stderr, 'Error: No such container: nosuchcontainer\n');
		await ok(['rm', 'taken', 'missing-cmd']);
	});

	test('the process: image Env, -e, --env-file, -w, -u, entrypoint, hostname = short ID, HOSTNAME', {timeout: 60_000}, async () => {
		const envFile = join(root, 'env.list');
		writeFileSync(envFile, '# comment\nFROM_FILE=file\nOVERRIDDEN=file\n');
		const result = await strata([
			'run', '--rm', '-e', 'OVERRIDDEN=flag', '--env-file', envFile, '-w', '/tmp/work', '-u', 'nobody', 'busybox',
			'sh', '-c', 'echo $FROM_IMAGE $FROM_FILE $OVERRIDDEN; pwd; id -u; id -g; echo $HOME; hostname; cat /etc/hostname; echo $HOSTNAME',
		]);
		assert.equal(result.code, 0, result.stderr);
		const [env, cwd, uid, gid, home, hostname, etcHostname, hostnameEnv] = result.stdout.trimEnd().split('\n');
		assert.equal(env, 'yes file flag');
		assert.equal(cwd, '/tmp/work');
		assert.equal(uid, '65534');
		assert.equal(gid, '65534');
		assert.equal(home, '/nonexistent');
		assert.match(hostname!, /^[a-f\d]{12}$/);
		assert.equal(etcHostname, hostname);
		assert.equal(hostnameEnv, hostname);

		const numeric = await strata(['run', '--rm', '-u', '1234:5678', 'busybox', 'sh', '-c', 'echo $(id -u):$(id -g)']);
		assert.equal(numeric.stdout, '1234:5678\n');
		const unknown = await strata(['run', '--rm', '-u', 'nosuchuser', 'busybox', 'true']);
		assert.notEqual(unknown.code, 0);
		assert.match(unknown.stderr, /unable to find user nosuchuser: no matching entries in passwd file/);

		const entry = await strata(['run', '--rm', '--entrypoint', 'echo', 'busybox', 'via', 'entrypoint']);
		assert.equal(entry.stdout, 'via entrypoint\n');
		const relative = await strata(['run', '--rm', '-w', 'relative', 'busybox', 'true']);
		assert.match(relative.stderr, /the working directory 'relative' is invalid, it needs to be an absolute path/);

		const id = (await ok(['run', '-d', '--name', 'named-host', 'busybox', 'sleep', '20'])).trim();
		assert.equal(await ok(['exec', 'named-host', 'hostname']), `${id.slice(0, 12)}\n`);
		await ok(['rm', '-f', 'named-host']);
	});

	test('networks: host by default, --network none has only loopback', {timeout: 60_000}, async () => {
		const hostLinks = readdirSync('/sys/class/net').sort();
		const none = await strata(['run', '--rm', '--network', 'none', 'busybox', 'ls', '/sys/class/net']);
		assert.equal(none.code, 0, none.stderr);
		assert.deepEqual(none.stdout.split(/\s+/).filter(Boolean), ['lo']);
		const host = await strata(['run', '--rm', 'busybox', 'ls', '/sys/class/net']);
		assert.deepEqual(host.stdout.split(/\s+/).filter(Boolean).sort(), hostLinks);
		const bridge = await strata(['run', '--rm', '--network', 'bridge', 'busybox', 'true']);
		assert.equal(bridge.code, 125);
		assert.match(bridge.stderr, /network bridge not found/);
	});

	test('/etc/hosts, /etc/hostname, /etc/resolv.conf exist inside but never in the writable layer (overlay)', {timeout: 60_000}, async () => {
		const result = await strata(['run', '--name', 'etc-files', 'busybox', 'sh', '-c', 'cat /etc/hosts; test -s /etc/hostname && echo hostname-ok; echo changed > /etc/hosts; echo kept > /root/kept']);
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stdout, /127\.0\.0\.1\s+localhost/);
		assert.match(result.stdout, /hostname-ok/);
		const id = JSON.parse(await ok(['inspect', 'etc-files']))[0].Id as string;
		const upper = join(containerDir(id), 'upper');
		assert.deepEqual(readdirSync(upper).sort(), ['root']);
		assert.equal(readFileSync(join(upper, 'root', 'kept'), 'utf8'), 'kept\n');
		assert.equal(existsSync(join(upper, 'etc')), false, 'nothing under /etc in the upper dir');
	});

	test('the copy driver (STRATA_DRIVER=copy): same behaviour, the container has its own copy', {timeout: 60_000}, async () => {
		const env = {STRATA_DRIVER: 'copy'};
		const result = await strata(['run', '--name', 'copied', 'busybox', 'sh', '-c', 'echo data > /root/f; rm /etc/group; cat /etc/hosts | head -1; hostname'], {env});
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stdout, /^127\.0\.0\.1\s+localhost\n[a-f\d]{12}\n$/);
		const [inspected] = JSON.parse(await ok(['inspect', 'copied'])) as Array<{Id: string; Driver: string; GraphDriver: {Name: string; Data: {LowerDir: string; Dir: string}}}>;
		assert.equal(inspected!.Driver, 'copy');
		const rootfs = inspected!.GraphDriver.Data.Dir;
		const lower = inspected!.GraphDriver.Data.LowerDir;
		assert.equal(readFileSync(join(rootfs, 'root', 'f'), 'utf8'), 'data\n');
		assert.equal(existsSync(join(rootfs, 'etc', 'group')), false);
		assert.equal(existsSync(join(lower, 'etc', 'group')), true, 'the shared lower dir is untouched');
		assert.equal(existsSync(join(lower, 'root', 'f')), false);
		assert.equal(readFileSync(join(rootfs, 'etc', 'hosts'), 'utf8'), '', 'the bind-mounted /etc/hosts never reached the copy');
		assert.deepEqual(mountsUnder(root).filter(mount => mount.startsWith(containerDir(inspected!.Id))), []);
		// Started again, a copy-driver container still has its own files (and not the deleted one).
		const rerun = await strata(['start', '-a', 'copied'], {env});
		assert.equal(rerun.code, 0, rerun.stderr);
		assert.match(rerun.stderr, /can't remove '\/etc\/group'/);
		assert.equal(readFileSync(join(rootfs, 'root', 'f'), 'utf8'), 'data\n');
	});

	test('exec: env, workdir, user, exit code, a missing command, a stopped container', {timeout: 60_000}, async () => {
		await ok(['run', '-d', '--name', 'exec-target', '-e', 'BASE=1', 'busybox', 'sleep', '60']);
		assert.equal(await ok(['exec', '-e', 'EXTRA=2', '-w', '/tmp', 'exec-target', 'sh', '-c', 'echo $BASE $EXTRA $(pwd)']), '1 2 /tmp\n');
		assert.equal(await ok(['exec', '-u', 'nobody', 'exec-target', 'id', '-u']), '65534\n');
		// Docker's groups: the primary one is always a supplementary group too.
		assert.equal(await ok(['exec', '-u', 'nobody', 'exec-target', 'id']), 'uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n');
		assert.equal(await ok(['exec', 'exec-target', 'id']), 'uid=0(root) gid=0(root) groups=0(root)\n');
		assert.equal((await strata(['exec', 'exec-target', 'sh', '-c', 'exit 42'])).code, 42);
		const input = await strata(['exec', '-i', 'exec-target', 'cat'], {input: 'piped in\n'});
		assert.equal(input.stdout, 'piped in\n');
		const missing = await strata(['exec', 'exec-target', 'nope']);
		assert.equal(missing.code, 127);
		assert.equal(missing.stderr, 'Error: exec: "nope": executable file not found in $PATH\n');
		const id = JSON.parse(await ok(['inspect', 'exec-target']))[0].Id as string;
		await ok(['kill', 'exec-target']);
		assert.match((await psRow('exec-target')).STATUS!, /^Exited \(137\) /);
		const stopped = await strata(['exec', 'exec-target', 'true']);
		assert.equal(stopped.stderr, `Error: container ${id} is not running\n`);
		const killAgain = await strata(['kill', 'exec-target']);
		assert.match(killAgain.stderr, /is not running/);
	});

	test('start, restart, kill -s, run -i with piped stdin', {timeout: 60_000}, async () => {
		await ok(['create', '--name', 'lifecycle', 'busybox', 'sh', '-c', 'trap "echo got-term; exit 5" TERM; echo started; while true; do sleep 0.2; done']);
		assert.equal(await ok(['start', 'lifecycle']), 'lifecycle\n');
		await eventually(async () => (await strata(['logs', 'lifecycle'])).stdout.includes('started'), 15_000, 'the container to log');
		assert.equal(await ok(['kill', '-s', 'TERM', 'lifecycle']), 'lifecycle\n');
		await eventually(async () => /^Exited \(5\)/.test((await psRow('lifecycle')).STATUS!), 15_000, 'the trap to exit 5');
		assert.equal(await ok(['restart', '-t', '1', 'lifecycle']), 'lifecycle\n');
		assert.match((await psRow('lifecycle')).STATUS!, /^Up /);
		assert.equal(await ok(['stop', 'lifecycle']), 'lifecycle\n');
		assert.match((await psRow('lifecycle')).STATUS!, /^Exited \(5\) /);
		assert.equal((await ok(['logs', 'lifecycle'])).match(/started/g)?.length, 2, 'logs keep both runs');

		const piped = await strata(['run', '--rm', '-i', 'busybox', 'tr', 'a-z', 'A-Z'], {input: 'shout\n'});
		assert.equal(piped.stdout, 'SHOUT\n');
		const notPiped = await strata(['run', '--rm', 'busybox', 'cat'], {input: 'ignored\n'});
		assert.equal(notPiped.stdout, '', 'without -i the container gets no stdin');
	});

	test('a SIGKILLed supervisor: ps -a reports the container dead, rm -f cleans up', {timeout: 60_000}, async () => {
		const id = (await ok(['run', '-d', '--name', 'orphan', 'busybox', 'sleep', '120'])).trim();
		const state = storedState(root, id) as {supervisorPid: number; pid: number};
		process.kill(state.supervisorPid, 'SIGKILL');
		await eventually(() => !existsSync(`/proc/${state.supervisorPid}`) || readFileSync(`/proc/${state.supervisorPid}/stat`, 'utf8').includes(') Z'), 10_000, 'the supervisor to die');
		const row = await psRow('orphan');
		assert.equal(row.STATUS, 'Dead (supervisor died, exit unknown)');
		assert.ok(!psRows(await ok(['ps'])).some(candidate => candidate.NAMES === 'orphan'), 'not listed as running');
		assert.deepEqual(psRows(await ok(['ps', '-a', '--filter', 'status=dead'])).map(candidate => candidate.NAMES), ['orphan']);
		const [inspected] = JSON.parse(await ok(['inspect', 'orphan'])) as Array<{State: {Status: string; Running: boolean; Dead: boolean; Error: string}}>;
		assert.equal(inspected!.State.Status, 'dead');
		assert.equal(inspected!.State.Running, false);
		assert.match(inspected!.State.Error, /supervisor \(pid \d+\) died/);
		await ok(['rm', '-f', 'orphan']);
		await eventually(() => !existsSync(`/proc/${state.pid}`), 10_000, 'the container process to be killed');
		assert.deepEqual(mountsUnder(root).filter(mount => mount.includes(id)), []);
	});

	test('killing the CLI of an attached run leaves the container running and the store consistent', {timeout: 60_000}, async () => {
		const cli = spawn(process.execPath, [cliPath, 'run', '--name', 'survivor', 'busybox', 'sh', '-c', 'echo up; sleep 60'], {
			env: {...process.env, STRATA_ROOT: root},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let seen = '';
		cli.stdout.on('data', (chunk: Buffer) => (seen += chunk.toString()));
		const closed = new Promise(resolve => cli.once('close', resolve));
		try {
			await eventually(() => seen === 'up\n', 30_000, 'the attached output');
		} finally {
			cli.kill('SIGKILL');
		}
		await closed;
		assert.match((await psRow('survivor')).STATUS!, /^Up /);
		await ok(['stop', '-t', '0', 'survivor']);
		assert.match((await psRow('survivor')).STATUS!, /^Exited \(137\) /);
		assert.equal(await ok(['logs', 'survivor']), 'up\n');
	});

	test('crun through --runtime crun', {timeout: 60_000, skip: hasCrun ? false : 'crun is not installed'}, async () => {
		const result = await strata(['run', '--rm', '--runtime', 'crun', '--network', 'none', 'busybox', 'sh', '-c', 'echo via crun; hostname; ls /sys/class/net']);
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stdout, /^via crun\n[a-f\d]{12}\nlo\n$/);
		const id = (await ok(['run', '-d', '--runtime', 'crun', '--name', 'crun-bg', 'busybox', 'sleep', '30'])).trim();
		assert.equal(JSON.parse(await ok(['inspect', 'crun-bg']))[0].HostConfig.Runtime, 'crun');
		assert.equal(await ok(['exec', 'crun-bg', 'hostname']), `${id.slice(0, 12)}\n`);
		assert.equal(await ok(['exec', '-u', 'nobody', 'crun-bg', 'id']), 'uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n');
		await ok(['stop', '-t', '1', 'crun-bg']);
		assert.match((await psRow('crun-bg')).STATUS!, /^Exited \((137|143)\) /);
		await ok(['rm', 'crun-bg']);
	});

	test('run -it gives a real terminal (tmux): a shell answers, resizes, and exits with its code', {timeout: 60_000, skip: spawnSync('tmux', ['-V']).status === 0 ? false : 'tmux is not installed'}, async () => {
		const session = `strata-it-${process.pid}`;
		const exitFile = join(root, 'it-exit');
		const cli = cliPath;
		const tmux = (...args: string[]) => spawnSync('tmux', args, {encoding: 'utf8', timeout: 10_000});
		tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', `STRATA_ROOT=${root} ${process.execPath} ${cli} run -it --rm busybox sh; echo $? > ${exitFile}; sleep 30`);
		try {
			const screen = () => tmux('capture-pane', '-p', '-t', session).stdout;
			await eventually(() => screen().includes('/ #'), 20_000, 'the shell prompt');
			tmux('send-keys', '-t', session, 'echo hi-$((1+1)); tty; stty size', 'Enter');
			await eventually(() => /^hi-2$/m.test(screen()), 10_000, 'hi-2');
			assert.match(screen(), /^\/dev\/pts\/0$/m);
			assert.match(screen(), /^30 100$/m);
			tmux('resize-window', '-t', session, '-x', '120', '-y', '40');
			await new Promise(resolve => setTimeout(resolve, 300));
			tmux('send-keys', '-t', session, 'stty size', 'Enter');
			await eventually(() => /^40 120$/m.test(screen()), 10_000, 'the new size');
			tmux('send-keys', '-t', session, 'exit 7', 'Enter');
			await eventually(() => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '', 15_000, 'the CLI to exit');
			assert.equal(readFileSync(exitFile, 'utf8').trim(), '7');
		} finally {
			tmux('kill-session', '-t', session);
		}
	});

	test('rmi and image prune respect containers; system df and info count them', {timeout: 60_000}, async () => {
		const running = (await ok(['run', '-d', '--name', 'holder', 'busybox', 'sleep', '60'])).trim();
		const short = imageId.replace('sha256:', '').slice(0, 12);
		const byId = await strata(['rmi', imageId]);
		assert.equal(byId.stderr, `Error: conflict: unable to delete ${short} (cannot be forced) - image is being used by running container ${running.slice(0, 12)}\n`);
		const forced = await strata(['rmi', '-f', imageId]);
		assert.equal(forced.stderr, `Error: conflict: unable to delete ${short} (cannot be forced) - image is being used by running container ${running.slice(0, 12)}\n`);
		const byTag = await strata(['rmi', 'busybox']);
		assert.match(byTag.stderr, new RegExp(`^Error: conflict: unable to remove repository reference "busybox" \\(must force\\) - container [a-f\\d]{12} is using its referenced image ${short}\\n$`));
		const pruned = await strata(['image', 'prune', '-a', '-f']);
		assert.equal(pruned.stdout, 'Total reclaimed space: 0B\n');
		assert.match(await ok(['images', '-q']), new RegExp(short));

		const df = await ok(['system', 'df']);
		assert.match(df, /^Containers\s+\d+\s+1\s+/m);
		assert.match(df, /^Images\s+1\s+1\s+/m);
		assert.match(await ok(['info']), /^ Storage Driver: overlay /m);
		await ok(['stop', '-t', '0', 'holder']);

		const stopped = await strata(['rmi', imageId]);
		assert.match(stopped.stderr, new RegExp(`\\(must be forced\\) - image is being used by stopped container [a-f\\d]{12}\\n$`));
	});

	test('inspect a container: Docker\'s shape; container prune removes the stopped ones', {timeout: 60_000}, async () => {
		const id = (await ok(['run', '-d', '--name', 'inspected', '-e', 'A=1', 'busybox', 'sleep', '30'])).trim();
		const [info] = JSON.parse(await ok(['inspect', 'inspected'])) as Array<Record<string, any>>;
		assert.equal(info!.Id, id);
		assert.equal(info!.Name, '/inspected');
		assert.equal(info!.Path, 'sleep');
		assert.deepEqual(info!.Args, ['30']);
		assert.equal(info!.Image, imageId);
		assert.equal(info!.State.Status, 'running');
		assert.equal(info!.State.Running, true);
		assert.ok(info!.State.Pid > 0);
		assert.equal(info!.Config.Hostname, id.slice(0, 12));
		assert.equal(info!.Config.Image, 'busybox');
		assert.deepEqual(info!.Config.Env, ['FROM_IMAGE=yes', 'A=1']);
		assert.deepEqual(info!.Config.Cmd, ['sleep', '30']);
		assert.equal(info!.HostConfig.NetworkMode, 'host');
		assert.equal(info!.GraphDriver.Name, 'overlay');
		assert.equal(info!.GraphDriver.Data.UpperDir, join(containerDir(id), 'upper'));
		assert.equal(JSON.parse(await ok(['container', 'inspect', id.slice(0, 8)]))[0].Id, id);

		const prune = await ok(['container', 'prune', '-f']);
		assert.match(prune, /^Deleted Containers:\n([a-f\d]{64}\n)+\nTotal reclaimed space: /);
		assert.ok(!prune.includes(id), 'the running one stays');
		assert.deepEqual(psRows(await ok(['ps', '-a'])).map(row => row.NAMES), ['inspected']);
		const refused = await strata(['rm', 'inspected']);
		assert.equal(refused.stderr, `Error: You cannot remove a running container ${id}. Stop the container before attempting removal or force remove\n`);
		assert.equal(await ok(['rm', '-f', 'inspected']), 'inspected\n');
		assert.deepEqual(mountsUnder(root), []);
		assert.deepEqual(readdirSync(join(root, 'containers')).filter(name => !name.startsWith('.')), []);
	});
});
