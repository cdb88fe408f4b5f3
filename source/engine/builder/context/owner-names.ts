// The user and group names of numeric owners, as Go's os/user finds them in the host's /etc/passwd and
// /etc/group. The classic builder hashes a COPY --from source through Go's tar.FileInfoHeader, which fills a
// header's uname and gname that way, in the daemon (so from the host's files, not the image's).
import {readFile} from 'node:fs/promises';

export interface OwnerNames {
	/** The user name of uid, or '' when the host has none. */
	user(uid: number): string;
	/** The group name of gid, or '' when the host has none. */
	group(gid: number): string;
}

/** Reads the host's user and group files once; a missing file names nobody. */
export async function loadOwnerNames(passwdPath = '/etc/passwd', groupPath = '/etc/group'): Promise<OwnerNames> {
	// passwd lines have 7 fields (Go requires at least 6), group lines 4.
	const users = namesById(await readOptional(passwdPath), 6);
	const groups = namesById(await readOptional(groupPath), 4);
	return {
		user: uid => users.get(String(uid)) ?? '',
		group: gid => groups.get(String(gid)) ?? '',
	};
}

/**
 * The first name per id as written (field 3; Go compares it with the decimal id as text): blank lines,
 * comments, NIS `+`/`-` lines, lines with too few fields, an empty name and a non-numeric id are skipped.
 */
function namesById(text: string, minFields: number): Map<string, string> {
	const names = new Map<string, string>();
	for (const raw of text.split('\n')) {
		const line = raw.trim();
		if (line === '' || line.startsWith('#')) continue;
		const fields = line.split(':');
		const name = fields[0]!;
		if (fields.length < minFields || name === '' || name.startsWith('+') || name.startsWith('-')) continue;
		if (!/^-?\d+$/.test(fields[2]!)) continue;
		if (!names.has(fields[2]!)) names.set(fields[2]!, name);
	}
	return names;
}

async function readOptional(path: string): Promise<string> {
	try {
		return await readFile(path, 'utf8');
	} catch {
		return '';
	}
}
