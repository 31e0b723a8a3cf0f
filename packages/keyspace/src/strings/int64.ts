/**
 * 64-bit integers as Redis reads and writes them (`string2ll`, `ll2string` in util.c), on byte
 * ranges. Numbers within ±(2^53−1) take the fast path as JS numbers; the rest of the int64
 * range goes through BigInt.
 */

export const LLONG_MAX = 9223372036854775807n;
export const LLONG_MIN = -9223372036854775808n;

/** Returned by {@link parseLongLong} for a valid int64 outside the safe-integer range. */
export const BEYOND_SAFE = Infinity;

/**
 * Parses `buf[start, end)` with `string2ll` rules: optional `-`, digits without leading zeros,
 * at most 20 bytes, within int64. Returns the number, `NaN` if it is not such an integer, or
 * {@link BEYOND_SAFE} for a valid int64 beyond ±(2^53−1) (then use {@link parseLongLongBig}).
 */
export function parseLongLong(buf: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len <= 0 || len > 20) return NaN;
  let i = start;
  let negative = false;
  if (buf[i] === 0x2d) {
    negative = true;
    i++;
    if (i === end) return NaN;
  }
  const first = buf[i]!;
  if (first === 0x30) return len === 1 ? 0 : NaN;
  if (first < 0x31 || first > 0x39) return NaN;
  let value = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  if (value <= Number.MAX_SAFE_INTEGER) return negative ? -value : value;
  return parseLongLongBig(buf, start, end) === null ? NaN : BEYOND_SAFE;
}

/** Exact `string2ll` as a bigint, or null. */
export function parseLongLongBig(buf: Uint8Array, start: number, end: number): bigint | null {
  const len = end - start;
  if (len <= 0 || len > 20) return null;
  let i = start;
  let negative = false;
  if (buf[i] === 0x2d) {
    negative = true;
    i++;
    if (i === end) return null;
  }
  const first = buf[i]!;
  if (first === 0x30) return len === 1 ? 0n : null;
  if (first < 0x31 || first > 0x39) return null;
  let text = "";
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39) return null;
    text += String.fromCharCode(c);
  }
  const value = negative ? -BigInt(text) : BigInt(text);
  return value > LLONG_MAX || value < LLONG_MIN ? null : value;
}

/** True when the bytes are a canonical int64 (what Redis stores with the `int` encoding). */
export function isLongLong(buf: Uint8Array, start: number, end: number): boolean {
  return !Number.isNaN(parseLongLong(buf, start, end));
}

/** Number of bytes of the decimal form of a safe integer. */
export function intTextLength(n: number): number {
  return n < 0 ? 1 + digitCount(-n) : digitCount(n);
}

/** Decimal digits of a non-negative safe integer: comparisons, no division (INCR's hot path). */
function digitCount(n: number): number {
  if (n < 10) return 1;
  if (n < 100) return 2;
  if (n < 1000) return 3;
  if (n < 10000) return 4;
  if (n < 100000) return 5;
  if (n < 1000000) return 6;
  if (n < 10000000) return 7;
  if (n < 100000000) return 8;
  if (n < 1000000000) return 9;
  let digits = 10;
  // Powers of ten up to 1e22 are exact doubles, so the comparisons are exact.
  for (let p = 1e10; n >= p; p *= 10) digits++;
  return digits;
}

/** Writes the decimal form of a safe integer at `out[at]`; returns the length written. */
export function writeInt(n: number, out: Uint8Array, at: number): number {
  const len = intTextLength(n);
  let i = at + len - 1;
  let v = n < 0 ? -n : n;
  // Above 2^31 - 1 take float steps down to the int32 range, then 32-bit integer division.
  while (v > 0x7fffffff) {
    const q = Math.floor(v / 10);
    out[i--] = 0x30 + (v - q * 10);
    v = q;
  }
  let w = v | 0;
  do {
    const q = (w / 10) | 0;
    out[i--] = 0x30 + (w - q * 10);
    w = q;
  } while (w > 0);
  if (n < 0) out[at] = 0x2d;
  return len;
}
