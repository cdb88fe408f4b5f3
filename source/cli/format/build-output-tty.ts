// `--progress tty`: a live list of the build's steps (status, elapsed time, layer size) with the last few
// output lines under it, redrawn in place at most 10 times a second. NO_COLOR turns colour off. When the
// build ends the final list stays on the screen (the output lines go).
import type {BuildEvent} from '../../engine/builder/build-events.js';
import {BuildSteps, type CliStep, type StepStatus} from './build-output-steps.js';
import {ellipsis} from './ellipsis.js';
import {humanSize} from './units.js';

/** Output lines shown under the list while a step runs. */
const tailLines = 5;
const redrawEveryMs = 100;

const colours: Record<StepStatus, string> = {pending: '2', running: '33', cached: '36', done: '32', failed: '31'};
const labels: Record<StepStatus, string> = {pending: 'waiting', running: 'running', cached: 'cached', done: 'done', failed: 'FAILED'};

export interface TtyTerminal {
	write(text: string): void;
	columns: number;
	rows: number;
	colour: boolean;
}

export class TtyBuildOutput {
	readonly steps = new BuildSteps();
	private readonly tail: string[] = [];
	private readonly notes: string[] = [];
	/** Lines drawn last time (the cursor is below them). */
	private drawn = 0;
	private timer: NodeJS.Timeout | undefined;
	private dirty = false;

	constructor(
		private readonly terminal: TtyTerminal,
		private readonly now: () => number = Date.now,
	) {}

	handle(event: BuildEvent): void {
		if (event.type === 'note') this.notes.push(event.message);
		const step = this.steps.apply(event);
		if (event.type === 'step-output' && step) {
			// Control characters (tabs, \r, colour codes) would move the cursor the redraw counts on.
			this.tail.push(`${step.number}| ${event.line.replace(/[\x00-\x1f\x7f]/g, ' ')}`);
			if (this.tail.length > tailLines) this.tail.shift();
		}
		this.dirty = true;
		// Elapsed times tick while steps run, so the timer redraws even without events.
		this.timer ??= setInterval(() => this.redraw(), redrawEveryMs);
	}

	/** Stops redrawing and leaves the whole final list on the screen. */
	finish(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
		this.draw(this.frame(false, Number.POSITIVE_INFINITY));
		this.drawn = 0;
	}

	private redraw(): void {
		const running = this.steps.list.some(step => step.status === 'running');
		if (!this.dirty && !running) return;
		this.dirty = false;
		this.draw(this.frame(true, Math.max(3, this.terminal.rows - tailLines - this.notes.length - 2)));
	}

	private draw(lines: string[]): void {
		const up = this.drawn > 0 ? `\x1b[${this.drawn}A\r` : '';
		this.terminal.write(`${up}\x1b[J${lines.map(line => `${line}\n`).join('')}`);
		this.drawn = lines.length;
	}

	/** The screen: notes, the steps (a window around the running ones when they do not fit), the output tail. */
	private frame(live: boolean, room: number): string[] {
		const list = this.steps.list;
		let first = 0;
		if (list.length > room) {
			const active = list.findIndex(step => step.status === 'running' || step.status === 'pending' || step.status === 'failed');
			first = Math.min(Math.max(0, (active === -1 ? list.length : active) - 1), list.length - room);
		}
		const shown = list.slice(first, first + room);
		const lines = [...this.notes.map(note => `note: ${note}`), ...shown.map(step => this.row(step))];
		if (live) for (const line of this.tail) lines.push(this.fit(`  ${line}`, this.terminal.colour ? '2' : undefined));
		return lines;
	}

	private row(step: CliStep): string {
		const label = labels[step.status].padEnd(7);
		const elapsed = step.status === 'running' && step.startedAt !== undefined ? this.now() - step.startedAt : step.durationMs;
		const time = (elapsed === undefined ? '' : `${(elapsed / 1000).toFixed(1)}s`).padStart(7);
		const size = (step.status === 'done' && step.layerSize ? humanSize(step.layerSize) : '').padStart(8);
		const name = `${step.triggerOf === undefined ? '' : 'ONBUILD '}${step.text}`;
		const number = `#${step.number}`.padStart(4);
		return this.fit(`${number} ${label} ${time} ${size}  ${name}`, this.terminal.colour ? colours[step.status] : undefined);
	}

	/** One screen line (never wrapped: the redraw counts lines), coloured when asked. */
	private fit(text: string, colour: string | undefined): string {
		const cut = ellipsis(text, Math.max(20, this.terminal.columns - 1));
		return colour ? `\x1b[${colour}m${cut}\x1b[0m` : cut;
	}
}
