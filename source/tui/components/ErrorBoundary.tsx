import {Box, Text} from 'ink';
import {Component, type ReactNode} from 'react';
import {errorText} from '../context/status-context.js';

type Props = {children?: ReactNode; width: number; fallbackHint?: string; onError?: (error: Error) => void};

/**
 * Keeps a pane's bug inside the pane: the error is shown where the pane was, the frame and the
 * other panes go on. Give it a `key` that changes with what the pane shows, to try again.
 */
export class ErrorBoundary extends Component<Props, {error?: Error}> {
	override state: {error?: Error} = {};

	static getDerivedStateFromError(error: Error) {
		return {error};
	}

	override componentDidCatch(error: Error) {
		this.props.onError?.(error);
	}

	override render() {
		if (!this.state.error) return this.props.children;
		return (
			<Box flexDirection="column" width={this.props.width} paddingX={1}>
				<Text color="red" bold>
					This pane failed: {errorText(this.state.error)}
				</Text>
				<Text dimColor>{this.props.fallbackHint ?? 'Switch panes (Tab, 1-5) or press esc; the rest of strata still works.'}</Text>
			</Box>
		);
	}
}
