// Go's time.ParseDuration, which reads HEALTHCHECK's --interval, --timeout, --start-period and
// --start-interval: a sequence of decimal numbers with units (`1h30m`, `1.5s`, `300ms`, `-2us`).
import {goQuote} from './go-quote.js';

const units = new Map<string, bigint>([
	['ns', 1n],
	['us', 1_000n],
	['\u00b5s', 1_000n],
	['\u03bcs', 1_000n],
	['ms', 1_000_000n],
	['s', 1_000_000_000n],
	['m', 60_000_000_000n],
	['h', 3_600_000_000_000n],
]);

const limit = 1n << 63n;

/** Nanoseconds; throws an Error with Go's message (`time: invalid duration "x"`). */
export function parseGoDuration(text: string): number {
	const invalid = () => new Error(`time: invalid duration ${goQuote(text)}`);
	let rest = text;
	let negative = false;
	if (rest.startsWith('-') || rest.startsWith('+')) {
		negative = rest[0] === '-';
		rest = rest.slice(1);
	}
	if (rest === '0') return 0;
	if (rest === '') throw invalid();
	let total = 0n;
	while (rest !== '') {
		if (!/^[0-9.]/.test(rest)) throw invalid();
		const whole = /^[0-9]*/.exec(rest)![0];
		rest = rest.slice(whole.length);
		let fraction = '';
		if (rest.startsWith('.')) {
			fraction = /^\.([0-9]*)/.exec(rest)![1]!;
			rest = rest.slice(1 + fraction.length);
		}
		if (whole === '' && fraction === '') throw invalid();
		const unitText = /^[^0-9.]*/.exec(rest)![0];
		if (unitText === '') throw new Error(`time: missing unit in duration ${goQuote(text)}`);
		rest = rest.slice(unitText.length);
		const unit = units.get(unitText);
		if (unit === undefined) throw new Error(`time: unknown unit ${goQuote(unitText)} in duration ${goQuote(text)}`);
		const value = whole === '' ? 0n : BigInt(whole);
		if (value > limit / unit) throw invalid();
		let amount = value * unit;
		if (fraction !== '' && /[1-9]/.test(fraction)) {
			// As Go: the fraction's digits as an integer (while it fits in 63 bits), scaled in floating point.
			let digits = 0n;
			let scale = 1;
			for (const digit of fraction) {
				if (digits > (limit - 1n) / 10n) break;
				digits = digits * 10n + BigInt(digit);
				scale *= 10;
			}
			amount += BigInt(Math.trunc(Number(digits) * (Number(unit) / scale)));
			if (amount > limit) throw invalid();
		}
		total += amount;
		if (total > limit) throw invalid();
	}
	if (!negative && total > limit - 1n) throw invalid();
	return Number(negative ? -total : total);
}

/** Go's time.Duration.String() (`5s`, `1m30s`, `1h0m0s`, `1.5ms`, `0s`): how Docker prints a duration. */
export function formatGoDuration(nanoseconds: number): string {
	if (nanoseconds === 0) return '0s';
	const sign = nanoseconds < 0 ? '-' : '';
	let rest = BigInt(Math.abs(nanoseconds));
	if (rest < 1_000_000_000n) {
		const [unit, scale] = rest < 1_000n ? ['ns', 1n] : rest < 1_000_000n ? ['\u00b5s', 1_000n] : ['ms', 1_000_000n];
		return `${sign}${decimal(rest, scale)}${unit}`;
	}
	let text = `${decimal(rest % 60_000_000_000n, 1_000_000_000n)}s`;
	rest /= 60_000_000_000n;
	if (rest > 0n) {
		text = `${rest % 60n}m${text}`;
		rest /= 60n;
		if (rest > 0n) text = `${rest}h${text}`;
	}
	return sign + text;
}

/** value/scale with the fraction's trailing zeros dropped (`1500/1000` is `1.5`). */
function decimal(value: bigint, scale: bigint): string {
	const whole = value / scale;
	const digits = scale.toString().length - 1;
	const fraction = (value % scale).toString().padStart(digits, '0').replace(/0+$/, '');
	return fraction === '' ? `${whole}` : `${whole}.${fraction}`;
}
