import {formatGoFloat} from './go-float.js';

// Sizes, durations and dates as the Docker CLI prints them (github.com/docker/go-units and Go's time
// formatting), so that strata's output matches `docker images` / `docker history` character for character.

const decimalUnits = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const binaryUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

/** go-units getSizeAndUnit: divide by base while the value is at least base, up to the largest unit. */
function scaleToUnit(size: number, base: number, units: string[]): {value: number; unit: string} {
	let value = size;
	let index = 0;
	while (value >= base && index < units.length - 1) {
		value /= base;
		index++;
	}
	return {value, unit: units[index]!};
}

/**
 * A size as Docker's SIZE columns print it: go-units `HumanSizeWithPrecision(size, 3)`, 1000-based,
 * e.g. 0 → "0B", 999 → "999B", 1000 → "1kB", 4260000 → "4.26MB", 999600 → "1e+03kB" (sic).
 * With precision 4 it is go-units `HumanSize`, which `system df`, `image prune`'s reclaimed space and
 * the `VirtualSize` field print ("1.984MB").
 */
export function humanSize(bytes: number, precision = 3): string {
	const {value, unit} = scaleToUnit(bytes, 1000, decimalUnits);
	return formatGoFloat(value, precision) + unit;
}

/** go-units `BytesSize`: 1024-based with four significant digits, e.g. 1536 → "1.5KiB", 3.42 GiB → "3.42GiB". */
export function bytesSize(bytes: number): string {
	const {value, unit} = scaleToUnit(bytes, 1024, binaryUnits);
	return formatGoFloat(value, 4) + unit;
}

const millisecondsPerSecond = 1000;
const millisecondsPerMinute = 60 * millisecondsPerSecond;
const millisecondsPerHour = 60 * millisecondsPerMinute;

/**
 * go-units `HumanDuration`, e.g. "Less than a second", "About a minute", "3 hours", "2 weeks".
 * Hours are rounded (90 minutes is "2 hours"); days, weeks, months and years are truncated.
 */
export function humanDuration(milliseconds: number): string {
	const seconds = Math.trunc(milliseconds / millisecondsPerSecond);
	if (!(seconds >= 1)) return 'Less than a second';
	if (seconds === 1) return '1 second';
	if (seconds < 60) return `${seconds} seconds`;
	const minutes = Math.trunc(milliseconds / millisecondsPerMinute);
	if (minutes === 1) return 'About a minute';
	if (minutes < 60) return `${minutes} minutes`;
	// time.Duration.Hours(): whole hours plus the remainder as a fraction, as Go computes it
	const exactHours =
		Math.trunc(milliseconds / millisecondsPerHour) + (milliseconds % millisecondsPerHour) / millisecondsPerHour;
	const hours = Math.trunc(exactHours + 0.5);
	if (hours === 1) return 'About an hour';
	if (hours < 48) return `${hours} hours`;
	if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
	if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
	if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
	return `${Math.trunc(Math.trunc(exactHours) / 24 / 365)} years`;
}

function epochMilliseconds(date: Date | number): number {
	return typeof date === 'number' ? date : date.getTime();
}

/** Docker's API carries creation times in whole Unix seconds (Go's Time.Unix() floors). */
function wholeSecondMilliseconds(date: Date | number): number {
	return Math.floor(epochMilliseconds(date) / millisecondsPerSecond) * millisecondsPerSecond;
}

/**
 * Docker's CREATED column: `HumanDuration(now - created) + " ago"`, e.g. "2 weeks ago", with the
 * creation time cut to whole seconds first as the Docker API does. An invalid date gives "N/A",
 * which is what `docker images` prints when an image has no creation time.
 */
export function createdSince(date: Date | number, now: Date | number = Date.now()): string {
	const created = wholeSecondMilliseconds(date);
	if (Number.isNaN(created)) return 'N/A';
	return `${humanDuration(epochMilliseconds(now) - created)} ago`;
}

/** `docker history` treats creation times up to 2000-01-01T00:00:00Z (reproducible builds use 0) as unknown. */
const historyEpochMilliseconds = Date.UTC(2000, 0, 1);

/** `docker history`'s CREATED column: like createdSince, but "N/A" for times at or before 2000-01-01 UTC. */
export function historyCreatedSince(date: Date | number, now: Date | number = Date.now()): string {
	const created = wholeSecondMilliseconds(date);
	if (Number.isNaN(created) || created <= historyEpochMilliseconds) return 'N/A';
	return createdSince(created, now);
}

const twoDigits = (value: number) => String(value).padStart(2, '0');

/**
 * Go's `time.RFC3339` ("2006-01-02T15:04:05Z07:00") in the local time zone, as `docker history
 * --human=false` prints CREATED: "2024-03-01T10:20:30Z" in UTC, "2024-03-01T11:20:30+01:00" elsewhere.
 */
export function rfc3339Seconds(date: Date | number): string {
	const time = new Date(wholeSecondMilliseconds(date));
	const offsetMinutes = -Math.trunc(time.getTimezoneOffset());
	const year = time.getFullYear();
	const yearText = year < 0 ? `-${String(-year).padStart(4, '0')}` : String(year).padStart(4, '0');
	const dateText = `${yearText}-${twoDigits(time.getMonth() + 1)}-${twoDigits(time.getDate())}`;
	const timeText = `${twoDigits(time.getHours())}:${twoDigits(time.getMinutes())}:${twoDigits(time.getSeconds())}`;
	if (offsetMinutes === 0) return `${dateText}T${timeText}Z`;
	const sign = offsetMinutes < 0 ? '-' : '+';
	const absoluteOffset = Math.abs(offsetMinutes);
	return `${dateText}T${timeText}${sign}${twoDigits(Math.trunc(absoluteOffset / 60))}:${twoDigits(absoluteOffset % 60)}`;
}
