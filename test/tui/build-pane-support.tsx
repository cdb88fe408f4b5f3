// @jsxRuntime automatic
// Shared by the build pane's tests: a scripted build (an Operation emitting the engine's build events on
// cue and honouring the AbortSignal as buildImage does) and the pane rendered alone with the providers it
// needs and a navigation that records where it went.
import {render} from 'ink-testing-library';
import type {BuildEvent} from '../../source/engine/builder/build-events.js';
import type {BuildOptions, BuildResult} from '../../source/engine/builder/executor/build-image.js';
import type {Digest} from '../../source/engine/digest.js';
import {StrataError} from '../../source/engine/errors.js';
import type {Operation} from '../../source/engine/progress.js';
import type {Store} from '../../source/engine/store/store.js';
import {StatusLine} from '../../source/tui/components/StatusLine.js';
import {KeyCaptureProvider} from '../../source/tui/context/key-capture-context.js';
import {KeyRouterProvider} from '../../source/tui/context/key-router-context.js';
import {type Navigation, NavigationContext} from '../../source/tui/context/navigation-context.js';
import {StatusProvider} from '../../source/tui/context/status-context.js';
import {StoreProvider} from '../../source/tui/context/store-context.js';
import {ThemeProvider} from '../../source/tui/context/theme-context.js';
import {BuildPane} from '../../source/tui/panes/build/BuildPane.js';
import {defaultTheme, type Theme} from '../../source/tui/theme.js';
import {emptyStore, plain, tick, waitFor} from './demo-store-fixture.js';

export const keys = {enter: '\r', escape: '\x1b', tab: '\t', up: '\x1b[A', down: '\x1b[B', ctrlU: '\x15'};
export const imageId = `sha256:${'ab'.repeat(32)}` as Digest;

export type View = ReturnType<typeof render> & {frame: () => string};

export async function press(view: View, ...sequence: string[]) {
	for (const key of sequence) {
		view.stdin.write(key);
		await tick();
	}
}

/**
 * A build the test steps through: `release(events)` lets the operation emit them; `finish()` ends it
 * (or `fail(error)`). It throws 'build cancelled' when its signal aborts, as the engine does.
 */
export class ScriptedBuild {
	options?: BuildOptions & {signal: AbortSignal};
	private queue: Array<BuildEvent[] | {end: 'ok'} | {end: 'error'; error: Error}> = [];
	private wake?: () => void;

	start = (_store: Store, options: BuildOptions & {signal: AbortSignal}): Operation<BuildResult> => {
		this.options = options;
		const self = this;
		return (async function* () {
			for (;;) {
				if (options.signal.aborted) throw new StrataError('build cancelled');
				const next = self.queue.shift();
				if (!next) {
					await new Promise<void>(resolve => {
						self.wake = resolve;
						options.signal.addEventListener('abort', () => resolve(), {once: true});
					});
					continue;
				}
				if (Array.isArray(next)) {
					for (const event of next) yield {kind: 'build' as const, event};
					continue;
				}
				if (next.end === 'error') throw next.error;
				return {id: imageId, tags: options.tags ?? [], warnings: []};
			}
		})();
	};

	release(events: BuildEvent[]) {
		this.queue.push(events);
		this.wake?.();
	}

	finish() {
		this.queue.push({end: 'ok'});
		this.wake?.();
	}

	fail(error: Error) {
		this.queue.push({end: 'error', error});
		this.wake?.();
	}
}

export const plan: BuildEvent = {
	type: 'plan',
	file: 'Dockerfile',
	steps: [
		{number: 1, stage: 0, text: 'FROM busybox', line: 1},
		{number: 2, stage: 0, text: 'RUN seq 1 5000', line: 2},
		{number: 3, stage: 0, text: 'COPY hello.txt /', line: 3},
	],
	stages: [{index: 0, steps: [1, 2, 3], dependsOn: []}],
};

/** The pane (64x21, as at 80x24) on an empty store, started in `cwd`, with a status line under it. */
export async function renderBuildPane(build: ScriptedBuild, cwd: string, theme: Theme = defaultTheme): Promise<{view: View; opened: string[]}> {
	const store = await emptyStore();
	const opened: string[] = [];
	const navigation: Navigation = {focusPane: () => {}, openHistory: ref => opened.push(ref), openLayers: () => {}, back: () => opened.push('back'), setCurrentImage: () => {}};
	const rendered = render(
		<ThemeProvider theme={theme}>
			<StoreProvider store={store} watchChanges={false}>
				<StatusProvider>
					<KeyRouterProvider>
						<KeyCaptureProvider>
							<NavigationContext.Provider value={navigation}>
								<BuildPane width={64} height={21} focused cwd={cwd} startBuild={build.start} />
								<StatusLine width={160} />
							</NavigationContext.Provider>
						</KeyCaptureProvider>
					</KeyRouterProvider>
				</StatusProvider>
			</StoreProvider>
		</ThemeProvider>,
	);
	const view = {...rendered, frame: () => plain(rendered.lastFrame())};
	await waitFor(view.lastFrame, frame => frame.includes('Build an image'));
	return {view, opened};
}

