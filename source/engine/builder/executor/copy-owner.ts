// `COPY --chown=user:group`: numeric IDs as they are, names looked up in the image's /etc/passwd and
// /etc/group, as the classic builder does. A user alone stands for the group too (Docker 20.10's
// parseChownFlag): `--chown=1000` is 1000:1000, `--chown=app` needs a group named app.
import {StrataError} from '../../errors.js';
import type {ImageTree} from './image-tree.js';

export interface Owner {
	uid: number;
	gid: number;
}

export async function resolveOwner(chown: string, tree: ImageTree | undefined): Promise<Owner> {
	const parts = chown.split(':');
	if (parts.length > 2) throw new StrataError(`invalid chown string format: ${chown}`);
	const [user = '', group = user] = parts;
	let uid: number;
	if (/^\d+$/.test(user)) {
		uid = Number(user);
	} else {
		const row = (await readTable(tree, 'etc/passwd')).find(fields => fields[0] === user);
		if (!row) throw new StrataError(`unable to convert uid/gid chown string to host mapping: can't find uid for user ${user}: no such user: ${user}`);
		uid = Number(row[2]);
	}
	if (/^\d+$/.test(group)) return {uid, gid: Number(group)};
	const row = (await readTable(tree, 'etc/group')).find(fields => fields[0] === group);
	if (!row) throw new StrataError(`unable to convert uid/gid chown string to host mapping: can't find gid for group ${group}: no such group: ${group}`);
	return {uid, gid: Number(row[2])};
}

/** `--chmod=755`: octal permission bits. */
export function parseChmod(chmod: string): number {
	if (!/^[0-7]{1,4}$/.test(chmod)) throw new StrataError(`invalid chmod parameter: ${chmod}`);
	return Number.parseInt(chmod, 8);
}

async function readTable(tree: ImageTree | undefined, path: string): Promise<string[][]> {
	const text = (await tree?.readText(path)) ?? '';
	return text.split('\n').filter(line => line && !line.startsWith('#')).map(line => line.split(':'));
}
