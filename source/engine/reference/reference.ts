// Docker image references, parsed and normalized the way github.com/distribution/reference does it
// (ParseNormalizedNamed, FamiliarString, TagNameOnly), so that a name means here what it means to `docker`.
//
//	reference   := name [ ":" tag ] [ "@" digest ]
//	name        := [domain "/"] path
//	domain      := host [":" port]          host: DNS-ish name, IPv4, or [IPv6]
//	path        := component ["/" component]*
//	component   := [a-z0-9]+ ( ([._] | "__" | "-"+) [a-z0-9]+ )*
//	tag         := [\w][\w.-]{0,127}
//	digest      := algorithm ":" hex        (only sha256 with 64 lowercase hex digits is accepted)
import {type Digest, isDigest} from '../digest.js';
import {StrataError} from '../errors.js';

/**
 * A normalized reference: `busybox` is `{domain: 'docker.io', path: 'library/busybox'}`.
 * A reference may carry a tag, a digest, or both (`name:tag@digest`, which Docker keeps as written).
 */
export type Reference = {domain: string; path: string; tag?: string; digest?: Digest};

const defaultDomain = 'docker.io';
// Docker Hub's name from the v1 "Docker Index" days; still accepted as an alias of docker.io.
const legacyDefaultDomain = 'index.docker.io';
const officialRepositoryPrefix = 'library/';
const defaultTag = 'latest';
const maximumPathLength = 255;
const maximumTagLength = 128;

// The grammar, built from the same pieces and in the same order as distribution/reference's regexp.go.
// Order matters: JavaScript, like Go's regexp, prefers the leftmost alternative, so the optional domain
// is tried before the path and capture groups come out the same as Docker's.
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
// Zone identifiers (%eth0) and IPv4-mapped forms are deliberately excluded, as in Docker.
const ipv6Address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainAndPort = `(?:${domainName}|${ipv6Address})(?::[0-9]+)?`;
const tagPattern = '[\\w][\\w.-]{0,127}';
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const namePattern = `(?:${domainAndPort}/)?${remoteName}`;

const referenceRegExp = new RegExp(`^(${namePattern})(?::(${tagPattern}))?(?:@(${digestPattern}))?$`);
const nameRegExp = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
const identifierRegExp = /^[a-f0-9]{64}$/;
const anchoredPathComponentRegExp = new RegExp(`^${pathComponent}$`);
const anchoredDomainRegExp = new RegExp(`^${domainAndPort}$`);
const anchoredDigestRegExp = new RegExp(`^${digestPattern}$`);
const tagCharactersRegExp = /^[\w.-]*$/;
const sha256HexRegExp = /^[a-f0-9]{64}$/;

function invalid(input: string, reason?: string): never {
	const subject = JSON.stringify(input);
	throw new StrataError(`invalid reference format: ${subject}${reason === undefined ? '' : ` — ${reason}`}`);
}

/**
 * Docker's splitDockerDomain: the first component is a registry host only if it could not be a Docker Hub
 * namespace — `localhost`, something with a `.` or `:`, or something with uppercase (Hub namespaces are
 * lowercase). A single component is always a Hub name, so `localhost:5000` is `library/localhost` tagged 5000.
 */
function splitDockerDomain(name: string): {domain: string; remainder: string} {
	const slash = name.indexOf('/');
	if (slash === -1) return {domain: defaultDomain, remainder: officialRepositoryPrefix + name};

	const maybeDomain = name.slice(0, slash);
	let domain = defaultDomain;
	let remainder = name;
	if (isRegistryHost(maybeDomain)) {
		domain = maybeDomain === legacyDefaultDomain ? defaultDomain : maybeDomain;
		remainder = name.slice(slash + 1);
	}

	// Only Docker Hub has the implicit library/ namespace; `example.com/busybox` stays as written.
	if (domain === defaultDomain && !remainder.includes('/')) remainder = officialRepositoryPrefix + remainder;
	return {domain, remainder};
}

function isRegistryHost(firstComponent: string): boolean {
	return (
		firstComponent === 'localhost' ||
		/[.:]/.test(firstComponent) ||
		firstComponent.toLowerCase() !== firstComponent
	);
}

/** The reason a tag is invalid, for error messages and live validation; undefined when it is valid. */
export function validateTag(tag: string): string | undefined {
	if (tag === '') return 'tag must not be empty';
	if (tag.length > maximumTagLength) return `tag must be at most ${maximumTagLength} characters (has ${tag.length})`;
	if (!/^\w/.test(tag)) return 'tag must start with a letter, digit or "_"';
	if (!tagCharactersRegExp.test(tag)) return 'tag may contain only letters, digits, "_", "." and "-"';
	return undefined;
}

// go-digest's Validate, narrowed to the one algorithm a Digest can hold here.
function parseDigest(text: string, input: string): Digest {
	const colon = text.indexOf(':');
	const algorithm = text.slice(0, colon);
	const encoded = text.slice(colon + 1);
	if (algorithm !== 'sha256') invalid(input, `unsupported digest algorithm "${algorithm}"`);
	if (encoded.length !== 64) invalid(input, 'invalid checksum digest length');
	if (!sha256HexRegExp.test(encoded)) invalid(input, 'invalid checksum digest format');
	if (!isDigest(text)) invalid(input, 'invalid checksum digest format');
	return text;
}

/**
 * Docker says only "invalid reference format" when the grammar does not match; this finds which part of
 * the input is at fault so that the message can say. It judges the input as typed, not the normalized form.
 */
function explainInvalidReference(input: string): string | undefined {
	const at = input.indexOf('@');
	const namePart = at === -1 ? input : input.slice(0, at);
	const digestPart = at === -1 ? undefined : input.slice(at + 1);
	// A tag's colon comes after the last slash; an earlier one belongs to a registry port.
	const tagColon = namePart.indexOf(':', namePart.lastIndexOf('/') + 1);
	const name = tagColon === -1 ? namePart : namePart.slice(0, tagColon);
	const tag = tagColon === -1 ? undefined : namePart.slice(tagColon + 1);

	if (name === '') return 'repository name must not be empty';
	let pathComponents = name.split('/');
	if (pathComponents.length > 1 && isRegistryHost(pathComponents[0]!)) {
		const host = pathComponents[0]!;
		if (!anchoredDomainRegExp.test(host)) return `"${host}" is not a valid registry host`;
		pathComponents = pathComponents.slice(1);
	}
	for (const component of pathComponents) {
		if (component === '') return 'repository name must not contain empty path components';
		if (!anchoredPathComponentRegExp.test(component)) {
			return `invalid repository name component "${component}": use lowercase letters and digits, separated by ".", "_", "__" or "-"`;
		}
	}
	if (tag !== undefined) {
		const tagProblem = validateTag(tag);
		if (tagProblem !== undefined) return tagProblem;
	}
	if (digestPart !== undefined && !anchoredDigestRegExp.test(digestPart)) {
		return 'invalid digest format (expected sha256:<64 hex digits>)';
	}
	return undefined;
}

/**
 * Parses and normalizes a reference as `docker` does (ParseNormalizedNamed): `busybox` becomes
 * docker.io/library/busybox, `index.docker.io/x` becomes docker.io/library/x. No tag is added.
 */
export function parseReference(input: string): Reference {
	// A bare image ID is never a repository name; Docker refuses it so that IDs and names cannot collide.
	if (identifierRegExp.test(input)) {
		throw new StrataError(`invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`);
	}

	const {domain, remainder} = splitDockerDomain(input);
	const tagSeparator = remainder.indexOf(':');
	const remote = tagSeparator === -1 ? remainder : remainder.slice(0, tagSeparator);
	if (remote.toLowerCase() !== remote) {
		throw new StrataError(`invalid reference format: repository name (${remote}) must be lowercase`);
	}

	const normalized = `${domain}/${remainder}`;
	const match = referenceRegExp.exec(normalized);
	if (match === null) {
		const lowercased = normalized.toLowerCase();
		if (lowercased !== normalized && referenceRegExp.test(lowercased)) {
			invalid(input, 'repository name must be lowercase');
		}
		invalid(input, explainInvalidReference(input));
	}

	const [, name = '', tag, digestText] = match;
	// Same pieces as the full match, so this cannot fail. When the host is not a valid domain (`a_b.com/x`)
	// but still a valid path component, Docker reads the whole name as a path with no domain; so does this.
	const nameMatch = nameRegExp.exec(name);
	const reference: Reference = {domain: nameMatch?.[1] ?? '', path: nameMatch?.[2] ?? name};
	if (reference.path.length > maximumPathLength) {
		invalid(input, `repository name must not be more than ${maximumPathLength} characters`);
	}
	if (tag !== undefined) reference.tag = tag;
	if (digestText !== undefined) reference.digest = parseDigest(digestText, input);
	return reference;
}

/** parseReference plus Docker's TagNameOnly: a bare name means `:latest`; a digest alone stays untagged. */
export function parseReferenceWithDefaultTag(input: string): Reference {
	const reference = parseReference(input);
	if (reference.tag === undefined && reference.digest === undefined) return {...reference, tag: defaultTag};
	return reference;
}

export function tryParseReference(input: string): Reference | undefined {
	try {
		return parseReference(input);
	} catch (error) {
		if (error instanceof StrataError) return undefined;
		throw error;
	}
}

function withTagAndDigest(name: string, reference: Reference): string {
	const tag = reference.tag === undefined ? '' : `:${reference.tag}`;
	const digest = reference.digest === undefined ? '' : `@${reference.digest}`;
	return name + tag + digest;
}

/** The full repository name: `docker.io/library/busybox`. */
export function repositoryName(reference: Reference): string {
	return reference.domain === '' ? reference.path : `${reference.domain}/${reference.path}`;
}

/** The full reference: `docker.io/library/busybox:latest`, `…/busybox@sha256:…`, or both. */
export function fullReference(reference: Reference): string {
	return withTagAndDigest(repositoryName(reference), reference);
}

/** The name as Docker shows it: docker.io/ dropped, and library/ too for official images (`busybox`). */
export function familiarName(reference: Reference): string {
	if (reference.domain !== defaultDomain) return repositoryName(reference);
	const official = reference.path.startsWith(officialRepositoryPrefix)
		? reference.path.slice(officialRepositoryPrefix.length)
		: undefined;
	// library/foo/bar is not an official image, so it keeps its namespace (as in Docker's familiarizeName).
	return official !== undefined && !official.includes('/') ? official : reference.path;
}

/** Docker's FamiliarString: `busybox:latest`, `user/app@sha256:…`. */
export function familiarReference(reference: Reference): string {
	return withTagAndDigest(familiarName(reference), reference);
}

/**
 * Translates a Go path.Match pattern to a RegExp: `*` is any run of characters except `/`, `?` one character
 * except `/`, `[...]` / `[^...]` a class with ranges, `\` escapes. Undefined for a pattern Go would reject
 * (ErrBadPattern): an unclosed or empty class, a bare `-` or `]` in a class, a trailing `\`.
 */
function globToRegExp(pattern: string): RegExp | undefined {
	const characters = [...pattern];
	const literal = (character: string) => `\\u{${character.codePointAt(0)!.toString(16)}}`;
	let source = '';
	let index = 0;
	while (index < characters.length) {
		const character = characters[index++]!;
		if (character === '*') {
			source += '[^/]*';
		} else if (character === '?') {
			source += '[^/]';
		} else if (character === '\\') {
			if (index >= characters.length) return undefined;
			source += literal(characters[index++]!);
		} else if (character === '[') {
			const negated = characters[index] === '^';
			if (negated) index++;
			// Reads one class member, which may be escaped; a bare '-' or ']' is a syntax error in Go.
			const readClassCharacter = (): string | undefined => {
				let member = characters[index];
				if (member === undefined || member === '-' || member === ']') return undefined;
				if (member === '\\') {
					index++;
					member = characters[index];
					if (member === undefined) return undefined;
				}
				index++;
				return member;
			};
			let ranges = '';
			let rangeCount = 0;
			for (;;) {
				if (characters[index] === ']' && rangeCount > 0) {
					index++;
					break;
				}
				const low = readClassCharacter();
				if (low === undefined) return undefined;
				let high = low;
				if (characters[index] === '-') {
					index++;
					const rangeEnd = readClassCharacter();
					if (rangeEnd === undefined) return undefined;
					high = rangeEnd;
				}
				rangeCount++;
				// Go accepts a reversed range and lets it match nothing; a RegExp would throw, so leave it out.
				if (low.codePointAt(0)! <= high.codePointAt(0)!) ranges += `${literal(low)}-${literal(high)}`;
			}
			// `[]` matches nothing and `[^]` anything, which is what an all-reversed class means either way.
			source += `[${negated ? '^' : ''}${ranges}]`;
		} else {
			source += literal(character);
		}
	}
	return new RegExp(`^${source}$`, 'u');
}

/**
 * Docker's `--filter reference=PATTERN` (FamiliarMatch): a path.Match glob tried against the familiar
 * reference (`busybox:latest`), then the familiar name (`busybox`), then the same two in full form
 * (`docker.io/library/busybox`), so both `busybox:1.*` and `docker.io/library/*` work. A malformed pattern
 * matches nothing, where Docker reports "syntax error in pattern".
 */
export function matchesReferencePattern(reference: Reference, pattern: string): boolean {
	const matcher = globToRegExp(pattern);
	if (matcher === undefined) return false;
	const candidates = [
		familiarReference(reference),
		familiarName(reference),
		fullReference(reference),
		repositoryName(reference),
	];
	return candidates.some(candidate => matcher.test(candidate));
}
