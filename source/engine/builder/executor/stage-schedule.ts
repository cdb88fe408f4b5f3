// Runs a build's stages as a dependency graph: each stage starts as soon as the stages it needs (its FROM
// stage, its COPY --from stages) are built, so independent stages run at the same time (BuildKit's
// behaviour, not the classic builder's one-after-another). The first failure stops the others.

export interface StageGraph {
	/** The stages to build, dependencies before dependents. */
	order: readonly number[];
	dependencies(index: number): readonly number[];
}

/**
 * Builds every stage of `graph` with `build`. When one fails, `stopOthers` is called (it aborts the
 * running steps) and, once every stage has settled, the first failure is thrown; `isCancel` tells the
 * cancels that failure caused from the failure itself.
 */
export async function runStageGraph(graph: StageGraph, build: (index: number) => Promise<void>, stopOthers: () => void, isCancel: (error: unknown) => boolean): Promise<void> {
	const tasks = new Map<number, Promise<void>>();
	const failures: unknown[] = [];
	for (const index of graph.order) {
		const needed = graph.dependencies(index).map(dependency => tasks.get(dependency)!);
		const task = Promise.all(needed).then(
			() => build(index),
			// A dependency failed: this stage never starts (its failure is already recorded).
			() => Promise.reject(skipped),
		);
		task.catch(error => {
			if (error === skipped) return;
			failures.push(error);
			stopOthers();
		});
		tasks.set(index, task);
	}
	await Promise.allSettled(tasks.values());
	if (failures.length > 0) throw failures.find(error => !isCancel(error)) ?? failures[0];
}

const skipped = Symbol('a stage it needs failed');
