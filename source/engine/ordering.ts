// Orders strings by UTF-16 code units, as `<` does: what timestamps in ISO 8601, hex digests and
// environment variable names need. `localeCompare` goes through ICU, and in a short-lived CLI its first
// calls cost milliseconds (sorting the catalog's records on every store write showed in profiles).
export function byCodeUnits(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
