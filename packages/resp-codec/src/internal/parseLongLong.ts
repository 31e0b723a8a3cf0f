/**
 * Redis's `string2ll` acceptance rules over the whole int64 range, returning the value as a
 * double: exact up to ±2^53, rounded beyond (protocol code only compares it with limits).
 * Returns `NaN` where `string2ll` fails: empty, 21+ bytes, `+`, spaces, leading zeros, `-0`,
 * non-digits, or outside [-2^63, 2^63-1].
 */
export function parseLongLong(buf: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len <= 0 || len >= 21) return Number.NaN;
  let i = start;
  let negative = false;
  if (buf[i] === 0x2d) {
    negative = true;
    i++;
    if (i === end) return Number.NaN;
  } else if (len === 1 && buf[i] === 0x30) {
    return 0;
  }
  const first = buf[i]!;
  if (first < 0x31 || first > 0x39) return Number.NaN;
  const digitsStart = i;
  let value = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return Number.NaN;
    value = value * 10 + d;
  }
  const digits = end - digitsStart;
  if (digits > 19) return Number.NaN;
  if (digits === 19 && exceedsInt64(buf, digitsStart, negative)) return Number.NaN;
  return negative ? -value : value;
}

const INT64_MAX_DIGITS = "9223372036854775807";

// Compares 19 digits with 2^63-1 (or 2^63 for a negative number) without losing precision.
function exceedsInt64(buf: Uint8Array, start: number, negative: boolean): boolean {
  for (let k = 0; k < 19; k++) {
    let limit = INT64_MAX_DIGITS.charCodeAt(k);
    if (negative && k === 18) limit++;
    const c = buf[start + k]!;
    if (c !== limit) return c > limit;
  }
  return false;
}
