// Image efficiency as dive computes it (wagoodman/dive `dive/filetree/efficiency.go` for the score and
// the inefficiencies, `dive/image/analysis.go` for wasted bytes and the user-wasted percentage), so the
// numbers strata shows match the ones people already know from dive. dive's own quirks are kept on
// purpose and named where they occur; the places where strata had to choose are marked "Choice:".
import type {LayerLeaf} from './merged-filesystem.js';

export type WastedFile = {
	/** Clean relative path, as in a layer entry (dive prints it with a leading `/`). */
	path: string;
	/** Layers whose tree has this path as a leaf (a whiteout counts as an occurrence). */
	occurrences: number;
	/** dive's `CumulativeSize`: every occurrence's size added up, the first copy included. */
	wastedBytes: number;
};

export type Efficiency = {
	/** Sum of each path's smallest occurrence over the sum of all occurrences; 1 for an empty image. */
	score: number;
	/** Sum of `wastedBytes` over the inefficiencies. */
	wastedBytes: number;
	/**
	 * `wastedBytes` over the bytes of every layer above the first; 0 when those are 0 (dive divides anyway).
	 * Not clamped, as in dive: it exceeds 1 when a big base file is rewritten by a small user layer.
	 */
	userWastedPercent: number;
	/** Paths that occur in more than one layer, by `wastedBytes` descending, then by path. */
	inefficiencies: WastedFile[];
};

type PathTally = {occurrences: number; cumulativeBytes: number; minimumBytes: number};

/** Collects, layer by layer, the leaf paths dive visits, and turns them into an Efficiency. */
export class EfficiencyTally {
	private readonly paths = new Map<string, PathTally>();

	private count(path: string, bytes: number): void {
		const tally = this.paths.get(path);
		if (tally) {
			tally.occurrences++;
			tally.cumulativeBytes += bytes;
			if (bytes < tally.minimumBytes) tally.minimumBytes = bytes;
		} else {
			this.paths.set(path, {occurrences: 1, cumulativeBytes: bytes, minimumBytes: bytes});
		}
	}

	/**
	 * Counts one layer. dive builds a tree per layer tar and visits only its leaves (`VisitDepthChildFirst`
	 * with `IsLeaf`), so a directory counts only when nothing in the same layer lies under it: parents of
	 * changed files never count, empty directories do (with 0 bytes). `leaves` are those paths (see
	 * `LayerApplication.leaves`); whiteouts are leaves too, counted from `whiteoutBytes`.
	 *
	 * `whiteoutBytes` holds what each whiteout is charged (see `MergedFilesystem.apply`): dive charges a
	 * removed directory its lower subtree's bytes and a removed file 0 (it only sizes `IsDir` nodes), so a
	 * deleted file shows up as waste through the layer that added it, not through the deletion. A whiteout
	 * of a path missing below is absent from it: dive's visitor errors out on it before counting. Choice:
	 * dive then also stops visiting the rest of that layer; strata carries on.
	 */
	addLayer(leaves: readonly LayerLeaf[], whiteoutBytes: ReadonlyMap<string, number>): void {
		for (const leaf of leaves) this.count(leaf.path, leaf.bytes);
		for (const [path, bytes] of whiteoutBytes) this.count(path, bytes);
	}

	/** `layerSizes` are the layers' sizes, base first: dive's "user" bytes are everything above the base. */
	result(layerSizes: readonly number[]): Efficiency {
		let minimumBytes = 0;
		let cumulativeBytes = 0;
		let wastedBytes = 0;
		const inefficiencies: WastedFile[] = [];
		for (const [path, tally] of this.paths) {
			minimumBytes += tally.minimumBytes;
			cumulativeBytes += tally.cumulativeBytes;
			if (tally.occurrences > 1) {
				wastedBytes += tally.cumulativeBytes;
				inefficiencies.push({path, occurrences: tally.occurrences, wastedBytes: tally.cumulativeBytes});
			}
		}
		// dive sorts ascending and its UI walks the list backwards; ties break by path here so output is stable.
		inefficiencies.sort((left, right) => {
			if (left.wastedBytes !== right.wastedBytes) return right.wastedBytes - left.wastedBytes;
			return left.path < right.path ? -1 : 1;
		});
		let userBytes = 0;
		for (let index = 1; index < layerSizes.length; index++) userBytes += layerSizes[index];
		return {
			score: cumulativeBytes === 0 ? 1 : minimumBytes / cumulativeBytes,
			wastedBytes,
			userWastedPercent: userBytes === 0 ? 0 : wastedBytes / userBytes,
			inefficiencies,
		};
	}
}
