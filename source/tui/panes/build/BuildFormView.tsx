import {Box, Text} from 'ink';
import {LineField} from '../../components/line-editor.js';
import {useTheme} from '../../context/theme-context.js';
import {fit, fitStart} from '../../text/fit.js';
import {type BuildForm, type Check, fieldLabels, formFields, type FormField} from './build-form-state.js';

const placeholders: Record<FormField, string> = {
	context: 'a directory (Tab completes)',
	dockerfile: 'CONTEXT/Dockerfile',
	tags: 'name:tag … (several: spaces or commas)',
	buildArgs: 'NAME=VALUE …',
	target: 'the last stage',
	noCache: '',
};

/** The build form: each field with its live check under it, and the candidates of the last Tab. */
export function BuildFormView({form, checks, cwd, width, height, lastError}: {form: BuildForm; checks: Partial<Record<FormField, Check>>; cwd: string; width: number; height: number; lastError?: string}) {
	const theme = useTheme();
	const labelWidth = 12;
	const valueWidth = Math.max(8, width - labelWidth - 3);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text wrap="truncate">
				<Text {...theme.style.accent} bold>
					Build an image
				</Text>
				<Text {...theme.style.dim}> · paths from {fitStart(cwd, Math.max(8, width - 30)).trimEnd()}</Text>
			</Text>
			{formFields.map(field => {
				const active = form.field === field;
				const check = checks[field];
				const value = field === 'noCache' ? '' : form[field];
				return (
					<Box key={field} flexDirection="column">
						<Text wrap="truncate">
							<Text {...(active ? theme.style.accent : theme.style.dim)}>{active ? '› ' : '  '}</Text>
							<Text bold={active}>{fieldLabels[field].padEnd(labelWidth)}</Text>
							{field === 'noCache' ? (
								<Text {...(active ? theme.style.selected : {})}>{form.noCache ? '[x] rebuild every step' : '[ ] use the build cache'}</Text>
							) : active ? (
								<LineField value={fitStart(value, valueWidth - 1).trimEnd()} />
							) : (
								<Text>{fit(value, valueWidth).trimEnd()}</Text>
							)}
							{value === '' && field !== 'noCache' ? <Text {...theme.style.dim}> {placeholders[field]}</Text> : null}
						</Text>
						{check ? (
							<Text wrap="truncate" {...(check.ok ? theme.style.dim : theme.style.error)}>
								{'  '}
								{' '.repeat(labelWidth)}
								{check.ok ? '✓ ' : '✗ '}
								{check.message}
							</Text>
						) : null}
						{active && form.candidates.length > 0 ? (
							<Text wrap="truncate" {...theme.style.accent}>
								{'  '}
								{' '.repeat(labelWidth)}
								{form.candidates.join('  ')}
							</Text>
						) : null}
					</Box>
				);
			})}
			{lastError ? (
				<Text wrap="truncate" {...theme.style.error}>
					{lastError}
				</Text>
			) : null}
			<Box flexGrow={1} />
			<Text wrap="truncate" {...theme.style.dim}>
				{form.field === 'noCache' ? 'space toggles · ↑/↓ field · ⏎ build · ? keys · esc back' : 'Tab complete · ↑/↓ field · ⏎ build · esc back'}
			</Text>
		</Box>
	);
}
