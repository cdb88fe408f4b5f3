import {useCallback, useEffect, useRef} from 'react';
import type {BuildEvent} from '../../../engine/builder/build-events.js';
import {type BuildOptions, type BuildResult, buildImage} from '../../../engine/builder/executor/build-image.js';
import type {Operation} from '../../../engine/progress.js';
import {drain} from '../../../engine/progress.js';
import type {Store} from '../../../engine/store/store.js';
import {errorText} from '../../context/status-context.js';
import {useLatestState} from '../../hooks/use-latest-state.js';
import {type BuildRun, type BuildRunAction, buildRunReducer, startedRun} from './build-run-state.js';

/** How long events gather before one state update: a 5,000-line step renders a few times, not 5,000. */
export const eventBatchMilliseconds = 40;

/** What starts a build: the engine's buildImage, or a stand-in that emits scripted events (tests). */
export type StartBuild = (store: Store, options: BuildOptions & {signal: AbortSignal}) => Operation<BuildResult>;

export type BuildOutcome = {ok: true; result: BuildResult} | {ok: false; error: string; cancelled: boolean};

export type BuildRunControls = {
	run?: BuildRun;
	/** The run as of now, for key handlers (state renders a beat later). */
	runRef: {readonly current: BuildRun | undefined};
	/** Runs a build to its end (undefined when one is running already). */
	start(options: BuildOptions): Promise<BuildOutcome | undefined>;
	/** Aborts the running build: the engine kills the RUN container and tags nothing. */
	cancel(): void;
	choose(step: number | undefined): void;
};

/**
 * Runs one build at a time and keeps its BuildRun: events are queued and applied in one update per
 * batch window, never one render per output line. Leaving the TUI (unmount) cancels a running build.
 */
export function useBuildRun(store: Store, startBuild: StartBuild = buildImage as StartBuild): BuildRunControls {
	const [run, setRun, runRef] = useLatestState<BuildRun | undefined>(undefined);
	const pending = useRef<BuildEvent[]>([]);
	const timer = useRef<NodeJS.Timeout | undefined>(undefined);
	const controller = useRef<AbortController | undefined>(undefined);
	const dispatch = useCallback((action: BuildRunAction) => setRun(previous => previous && buildRunReducer(previous, action)), [setRun]);

	const flush = useCallback(() => {
		clearTimeout(timer.current);
		timer.current = undefined;
		const events = pending.current;
		pending.current = [];
		if (events.length > 0) dispatch({type: 'events', events, now: Date.now()});
	}, [dispatch]);

	useEffect(
		() => () => {
			clearTimeout(timer.current);
			controller.current?.abort();
		},
		[],
	);

	const start = useCallback(
		async (options: BuildOptions): Promise<BuildOutcome | undefined> => {
			if (runRef.current?.phase === 'running') return undefined;
			const abort = new AbortController();
			controller.current = abort;
			pending.current = [];
			setRun(startedRun(Date.now()));
			try {
				// `signal` is part of BuildOptions' contract (cancel kills the running step, tags nothing).
				const withSignal: BuildOptions & {signal: AbortSignal} = {...options, signal: abort.signal};
				const result = await drain(startBuild(store, withSignal), event => {
					if (event.kind !== 'build') return;
					pending.current.push(event.event);
					timer.current ??= setTimeout(flush, eventBatchMilliseconds);
				});
				flush();
				dispatch({type: 'succeeded', imageId: result.id, now: Date.now()});
				return {ok: true, result};
			} catch (error) {
				flush();
				const cancelled = abort.signal.aborted;
				const text = cancelled ? 'build cancelled' : errorText(error);
				dispatch({type: 'failed', error: text, cancelled, now: Date.now()});
				return {ok: false, error: text, cancelled};
			} finally {
				if (controller.current === abort) controller.current = undefined;
			}
		},
		[store, startBuild, flush, dispatch, setRun, runRef],
	);

	const cancel = useCallback(() => {
		if (!controller.current || runRef.current?.phase !== 'running') return;
		dispatch({type: 'cancelling'});
		controller.current.abort();
	}, [dispatch, runRef]);

	const choose = useCallback((step: number | undefined) => dispatch({type: 'choose', step}), [dispatch]);
	return {run, runRef, start, cancel, choose};
}
