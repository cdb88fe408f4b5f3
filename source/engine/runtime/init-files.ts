import {mkdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import type {ContainerRecord} from '../containers/container-record.js';

const defaultHosts = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', 'fe00::0\tip6-localnet', 'ff00::0\tip6-mcastprefix', 'ff02::1\tip6-allnodes', 'ff02::2\tip6-allrouters'];

/** Files of the init dir, bind-mounted over the same paths under /etc (they are never in the writable layer). */
export const initFiles = ['hosts', 'hostname', 'resolv.conf'] as const;

/**
 * Writes /etc/hosts, /etc/hostname and /etc/resolv.conf for the container into `dir` (containers/<id>/init/).
 * Host network: the host's hosts and resolv.conf, as Docker does; `none`: Docker's default hosts. Either
 * way the container's hostname resolves to loopback, so tools that look themselves up work offline.
 */
export async function writeInitFiles(dir: string, record: ContainerRecord): Promise<void> {
	await mkdir(dir, {recursive: true, mode: 0o755});
	const hostname = record.config.Hostname;
	const hostHosts = record.hostConfig.network === 'host' ? await readFile('/etc/hosts', 'utf8').catch(() => undefined) : undefined;
	const hosts = hostHosts ? hostHosts.replace(/\n*$/, '\n') : `${defaultHosts.join('\n')}\n`;
	await writeFile(join(dir, 'hosts'), `${hosts}127.0.0.1\t${hostname}\n`, {mode: 0o644});
	await writeFile(join(dir, 'hostname'), `${hostname}\n`, {mode: 0o644});
	const resolv = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
	await writeFile(join(dir, 'resolv.conf'), resolv, {mode: 0o644});
}
