/**
 * Go's `fmt.Sprintf("%.<precision>g", value)`, which the Docker CLI's size columns go through.
 *
 * It differs from `Number.prototype.toPrecision` in three ways that show in Docker's output:
 * trailing zeros are dropped ("1.5GB", not "1.50GB"), the exponent form has at least two exponent
 * digits ("1e+03kB"), and an exact tie rounds half to even (1125 bytes is "1.12kB", not "1.13kB").
 * The digits are worked out from the exact binary value of the double, so rounding is exact too.
 */
export function formatGoFloat(value: number, precision: number): string {
	if (Number.isNaN(value)) return 'NaN';
	if (value === Infinity) return '+Inf';
	if (value === -Infinity) return '-Inf';
	const sign = value < 0 || Object.is(value, -0) ? '-' : '';
	if (value === 0) return `${sign}0`;
	const significantDigits = Math.max(precision, 1);
	const decimal = roundDecimal(exactDecimal(Math.abs(value)), significantDigits);
	return sign + formatShortest(decimal, significantDigits);
}

/** A decimal number 0.digits × 10^pointPosition, without trailing zeros in digits. */
type DecimalDigits = {digits: string; pointPosition: number};

/** The exact decimal expansion of a finite, positive double. */
function exactDecimal(value: number): DecimalDigits {
	const view = new DataView(new ArrayBuffer(8));
	view.setFloat64(0, value);
	const bits = view.getBigUint64(0);
	const biasedExponent = Number((bits >> 52n) & 0x7ffn);
	const fraction = bits & ((1n << 52n) - 1n);
	const mantissa = biasedExponent === 0 ? fraction : fraction | (1n << 52n);
	const binaryExponent = (biasedExponent === 0 ? 1 : biasedExponent) - 1075;
	if (binaryExponent >= 0) {
		const digits = (mantissa << BigInt(binaryExponent)).toString();
		return trimTrailingZeros({digits, pointPosition: digits.length});
	}
	// mantissa / 2^n = mantissa × 5^n / 10^n
	const shift = -binaryExponent;
	const digits = (mantissa * 5n ** BigInt(shift)).toString();
	return trimTrailingZeros({digits, pointPosition: digits.length - shift});
}

function trimTrailingZeros({digits, pointPosition}: DecimalDigits): DecimalDigits {
	return {digits: digits.replace(/0+$/, ''), pointPosition};
}

/** Round to count significant digits like Go's strconv: half up, except an exact half rounds to even. */
function roundDecimal(decimal: DecimalDigits, count: number): DecimalDigits {
	const {digits, pointPosition} = decimal;
	if (digits.length <= count) return decimal;
	const next = digits.charCodeAt(count) - 48;
	const exactHalf = next === 5 && digits.length === count + 1;
	const roundUp = exactHalf ? (digits.charCodeAt(count - 1) - 48) % 2 === 1 : next >= 5;
	const kept = digits.slice(0, count);
	if (!roundUp) return trimTrailingZeros({digits: kept, pointPosition});
	const lastNonNine = kept.search(/9*$/) - 1;
	if (lastNonNine < 0) return {digits: '1', pointPosition: pointPosition + 1};
	const bumped = kept.slice(0, lastNonNine) + String(kept.charCodeAt(lastNonNine) - 48 + 1);
	return trimTrailingZeros({digits: bumped, pointPosition});
}

/** strconv's %g layout for already rounded digits (Go's formatDigits, 'g' case). */
function formatShortest({digits, pointPosition}: DecimalDigits, precision: number): string {
	let exponentThreshold = precision;
	if (exponentThreshold > digits.length && digits.length >= pointPosition) exponentThreshold = digits.length;
	const exponent = pointPosition - 1;
	if (exponent < -4 || exponent >= exponentThreshold) {
		const fractionDigits = Math.min(precision, digits.length) - 1;
		const mantissa = fractionDigits > 0 ? `${digits[0]}.${digits.slice(1, fractionDigits + 1)}` : digits[0];
		const exponentDigits = String(Math.abs(exponent)).padStart(2, '0');
		return `${mantissa}e${exponent < 0 ? '-' : '+'}${exponentDigits}`;
	}
	const fractionDigits = Math.max((precision > pointPosition ? digits.length : precision) - pointPosition, 0);
	const integerPart = pointPosition > 0 ? digits.slice(0, pointPosition).padEnd(pointPosition, '0') : '0';
	if (fractionDigits === 0) return integerPart;
	let fractionPart = '';
	for (let index = 0; index < fractionDigits; index++) {
		const position = pointPosition + index;
		fractionPart += position >= 0 && position < digits.length ? digits[position] : '0';
	}
	return `${integerPart}.${fractionPart}`;
}
