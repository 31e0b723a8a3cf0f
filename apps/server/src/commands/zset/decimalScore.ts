import { string2d } from "../support/numbers.js";

/**
 * Redis's `string2d` with a fast path for the plain decimals that scores and coordinates almost
 * always are (`[+-]digits[.digits]`, at most 15 significant digits): their value is the integer
 * of the digits divided by a power of ten, both exact doubles, so the one division is correctly
 * rounded — the same double `strtod` gives (Clinger's fast path), with no string built. Anything
 * else (exponents, `inf`, hex, long mantissas, bad bytes) goes to `string2d`.
 */

/** 10^0 … 10^22: the powers of ten a double holds exactly. */
const POW10 = new Float64Array(23);
for (let i = 0, p = 1; i < POW10.length; i++, p *= 10) POW10[i] = p;

/** Significant digits whose integer is below 2^53 whatever they are. */
const MAX_FAST_DIGITS = 15;

/** The double of `buf[start, end)` as `string2d` reads it; NaN when it is not one. */
export function string2dFast(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  if (i === end) return Number.NaN;
  let c = buf[i]!;
  const negative = c === 0x2d;
  if (negative || c === 0x2b) {
    if (++i === end) return Number.NaN;
    c = buf[i]!;
  }
  let mantissa = 0;
  let significant = 0;
  let digits = 0;
  let fraction = -1;
  for (; i < end; i++) {
    c = buf[i]!;
    if (c >= 0x30 && c <= 0x39) {
      digits++;
      if (fraction >= 0) fraction++;
      if (mantissa === 0 && c === 0x30) continue;
      if (++significant > MAX_FAST_DIGITS) return string2d(buf, start, end);
      mantissa = mantissa * 10 + (c - 0x30);
    } else if (c === 0x2e && fraction < 0) {
      fraction = 0;
    } else {
      return string2d(buf, start, end);
    }
  }
  if (digits === 0 || fraction >= POW10.length) return string2d(buf, start, end);
  const value = fraction > 0 ? mantissa / POW10[fraction]! : mantissa;
  return negative ? -value : value;
}
