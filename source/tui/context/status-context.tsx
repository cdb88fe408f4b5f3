import {createContext, useCallback, useContext, useMemo, useState, type ReactNode} from 'react';
import {StrataError} from '../../engine/errors.js';

export type StatusMessage = {kind: 'info' | 'success' | 'error' | 'busy'; text: string};

type StatusReporter = {
	/** Shows a message in the status line until the next one. */
	report(message: StatusMessage): void;
	/** Shows an error (its first line; a bug's message too) instead of letting it crash the app. */
	fail(error: unknown): void;
	clear(): void;
};

const StatusMessageContext = createContext<StatusMessage | undefined>(undefined);
const StatusReporterContext = createContext<StatusReporter>({report: () => {}, fail: () => {}, clear: () => {}});

/** The one-line text of an error for the status line: a StrataError's message, else `name: message`. */
export function errorText(error: unknown): string {
	if (error instanceof StrataError) return error.message.split('\n').join('; ');
	if (error instanceof Error) return `${error.name === 'Error' ? 'error' : error.name}: ${error.message.split('\n')[0]}`;
	return String(error);
}

/** The last action's result or error, shared by whoever acts and the status line that shows it. */
export function StatusProvider({children}: {children?: ReactNode}) {
	const [message, setMessage] = useState<StatusMessage>();
	const report = useCallback((next: StatusMessage) => setMessage(next), []);
	const fail = useCallback((error: unknown) => setMessage({kind: 'error', text: errorText(error)}), []);
	const clear = useCallback(() => setMessage(undefined), []);
	const reporter = useMemo(() => ({report, fail, clear}), [report, fail, clear]);
	return (
		<StatusReporterContext.Provider value={reporter}>
			<StatusMessageContext.Provider value={message}>{children}</StatusMessageContext.Provider>
		</StatusReporterContext.Provider>
	);
}

/** Report results and errors; the functions are stable, so using them does not re-render on every message. */
export function useStatusReporter(): StatusReporter {
	return useContext(StatusReporterContext);
}

export function useStatusMessage(): StatusMessage | undefined {
	return useContext(StatusMessageContext);
}
