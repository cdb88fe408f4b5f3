// `builder prune --filter KEY=VALUE`. Only `until` has a meaning for an image cache: Docker's other keys
// (id, parent, type, description, inuse, shared, private) describe BuildKit's cache records.
import {StrataError} from '../../errors.js';
import {parseGoDuration} from '../dockerfile/go-duration.js';

export type BuildCachePruneFilters = {
	/** Only cache images that entered the store before this time go. */
	until?: Date;
};

/**
 * Docker's timestamp argument (timetypes.GetTimestamp): a Go duration before `now` (`24h`, `90m`), an
 * RFC 3339 time or date (`2024-01-31T10:00:00Z`, `2024-01-31`), or Unix seconds (`1706695200.5`).
 */
export function parseUntil(value: string, now: Date): Date | undefined {
	try {
		return new Date(now.getTime() - parseGoDuration(value) / 1e6);
	} catch {
		// Not a duration: a time, then.
	}
	if (/^\d+(\.\d+)?$/.test(value)) return new Date(Number(value) * 1000);
	if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(value)) {
		// A time without a zone is local time, as Docker reads it.
		const date = new Date(value.length === 10 ? `${value}T00:00:00` : value.replace(' ', 'T'));
		if (!Number.isNaN(date.getTime())) return date;
	}
	return undefined;
}

/** `--filter` values (`until=24h`), each checked: a bad key or value is a one-line error naming it. */
export function parsePruneFilters(values: string[], now = new Date()): BuildCachePruneFilters {
	const filters: BuildCachePruneFilters = {};
	for (const value of values) {
		const [key, ...rest] = value.split('=');
		const argument = rest.join('=');
		if (rest.length === 0 || argument === '') throw new StrataError(`invalid filter '${value}': expected KEY=VALUE (until=24h)`);
		if (key !== 'until') throw new StrataError(`invalid filter '${key}': builder prune takes only until=DURATION|TIMESTAMP`);
		const until = parseUntil(argument, now);
		if (!until) throw new StrataError(`invalid filter 'until=${argument}': not a duration (24h, 90m) or a timestamp (2024-01-31T10:00:00Z, Unix seconds)`);
		filters.until = until;
	}
	return filters;
}
