import {execFile} from 'node:child_process';
import {StrataError} from '../errors.js';

/** overlayfs marks an opaque directory with this xattr (`user.` when mounted rootless with `userxattr`). */
export const opaqueXattrs = ['trusted.overlay.opaque', 'user.overlay.opaque'] as const;
/** The one xattr Docker carries in layer tars (file capabilities). */
export const capabilityXattr = 'security.capability';

/** Extended attributes by clean relative path (`''` is the root), then by name. */
export type XattrsByPath = Map<string, Map<string, Buffer>>;

/**
 * Reads the xattrs named `names` of every entry under `root` (symlinks not followed), with one `getfattr`
 * for the whole tree: Node has no xattr API, and one process per file would cost more than the walk.
 * getfattr prints only entries that carry one of the names, so the answer is small.
 */
export async function readXattrsUnder(root: string, names: readonly string[]): Promise<XattrsByPath> {
	const pattern = `^(${names.map(name => name.replaceAll('.', '\\.')).join('|')})$`;
	const args = ['--recursive', '--physical', '--no-dereference', '--absolute-names', '--dump', '--match', pattern, '--encoding', 'hex', '--', root];
	const stdout = await new Promise<Buffer>((resolve, reject) => {
		execFile('getfattr', args, {encoding: 'buffer', maxBuffer: 256 * 1024 * 1024}, (error, out, err) => {
			if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
				reject(new StrataError('getfattr is not installed (apt-get install attr): strata needs it to read overlay whiteouts'));
			} else if (error && !onlyVanishedFiles(err)) {
				reject(new StrataError(`getfattr ${root}: ${err.toString('utf8').trim().split('\n')[0] || error.message}`));
			} else resolve(out);
		});
	});
	return parseGetfattrDump(stdout, root);
}

/** A running container (committed without pausing) may delete files while getfattr walks: not an error. */
function onlyVanishedFiles(stderr: Buffer): boolean {
	const lines = stderr.toString('utf8').split('\n').filter(line => line.trim() !== '');
	return lines.length > 0 && lines.every(line => line.endsWith('No such file or directory'));
}

/**
 * Parses `getfattr --dump --encoding hex` output: blocks of `# file: PATH` then `name=0xHEX` lines.
 * PATH escapes bytes getfattr finds unsafe as `\ooo` octal (a backslash is `\134`); other bytes are raw.
 */
export function parseGetfattrDump(output: Buffer, root: string): XattrsByPath {
	const result: XattrsByPath = new Map();
	let current: Map<string, Buffer> | undefined;
	// latin1 maps bytes 1:1, so escaped and raw bytes can be rebuilt into the UTF-8 name.
	for (const line of output.toString('latin1').split('\n')) {
		if (line.startsWith('# file: ')) {
			const path = unescapeGetfattrPath(line.slice('# file: '.length));
			const relative = path === root ? '' : path.startsWith(`${root}/`) ? path.slice(root.length + 1) : undefined;
			current = relative === undefined ? undefined : new Map();
			if (current) result.set(relative!, current);
			continue;
		}
		const match = /^([^=]+)=0x([\da-fA-F]*)$/.exec(line);
		if (match && current) current.set(match[1]!, Buffer.from(match[2]!, 'hex'));
	}
	return result;
}

function unescapeGetfattrPath(escaped: string): string {
	const latin1 = escaped.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
	return Buffer.from(latin1, 'latin1').toString('utf8');
}

/** overlayfs writes `y`; anything else is not opaque. */
export function isOpaque(xattrs: Map<string, Buffer> | undefined): boolean {
	if (!xattrs) return false;
	return opaqueXattrs.some(name => xattrs.get(name)?.toString('latin1') === 'y');
}
