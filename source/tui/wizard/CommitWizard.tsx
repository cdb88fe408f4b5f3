import {Box, Text} from 'ink';
import {useEffect, useRef, useState} from 'react';
import {commitContainer} from '../../engine/containers/commit.js';
import type {ContainerRecord} from '../../engine/containers/container-record.js';
import {type ContainerChange, containerDiff} from '../../engine/containers/diff.js';
import {shortId} from '../../engine/digest.js';
import {drain} from '../../engine/progress.js';
import {humanSize} from '../../cli/format/units.js';
import {editLine, LineField} from '../components/line-editor.js';
import {useGrabWhileShown, useKeys} from '../context/key-router-context.js';
import {useKeymap} from '../context/keymap-context.js';
import {useNavigation} from '../context/navigation-context.js';
import {errorText, useStatusReporter} from '../context/status-context.js';
import {useCatalog, useCatalogChanged, useStore} from '../context/store-context.js';
import {useTheme} from '../context/theme-context.js';
import {useLatestState} from '../hooks/use-latest-state.js';
import {commandFor, normalizeKey} from '../keymap.js';
import {movedCursor} from '../list-navigation.js';
import {fit} from '../text/fit.js';
import {checkChange, checkCommitReference, stepTitles, type WizardStep, wizardInstructions, wizardSteps} from './wizard-state.js';

type Form = {
	step: WizardStep;
	/** Which field of a two-field step has the cursor (author/message, repository/tag). */
	field: 0 | 1;
	author: string;
	message: string;
	changeText: string;
	changes: string[];
	repository: string;
	tag: string;
	diffTop: number;
};

type Progress = {lines: string[]; error?: string; done?: boolean};

const initialForm: Form = {step: 'diff', field: 0, author: '', message: '', changeText: '', changes: [], repository: '', tag: '', diffTop: 0};

/**
 * `commit` step by step, from a container: review the diff → author and message → optional config
 * changes → repository and tag (checked as typed; an existing tag is said to move) → summary → commit
 * with progress → the new image's history. Holds the keyboard while open.
 */
export function CommitWizard({container, width, height, onClose}: {container: ContainerRecord; width: number; height: number; onClose: () => void}) {
	const theme = useTheme();
	const keymap = useKeymap();
	const store = useStore();
	const {catalog} = useCatalog();
	const reload = useCatalogChanged();
	const navigation = useNavigation();
	const status = useStatusReporter();
	const [form, setForm, formRef] = useLatestState<Form>(initialForm);
	const [diff, setDiff] = useState<{changes?: ContainerChange[]; error?: string}>({});
	const [progress, setProgress, progressRef] = useLatestState<Progress>({lines: []});
	const catalogRef = useRef(catalog);
	catalogRef.current = catalog;
	const diffCount = useRef(0);
	diffCount.current = diff.changes?.length ?? 0;
	const bodyHeight = Math.max(3, height - 4);

	useEffect(() => {
		let cancelled = false;
		containerDiff(store, container.id).then(
			changes => !cancelled && setDiff({changes}),
			(error: unknown) => !cancelled && setDiff({error: errorText(error)}),
		);
		return () => {
			cancelled = true;
		};
	}, [store, container.id]);

	const update = (patch: Partial<Form>) => setForm(previous => ({...previous, ...patch}));
	const go = (step: WizardStep) => update({step, field: 0});
	const previousStep = (step: WizardStep) => wizardSteps[Math.max(0, wizardSteps.indexOf(step) - 1)]!;

	const commit = async () => {
		const current = formRef.current;
		const check = checkCommitReference(current.repository, current.tag, catalogRef.current);
		if (!check.ok) return go('reference');
		go('commit');
		setProgress({lines: [`Committing container ${container.name}…`]});
		try {
			const image = await drain(
				commitContainer(store, {container: container.id, reference: check.reference, author: current.author.trim() || undefined, message: current.message.trim() || undefined, changes: current.changes}),
				event => {
					// Byte counts replace their own line; steps and logs add one.
					const line = event.kind === 'bytes' ? `${event.label}: ${humanSize(event.current)}` : event.kind === 'build' ? '' : event.message;
					const prefix = event.kind === 'bytes' ? `${event.label}: ` : undefined;
					setProgress(previous => ({lines: [...previous.lines.filter(entry => prefix === undefined || !entry.startsWith(prefix)), line].slice(-50)}));
				},
			);
			setProgress(previous => ({lines: [...previous.lines, `sha256:${shortId(image.id)}`], done: true}));
			reload();
			status.report({kind: 'success', text: `Committed ${container.name} as ${check.reference ?? shortId(image.id)} (${shortId(image.id)})`});
			onClose();
			navigation.openHistory(check.reference ?? image.id);
		} catch (error) {
			setProgress(previous => ({...previous, error: errorText(error)}));
			status.fail(error);
		}
	};

	/** Typing into the field of the current step. */
	const edit = (input: string, key: Parameters<typeof editLine>[2]) => {
		const current = formRef.current;
		const name = current.step === 'message' ? (current.field === 0 ? 'author' : 'message') : current.step === 'changes' ? 'changeText' : current.step === 'reference' ? (current.field === 0 ? 'repository' : 'tag') : undefined;
		if (!name) return;
		const result = editLine(current[name], input, key);
		if (result.kind === 'change') {
			// Backspace on an empty change line takes back the last change.
			if (name === 'changeText' && current.changeText === '' && (key.backspace || key.delete)) return update({changes: current.changes.slice(0, -1)});
			update({[name]: result.value});
		}
	};

	const keys = useKeys((input, key) => {
		const name = normalizeKey(input, key);
		const command = commandFor(keymap, ['wizard'], name);
		const current = formRef.current;
		if (command === 'wizard.cancel') return onClose();
		switch (current.step) {
			case 'diff': {
				const moved = movedCursor(commandFor(keymap, ['list'], name), current.diffTop, Math.max(1, diffCount.current - bodyHeight + 2), bodyHeight - 1);
				if (moved !== undefined) return update({diffTop: moved});
				if (command === 'wizard.next') return go('message');
				if (command === 'wizard.back') return onClose();
				return;
			}
			case 'message':
			case 'reference':
				if (command === 'wizard.nextField') return update({field: current.field === 0 ? 1 : 0});
				if (command === 'wizard.back') return go(previousStep(current.step));
				if (command === 'wizard.next') {
					if (current.field === 0) return update({field: 1});
					if (current.step === 'message') return go('changes');
					if (checkCommitReference(current.repository, current.tag, catalogRef.current).ok) return go('summary');
					return;
				}
				return edit(input, key);
			case 'changes':
				if (command === 'wizard.back') return go('message');
				if (command === 'wizard.next') {
					if (current.changeText.trim() === '') return go('reference');
					if (checkChange(current.changeText) === undefined) update({changes: [...current.changes, current.changeText.trim()], changeText: ''});
					return;
				}
				return edit(input, key);
			case 'summary':
				if (command === 'wizard.back') return go('reference');
				if (command === 'wizard.next') void commit();
				return;
			case 'commit':
				// Only a failed commit can be left here: back to the summary to try again, or cancel.
				if (progressRef.current.error && command === 'wizard.back') go('summary');
				return;
		}
	});
	useGrabWhileShown(keys);

	const stepIndex = wizardSteps.indexOf(form.step);
	const field = (label: string, value: string, active: boolean, placeholder = '') => (
		<Text wrap="truncate">
			<Text {...(active ? theme.style.accent : theme.style.dim)}>{active ? '› ' : '  '}</Text>
			<Text bold={active}>{label.padEnd(12)}</Text>
			{active ? <LineField value={value} /> : <Text>{value}</Text>}
			{value === '' && placeholder ? <Text {...theme.style.dim}> {placeholder}</Text> : null}
		</Text>
	);
	const referenceCheck = checkCommitReference(form.repository, form.tag, catalog);
	const changeError = checkChange(form.changeText);
	const kindStyle = (kind: string) => (kind === 'A' ? theme.style.added : kind === 'D' ? theme.style.removed : theme.style.modified);

	const body = () => {
		switch (form.step) {
			case 'diff': {
				if (diff.error) return <Text {...theme.style.error}>{diff.error}</Text>;
				if (!diff.changes) return <Text {...theme.style.dim}>Reading the container’s changes…</Text>;
				if (diff.changes.length === 0) return <Text {...theme.style.warning}>The container changed no file: the image gets no new layer, only a history entry.</Text>;
				const shown = diff.changes.slice(form.diffTop, form.diffTop + bodyHeight - 1);
				return (
					<>
						<Text {...theme.style.dim}>
							{diff.changes.length} change{diff.changes.length === 1 ? '' : 's'} go into the new layer (A added, C changed, D deleted):
						</Text>
						{shown.map(change => (
							<Text key={`${change.kind}${change.path}`} wrap="truncate" {...kindStyle(change.kind)}>
								{change.kind} {change.path}
							</Text>
						))}
					</>
				);
			}
			case 'message':
				return (
					<>
						{field('Author', form.author, form.field === 0, '(optional) e.g. Ann <ann@example.com>')}
						{field('Message', form.message, form.field === 1, '(optional) the commit message')}
					</>
				);
			case 'changes':
				return (
					<>
						<Text {...theme.style.dim}>Dockerfile-style: {wizardInstructions.join(', ')} — e.g. CMD ["sh"], ENV A=1, EXPOSE 80/tcp</Text>
						{form.changes.map((change, index) => (
							<Text key={index} wrap="truncate" {...theme.style.added}>
								{'  ✓ '}
								{change}
							</Text>
						))}
						{field('Change', form.changeText, true, form.changes.length > 0 ? '(⏎ on an empty line goes on)' : '(none: ⏎ goes on)')}
						{changeError ? <Text wrap="truncate" {...theme.style.error}>✗ {changeError}</Text> : form.changeText.trim() ? <Text {...theme.style.added}>✓ valid (⏎ adds it)</Text> : null}
					</>
				);
			case 'reference':
				return (
					<>
						{field('Repository', form.repository, form.field === 0, '(empty: an untagged image)')}
						{field('Tag', form.tag, form.field === 1, 'latest')}
						<Text wrap="truncate" {...(referenceCheck.ok ? (referenceCheck.moves ? theme.style.warning : theme.style.added) : theme.style.error)}>
							{referenceCheck.ok ? (referenceCheck.moves ? '⚠ ' : '✓ ') : '✗ '}
							{referenceCheck.message}
						</Text>
					</>
				);
			case 'summary': {
				const rows: Array<[string, string]> = [
					['Container', `${container.name} (${container.id.slice(0, 12)})`],
					['Layer', diff.changes ? `${diff.changes.length} change${diff.changes.length === 1 ? '' : 's'}` : '…'],
					['Author', form.author.trim() || '—'],
					['Message', form.message.trim() || '—'],
					['Changes', form.changes.length > 0 ? form.changes.join(' · ') : '—'],
					['Image', referenceCheck.ok ? (referenceCheck.reference ?? '<none>:<none>') : '✗ invalid'],
				];
				return (
					<>
						{rows.map(([label, value]) => (
							<Text key={label} wrap="truncate">
								<Text bold>{label.padEnd(12)}</Text>
								{value}
							</Text>
						))}
						{referenceCheck.ok && referenceCheck.moves ? <Text {...theme.style.warning}>⚠ {referenceCheck.message}</Text> : null}
					</>
				);
			}
			case 'commit':
				return (
					<>
						{progress.lines.slice(-(bodyHeight - 1)).map((line, index) => (
							<Text key={index} wrap="truncate">
								{line}
							</Text>
						))}
						{progress.error ? <Text {...theme.style.error}>✗ {progress.error}</Text> : null}
					</>
				);
		}
	};

	const hints: Record<WizardStep, string> = {
		diff: 'j/k scroll · ⏎ next · esc cancel',
		message: 'Tab switch field · ⏎ next · esc back · ^X cancel',
		changes: '⏎ add / next · Backspace on empty removes the last · esc back · ^X cancel',
		reference: 'Tab switch field · ⏎ next · esc back · ^X cancel',
		summary: '⏎ commit · esc back · ^X cancel',
		commit: progress.error ? 'esc back · ^X cancel' : 'committing…',
	};

	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text wrap="truncate">
				<Text {...theme.style.accent} bold>
					Commit {container.name}
				</Text>
				<Text>
					{'  '}step {Math.min(stepIndex + 1, 5)}/5 · {stepTitles[form.step]}
				</Text>
			</Text>
			<Text wrap="truncate" {...theme.style.dim}>
				{fit(
					wizardSteps
						.slice(0, 5)
						.map((step, index) => `${index === stepIndex ? '●' : index < stepIndex ? '✓' : '○'} ${stepTitles[step]}`)
						.join('  '),
					width,
				)}
			</Text>
			<Box flexDirection="column" height={bodyHeight} borderStyle={undefined}>
				{body()}
			</Box>
			<Text wrap="truncate" {...theme.style.dim}>
				{hints[form.step]}
			</Text>
		</Box>
	);
}
