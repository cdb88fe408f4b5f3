// `COPY --chown=user:group`: numeric IDs as they are, names looked up in the image's /etc/passwd and
// /etc/group, as the classic builder does. A user alone gives its primary group (numeric: the same ID).
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {StrataError} from '../../errors.js';

export interface Owner {
	uid: number;
	gid: number;
}

export async function resolveOwner(chown: string, root: string | undefined): Promise<Owner> {
	const [user = '', group] = chown.split(':', 2);
	const passwd = await readTable(root, 'etc/passwd');
	let uid: number;
	let primaryGid: number | undefined;
	if (/^\d+$/.test(user)) {
		uid = Number(user);
		primaryGid = uid;
	} else {
		const row = passwd.find(fields => fields[0] === user);
		if (!row) throw new StrataError(`unable to convert uid/gid chown string to host mapping: can't find uid for user ${user}: no such user: ${user}`);
		uid = Number(row[2]);
		primaryGid = Number(row[3]);
	}
	if (group === undefined || group === '') return {uid, gid: primaryGid};
	if (/^\d+$/.test(group)) return {uid, gid: Number(group)};
	const row = (await readTable(root, 'etc/group')).find(fields => fields[0] === group);
	if (!row) throw new StrataError(`unable to convert uid/gid chown string to host mapping: can't find gid for group ${group}: no such group: ${group}`);
	return {uid, gid: Number(row[2])};
}

/** `--chmod=755`: octal permission bits. */
export function parseChmod(chmod: string): number {
	if (!/^[0-7]{1,4}$/.test(chmod)) throw new StrataError(`invalid chmod parameter: ${chmod}`);
	return Number.parseInt(chmod, 8);
}

async function readTable(root: string | undefined, path: string): Promise<string[][]> {
	if (root === undefined) return [];
	const text = await readFile(join(root, path), 'utf8').catch(() => '');
	return text.split('\n').filter(line => line && !line.startsWith('#')).map(line => line.split(':'));
}
