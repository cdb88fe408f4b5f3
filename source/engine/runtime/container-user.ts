import {readFile} from 'node:fs/promises';
import {StrataError} from '../errors.js';
import {resolveInRoot} from './rootfs-path.js';

/** The process identity for the OCI spec: Docker's reading of `--user` / the image's User. */
export type ProcessUser = {uid: number; gid: number; additionalGids: number[]; home: string};

type PasswdEntry = {name: string; uid: number; gid: number; home: string};
type GroupEntry = {name: string; gid: number; members: string[]};

/**
 * Resolves `user` (`name`, `uid`, `name:group`, `uid:gid`, empty = root) against the container's
 * /etc/passwd and /etc/group like Docker (moby/sys/user GetExecUser): names must exist, numeric IDs
 * need not; the primary group comes from passwd unless given; supplementary groups are the primary
 * one and the groups listing the user by name. An unknown name is Docker's error.
 */
export async function resolveUser(rootfs: string, user: string): Promise<ProcessUser> {
	const [userPart = '', groupPart] = user.split(':', 2);
	const passwd = await readEntries(rootfs, '/etc/passwd', parsePasswd);
	const groups = await readEntries(rootfs, '/etc/group', parseGroup);
	const byName = userPart === '' ? passwd.find(entry => entry.uid === 0) : passwd.find(entry => entry.name === userPart);
	const numeric = /^\d+$/.test(userPart) ? Number(userPart) : undefined;
	const entry = numeric !== undefined ? passwd.find(candidate => candidate.uid === numeric) : byName;
	if (!entry && numeric === undefined && userPart !== '') throw new StrataError(`unable to find user ${userPart}: no matching entries in passwd file`);
	const uid = numeric ?? entry?.uid ?? 0;
	let gid = entry?.gid ?? 0;
	if (groupPart !== undefined && groupPart !== '') {
		if (/^\d+$/.test(groupPart)) gid = Number(groupPart);
		else {
			const group = groups.find(candidate => candidate.name === groupPart);
			if (!group) throw new StrataError(`unable to find group ${groupPart}: no matching entries in group file`);
			gid = group.gid;
		}
	}
	// The primary group is always a supplementary one too (Docker since the fix for CVE-2023-25173: a
	// process must not shed it with setgroups to get around a group's denial); `id` shows groups=<gid>.
	const members = entry && groupPart === undefined ? groups.filter(group => group.members.includes(entry.name)).map(group => group.gid) : [];
	const additionalGids = [...new Set([gid, ...members])];
	return {uid, gid, additionalGids, home: entry?.home || '/'};
}

async function readEntries<T>(rootfs: string, path: string, parse: (fields: string[]) => T | undefined): Promise<T[]> {
	let text: string;
	try {
		text = await readFile(await resolveInRoot(rootfs, path), 'utf8');
	} catch {
		return [];
	}
	return text
		.split('\n')
		.filter(line => line.trim() !== '' && !line.startsWith('#'))
		.map(line => parse(line.split(':')))
		.filter((entry): entry is T => entry !== undefined);
}

function parsePasswd(fields: string[]): PasswdEntry | undefined {
	const [name, , uid, gid, , home] = fields;
	if (!name || !/^\d+$/.test(uid ?? '') || !/^\d+$/.test(gid ?? '')) return undefined;
	return {name, uid: Number(uid), gid: Number(gid), home: home ?? '/'};
}

function parseGroup(fields: string[]): GroupEntry | undefined {
	const [name, , gid, members] = fields;
	if (!name || !/^\d+$/.test(gid ?? '')) return undefined;
	return {name, gid: Number(gid), members: (members ?? '').split(',').filter(Boolean)};
}
