// What a build reports while it runs. The engine emits these structured events (inside ProgressEvent's
// `build` kind); each face renders them its own way: the CLI as the classic builder's `Step 3/7 : RUN make`
// lines (or a live table on a TTY), the TUI's build pane as a step list with a streaming output view.
import type {Digest} from '../digest.js';

/** One step of the build as planned, numbered across the needed stages in plan order (`Step N/M`). */
export interface PlannedStep {
	/** 1-based: the N of `Step N/M`. */
	number: number;
	/** The stage's position in the Dockerfile (0-based). */
	stage: number;
	/** `AS name`, when the stage has one. */
	stageName?: string;
	/** The instruction as written, trimmed to one line (the FROM line for a stage's first step). */
	text: string;
	/** Its Dockerfile line (1-based). */
	line: number;
}

export interface PlannedBuildStage {
	index: number;
	name?: string;
	/** Numbers of this stage's steps, in order. */
	steps: number[];
	/** Stages this one waits for (its FROM stage, its COPY --from stages). */
	dependsOn: number[];
}

export type BuildEvent =
	/** First event of a build: every step it will run (ONBUILD triggers are announced as they are found). */
	| {type: 'plan'; file: string; steps: PlannedStep[]; stages: PlannedBuildStage[]}
	/**
	 * Steps found while building (the ONBUILD triggers of a stage's base image, run right after its FROM
	 * step `after`). They are numbered after every step known so far (numbers never change), so list them
	 * after step `after`, not by number; the classic output prints no `Step N/M` line for them.
	 */
	| {type: 'steps-added'; steps: PlannedStep[]; after: number}
	| {type: 'step-started'; step: number; at: number}
	/** The container a RUN step runs in (Docker's ` ---> Running in 3f2a...`). */
	| {type: 'step-container'; step: number; containerId: string}
	/** One line of a RUN step's output, without its newline. */
	| {type: 'step-output'; step: number; stream: 'stdout' | 'stderr'; line: string}
	| {type: 'step-cached'; step: number; imageId: Digest}
	/** `layerSize` is 0 for a step that only changed the config; no `imageId` for `FROM scratch` (no image yet). */
	| {type: 'step-done'; step: number; imageId?: Digest; durationMs: number; layerSize: number}
	/** `message` is `cancelled` for a step stopped by a cancel (or by another stage's failure). */
	| {type: 'step-failed'; step: number; message: string; exitCode?: number}
	/** A remark about the whole build (`--pull` does nothing offline, an ignored directive...). */
	| {type: 'note'; message: string};
