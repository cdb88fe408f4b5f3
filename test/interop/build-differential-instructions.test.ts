// docker build next to strata build, one small context per instruction (issue 5, point 6): the same
// Dockerfile on the same busybox must give the same filesystem, layers, settings and history.
import {describe, test} from 'node:test';
import {Differential, differentialSkip, useDifferential} from './build-differential-support.js';

const FROM = 'FROM strata-test/busybox\n';

describe('docker build and strata build make the same image: instructions', {skip: differentialSkip, timeout: 900_000}, () => {
	let diff!: Differential;
	useDifferential(started => (diff = started));

	test('ENV both forms and expansions', {timeout: 300_000}, async () => {
		await diff.same('env', {
			Dockerfile: `${FROM}ENV A=1 B="two words" C=\${A}x\nENV D old form with spaces\nENV E=$B F=\${UNSET:-dflt} G=\${A:+set} PATH=$PATH:/opt/bin\nENV A=3\nRUN echo "$A $B $C $D $E $F $G" > /env.txt\n`,
		});
	});

	test('a base without PATH: the classic builder adds the default PATH at FROM', {timeout: 300_000}, async () => {
		await diff.same('nopath', {Dockerfile: 'FROM strata-test/busybox-nopath\nENV A=1\nRUN echo "$PATH" > /path.txt\n'});
	});

	test('LABEL, MAINTAINER', {timeout: 300_000}, async () => {
		await diff.same('label', {Dockerfile: `${FROM}ARG V=1\nLABEL a=1 "b c"="d e" version=$V\nLABEL a=2\nLABEL old value with spaces\nMAINTAINER Jane Doe <jane@example.com>\n`});
	});

	test('EXPOSE, VOLUME, STOPSIGNAL', {timeout: 300_000}, async () => {
		await diff.same('expose', {Dockerfile: `${FROM}ENV P=8080\nEXPOSE 80 53/udp $P/tcp\nEXPOSE 80/tcp\nVOLUME /data\nVOLUME ["/logs", "/cache"]\nVOLUME /a /b\nSTOPSIGNAL SIGINT\n`});
	});

	test('WORKDIR (absolute, relative, nested, with ENV)', {timeout: 300_000}, async () => {
		await diff.same('workdir', {Dockerfile: `${FROM}ENV BASE=/srv\nWORKDIR $BASE/app\nWORKDIR sub\nWORKDIR ../other/deep\nWORKDIR /tmp\n`});
	});

	test('USER: the stage\'s user in RUN and in the config', {timeout: 300_000}, async () => {
		await diff.same('user', {Dockerfile: `${FROM}USER nobody\nRUN id -u > /tmp/uid && id -g > /tmp/gid && touch /tmp/mine\nUSER 1000:1000\n`});
	});

	test('USER: supplementary groups in RUN (the primary group always among them)', {timeout: 300_000}, async () => {
		await diff.same('user-groups', {
			Dockerfile: `${FROM}RUN id > /tmp/id-root\nUSER nobody\nRUN id > /tmp/id-nobody\nUSER nobody:0\nRUN id > /tmp/id-nobody-0\nUSER 1000\nRUN id > /tmp/id-1000\nUSER root:nogroup\nRUN id > /tmp/id-root-nogroup\n`,
		});
	});

	test('ARG with defaults and --build-arg', {timeout: 300_000}, async () => {
		await diff.same('arg', {Dockerfile: `${FROM}ARG A=default\nARG B\nARG C=c\nENV FROM_ARG=$A-$B-$C\nRUN echo "$A $B $C" > /args.txt\nARG A=again\nRUN echo "$A" > /again.txt\n`}, {buildArgs: {B: 'given', C: 'override'}});
	});

	test('SHELL, and RUN with it', {timeout: 300_000}, async () => {
		await diff.same('shell', {Dockerfile: `${FROM}SHELL ["/bin/sh", "-ec"]\nRUN echo shelled > /s.txt\nSHELL ["/bin/ash", "-c"]\nCMD echo via shell\nENTRYPOINT echo entry\n`});
	});

	test('HEALTHCHECK with every flag, then NONE', {timeout: 300_000}, async () => {
		await diff.same('health', {Dockerfile: `${FROM}HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=4 CMD wget -q localhost || exit 1\n`});
		await diff.same('health-exec', {Dockerfile: `${FROM}HEALTHCHECK CMD ["true"]\n`});
		await diff.same('health-none', {Dockerfile: `${FROM}HEALTHCHECK --interval=1m CMD true\nHEALTHCHECK NONE\n`});
	});

	test('CMD and ENTRYPOINT: shell and exec forms, ENTRYPOINT resets an inherited CMD', {timeout: 300_000}, async () => {
		await diff.same('cmd-shell', {Dockerfile: `${FROM}CMD echo "hi there"\n`});
		await diff.same('entry-resets', {Dockerfile: `${FROM}ENTRYPOINT ["/bin/echo"]\n`});
		await diff.same('entry-keeps', {Dockerfile: `${FROM}CMD ["a"]\nENTRYPOINT /bin/echo x\nCMD ["b", "c"]\nENTRYPOINT ["/bin/echo"]\n`});
	});

	test('RUN: writes, deletes a base file (whiteout), chmod, a directory replaced by a file', {timeout: 300_000}, async () => {
		await diff.same('run', {
			Dockerfile: `${FROM}RUN mkdir -p /d/sub && echo one > /d/sub/f && echo two > /d/g && ln -s /d/g /d/link && ln /d/g /d/hard\nRUN rm /etc/group /bin/vi && chmod 0700 /etc/passwd && chmod 4755 /d/g\nRUN rm -rf /d/sub && echo now-a-file > /d/sub\nRUN true\n`,
		});
	});
});
