import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export type TerminalSize = {columns: number; rows: number};

function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
	// Test streams and pipes have no size: draw for the smallest terminal strata supports.
	return {columns: stdout.columns || 80, rows: stdout.rows || 24};
}

/** The terminal's size, updated live on resize. */
export function useTerminalSize(): TerminalSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => sizeOf(stdout));
	useEffect(() => {
		const onResize = () => setSize(previous => {
			const next = sizeOf(stdout);
			return next.columns === previous.columns && next.rows === previous.rows ? previous : next;
		});
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}
