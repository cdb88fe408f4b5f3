/** `KEY=VALUE` → KEY (`KEY` alone is its own key). */
function keyOf(entry: string): string {
	const equals = entry.indexOf('=');
	return equals === -1 ? entry : entry.slice(0, equals);
}

/** Docker's ReplaceOrAppendEnvValues: an override replaces the entry with the same key in place, else is appended. */
export function mergeEnv(base: string[], overrides: string[]): string[] {
	const result = [...base];
	for (const entry of overrides) {
		const index = result.findIndex(existing => keyOf(existing) === keyOf(entry));
		if (index === -1) result.push(entry);
		else result[index] = entry;
	}
	return result;
}

export function hasEnv(env: string[], key: string): boolean {
	return env.some(entry => keyOf(entry) === key);
}
