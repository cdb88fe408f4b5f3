/**
 * Promise.all that waits for every promise to settle before it rejects with the first failure: work run
 * side by side (two files made durable at once) is over, whatever failed, before anyone cleans up after it.
 */
export async function allSettledOrThrow<T extends readonly unknown[]>(promises: {[K in keyof T]: Promise<T[K]>}): Promise<T> {
	const results = await Promise.allSettled(promises);
	const failed = results.find(result => result.status === 'rejected');
	if (failed) throw (failed as PromiseRejectedResult).reason;
	return results.map(result => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
