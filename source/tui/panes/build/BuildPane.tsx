import {basename, resolve} from 'node:path';
import {Box, Text} from 'ink';
import {useEffect, useState} from 'react';
import {shortId} from '../../../engine/digest.js';
import {ConfirmDialog} from '../../components/ConfirmDialog.js';
import {editLine} from '../../components/line-editor.js';
import {useLogScroll} from '../../components/log-scroll.js';
import {useCaptureKeys} from '../../context/key-capture-context.js';
import {useKeys} from '../../context/key-router-context.js';
import {type CommandKey, useCommands, useKeymap} from '../../context/keymap-context.js';
import {useNavigation} from '../../context/navigation-context.js';
import {useStatusReporter} from '../../context/status-context.js';
import {useCatalog, useCatalogChanged, useStore} from '../../context/store-context.js';
import {useTheme} from '../../context/theme-context.js';
import {useLatestState} from '../../hooks/use-latest-state.js';
import {type KeyBinding, normalizeKey} from '../../keymap.js';
import {movedCursor} from '../../list-navigation.js';
import {fitStart} from '../../text/fit.js';
import {type BuildForm, checkForm, completePath, formFields, formOptions, initialForm, type TextField} from './build-form-state.js';
import {type BuildRun, shownStep, stepCounts} from './build-run-state.js';
import {BuildFormView} from './BuildFormView.js';
import {elapsedText, StepList} from './StepList.js';
import {StepOutput} from './StepOutput.js';
import {type StartBuild, useBuildRun} from './use-build-run.js';

const confirmHeight = 5;

/** Whether `name` is one of `command`'s keys (two build commands share Tab: the form's and the run's). */
function isKey(keymap: KeyBinding[], command: string, name: string): boolean {
	return keymap.some(binding => binding.command === command && binding.keys.includes(name));
}

/** The run's title line: where it stands, its counts and time. */
function runSummary(run: BuildRun, now: number): string {
	const counts = stepCounts(run);
	const finished = counts.done + counts.cached;
	const parts = [`${finished}/${run.steps.length} steps`];
	if (counts.cached > 0) parts.push(`${counts.cached} cached`);
	if (counts.running > 1) parts.push(`${counts.running} running`);
	parts.push(elapsedText((run.endedAt ?? now) - run.startedAt));
	return parts.join(' · ');
}

/**
 * The build pane: a form (context, Dockerfile, tags, build args, target, no cache), then the build
 * itself: the step list with live status and the shown step's output, scrollable and searchable
 * while it runs. Success opens the new image's history; failure shows the failed step's output.
 */
export function BuildPane({
	width,
	height,
	focused,
	cwd = process.cwd(),
	startBuild,
	onSummary,
}: {
	width: number;
	height: number;
	focused: boolean;
	cwd?: string;
	startBuild?: StartBuild;
	/** Where the build stands in a few words (`running 2/5`, `built`), for the pane column. */
	onSummary?: (summary: string | undefined) => void;
}) {
	const theme = useTheme();
	const keymap = useKeymap();
	const store = useStore();
	const {catalog} = useCatalog();
	const reload = useCatalogChanged();
	const navigation = useNavigation();
	const status = useStatusReporter();
	const {run, runRef, start, cancel, choose} = useBuildRun(store, startBuild);
	const [mode, setMode, modeRef] = useLatestState<'form' | 'run'>('form');
	const [form, setForm, formRef] = useLatestState<BuildForm>(() => initialForm(cwd));
	const [formError, setFormError] = useState<string>();
	const [focus, setFocus, focusRef] = useLatestState<'steps' | 'output'>('steps');
	const [confirming, setConfirming] = useState(false);
	const [clock, setClock] = useState({now: Date.now(), frame: 0});

	// The spinner and elapsed times move while a build runs; nothing ticks when idle.
	const running = run?.phase === 'running';
	useEffect(() => {
		if (!running) return;
		const timer = setInterval(() => setClock(previous => ({now: Date.now(), frame: previous.frame + 1})), 200);
		return () => clearInterval(timer);
	}, [running]);
	useEffect(() => {
		if (!running) setConfirming(false);
	}, [running]);

	const counts = run && stepCounts(run);
	const summary = run && counts ? (run.phase === 'running' ? `running ${counts.done + counts.cached}/${run.steps.length}` : run.phase === 'succeeded' ? 'built' : run.phase) : undefined;
	useEffect(() => onSummary?.(summary), [summary, onSummary]);

	// Text fields hold the keyboard (q is a letter there); on the No cache field the frame's keys work (? help).
	useCaptureKeys(focused && mode === 'form' && form.field !== 'noCache');

	const submit = async () => {
		const checked = formOptions(formRef.current, cwd, catalog);
		if (!checked.ok) {
			setForm(previous => ({...previous, field: checked.field}));
			return setFormError(`✗ ${checked.message}`);
		}
		setFormError(undefined);
		setMode('run');
		setFocus('steps');
		status.report({kind: 'busy', text: `Building ${checked.options.contextDir}…`});
		const outcome = await start(checked.options);
		if (!outcome) return;
		if (outcome.ok) {
			reload();
			const {result} = outcome;
			const name = result.tags[0] ?? result.id;
			status.report({kind: 'success', text: `Built ${result.tags.length > 0 ? result.tags.join(', ') : shortId(result.id)} (${shortId(result.id)})`});
			navigation.openHistory(name);
		} else if (outcome.cancelled) {
			status.report({kind: 'info', text: 'Build cancelled: nothing was tagged'});
		} else {
			status.report({kind: 'error', text: outcome.error});
		}
	};

	const updateForm = (patch: Partial<BuildForm>) => setForm(previous => ({...previous, candidates: [], ...patch}));
	const moveField = (direction: 1 | -1) => {
		const index = formFields.indexOf(formRef.current.field);
		updateForm({field: formFields[(index + direction + formFields.length) % formFields.length]!});
	};

	useKeys(
		(input, key) => {
			// A key right after ⏎ comes before the re-render that turns this handler off.
			if (modeRef.current !== 'form') return;
			const name = normalizeKey(input, key);
			const current = formRef.current;
			if (isKey(keymap, 'build.start', name)) return void submit();
			if (isKey(keymap, 'global.back', name)) {
				if (runRef.current) return setMode('run');
				return navigation.back();
			}
			if (isKey(keymap, 'build.complete', name)) {
				if (current.field !== 'context' && current.field !== 'dockerfile') return moveField(1);
				const completed = completePath(current[current.field], cwd, {files: current.field === 'dockerfile'});
				return setForm(previous => ({...previous, [current.field]: completed.value, candidates: completed.candidates}));
			}
			if (isKey(keymap, 'build.nextField', name)) return moveField(1);
			if (isKey(keymap, 'build.previousField', name)) return moveField(-1);
			if (current.field === 'noCache') {
				if (isKey(keymap, 'build.toggle', name)) updateForm({noCache: !current.noCache});
				return;
			}
			const field: TextField = current.field;
			const edit = editLine(current[field], input, key);
			if (edit.kind === 'change') updateForm({[field]: edit.value});
		},
		{isActive: focused && mode === 'form'},
	);

	const shown = run ? shownStep(run) : undefined;
	const runCommand = ({command, name}: CommandKey) => {
		if (modeRef.current !== 'run') return;
		// Tab is both the form's completion and this switch: look the key up by command.
		if (isKey(keymap, 'build.switchFocus', name)) return setFocus(focusRef.current === 'steps' ? 'output' : 'steps');
		switch (command) {
			case 'build.cancel':
				if (runRef.current?.phase === 'running') setConfirming(true);
				return;
			case 'build.edit':
				if (runRef.current?.phase !== 'running') setMode('form');
				return;
			case 'global.back':
				return navigation.back();
		}
	};
	const viewActive = focused && mode === 'run' && !confirming;
	const runHeight = height - 1 - (run && run.notes.length > 0 ? 1 : 0) - 1 - (confirming ? confirmHeight : 0);
	const listHeight = Math.min(Math.max(1, run?.steps.length ?? 1), Math.max(3, Math.floor(runHeight * 0.4)));
	const outputHeight = Math.max(2, runHeight - listHeight);
	const scroll = useLogScroll({
		lines: shown?.output.lines ?? [],
		textOf: line => line.text,
		bodyHeight: outputHeight - 1,
		focused: viewActive,
		// The step list has the list keys while it has the focus; the output has them otherwise.
		scopes: () => (focusRef.current === 'output' ? ['build', 'list', 'global'] : ['build', 'global']),
		commands: {follow: 'build.follow', search: 'build.search', next: 'build.nextMatch', previous: 'build.previousMatch'},
		onOtherKey: runCommand,
		resetKey: shown?.number,
	});
	useCommands(
		['list'],
		({command}) => {
			const current = runRef.current;
			// Tab may have moved the focus to the output a moment ago, before this handler was re-rendered.
			if (!current || current.steps.length === 0 || focusRef.current !== 'steps' || modeRef.current !== 'run') return;
			const shownNow = shownStep(current);
			const index = Math.max(0, current.steps.findIndex(step => step.number === shownNow?.number));
			const moved = movedCursor(command, index, current.steps.length, listHeight);
			if (moved !== undefined) choose(current.steps[moved]!.number);
		},
		{isActive: viewActive && focus === 'steps'},
	);

	if (mode === 'form' || !run) {
		return <BuildFormView form={form} checks={checkForm(form, cwd, catalog)} cwd={cwd} width={width} height={height} lastError={formError} />;
	}

	const phaseText: Record<BuildRun['phase'], string> = {
		running: run.cancelling ? 'cancelling…' : 'running',
		succeeded: `built ${run.imageId ? shortId(run.imageId) : ''}`,
		failed: 'failed',
		cancelled: 'cancelled: nothing was tagged',
	};
	const phaseStyle = run.phase === 'succeeded' ? theme.style.added : run.phase === 'running' ? theme.style.accent : run.phase === 'cancelled' ? theme.style.warning : theme.style.error;
	const hint = running ? 'Tab switch · j/k · / search · F follow · x cancel · esc back' : 'Tab switch · j/k · / search · n/N · b new build · esc back';
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text wrap="truncate">
				<Text {...theme.style.accent} bold>
					Build {fitStart(basename(resolve(cwd, form.context.trim())), Math.max(8, Math.floor(width / 4))).trimEnd()}
				</Text>
				<Text> · {runSummary(run, clock.now)} · </Text>
				<Text {...phaseStyle} bold>
					{phaseText[run.phase]}
				</Text>
				{run.error && run.phase === 'failed' ? <Text {...theme.style.error}> · {run.error}</Text> : null}
			</Text>
			{run.notes.length > 0 ? (
				<Text wrap="truncate" {...theme.style.dim}>
					note: {run.notes.at(-1)}
				</Text>
			) : null}
			<StepList steps={run.steps} shown={shown?.number} total={run.steps.length} width={width} height={listHeight} focused={focused && focus === 'steps'} now={clock.now} spinnerFrame={clock.frame} />
			<StepOutput step={shown} scroll={scroll} width={width} height={outputHeight} focused={focus === 'output'} />
			{confirming ? (
				<ConfirmDialog
					title="Cancel the build?"
					lines={[{text: 'The running step is stopped (its container killed); nothing is tagged.'}]}
					confirmLabel="cancel the build"
					onConfirm={() => {
						setConfirming(false);
						cancel();
					}}
					onCancel={() => setConfirming(false)}
					width={width}
					maxLines={1}
				/>
			) : null}
			<Text wrap="truncate" {...theme.style.dim}>
				{hint}
			</Text>
		</Box>
	);
}

