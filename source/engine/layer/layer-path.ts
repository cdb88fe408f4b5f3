/**
 * Paths of layer entries, cleaned the way Docker does before applying a layer: `path.Clean`, where a
 * leading `/` makes the path absolute so `..` stops at the root (`/../etc` is `etc`), while a relative
 * path whose `..` climbs above the root (`../x`, `a/../../x`) escapes it and is refused.
 */

/**
 * The clean relative form of a tar name: no leading `/` or `./`, no trailing `/`, no `.` or `..`.
 * The root itself is `''`. Returns undefined when the name escapes the root.
 */
export function cleanLayerPath(name: string): string | undefined {
	if (isAlreadyClean(name)) return name;
	const absolute = name.startsWith('/');
	const parts: string[] = [];
	for (const part of name.split('/')) {
		if (part === '' || part === '.') continue;
		if (part === '..') {
			if (parts.length > 0) parts.pop();
			else if (!absolute) return undefined;
			continue;
		}
		parts.push(part);
	}
	return parts.join('/');
}

/** Most names in real layers are already clean; checking is cheaper than splitting. */
function isAlreadyClean(name: string): boolean {
	if (name === '' || name.startsWith('/') || name.endsWith('/') || name.includes('//')) return false;
	if (name === '.' || name === '..' || name.startsWith('./') || name.startsWith('../')) return false;
	return !name.includes('/./') && !name.includes('/../') && !name.endsWith('/.') && !name.endsWith('/..');
}

/** The directory part of a clean path (`''` for top-level entries). */
export function parentPath(path: string): string {
	const slash = path.lastIndexOf('/');
	return slash === -1 ? '' : path.slice(0, slash);
}

export function baseName(path: string): string {
	return path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(parent: string, name: string): string {
	return parent === '' ? name : `${parent}/${name}`;
}

/**
 * Whether a relative symlink target, seen from the directory holding the link, climbs above the root.
 * Docker refuses to create such links (an absolute target is resolved inside the root, so it is fine).
 */
export function symlinkEscapes(linkPath: string, target: string): boolean {
	if (target.startsWith('/')) return false;
	return cleanLayerPath(joinPath(parentPath(linkPath), target)) === undefined;
}

export const whiteoutPrefix = '.wh.';
export const opaqueMarker = '.wh..wh..opq';
/** Top-level AUFS bookkeeping (`.wh..wh.plnk`, `.wh..wh.aufs`...) that Docker skips. */
export const aufsMetaPrefix = '.wh..wh.';

/** The marker entry that deletes `path` from lower layers. */
export function whiteoutMarkerPath(path: string): string {
	return joinPath(parentPath(path), whiteoutPrefix + baseName(path));
}

/** The marker entry that hides all lower contents of directory `dir`. */
export function opaqueMarkerPath(dir: string): string {
	return joinPath(dir, opaqueMarker);
}
