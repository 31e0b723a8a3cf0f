/**
 * 64-bit integers as Redis reads and writes them (`string2ll` and `ll2string` in util.c), on byte
 * ranges: the one implementation the protocol parser, the keyspace (INCR, the `int` encoding) and
 * the RDB/listpack code share. Values within ±(2^53−1) stay JS numbers and allocate nothing; the
 * rest of the int64 range goes through BigInt.
 */

/** 2^63 − 1. */
export const LLONG_MAX = 9223372036854775807n;
/** −2^63. */
export const LLONG_MIN = -9223372036854775808n;

/** Returned by {@link parseLongLong} for a valid int64 outside ±(2^53−1), whatever its sign. */
export const BEYOND_SAFE = Infinity;

const INT64_MAX_DIGITS = "9223372036854775807";

/**
 * Parses `buf[start, end)` with `string2ll` rules: an optional `-`, digits without a leading zero
 * (`0` itself aside; no `-0`, `+`, spaces), at most 20 bytes, within int64. Returns the number,
 * `NaN` when the bytes are not such an integer, or {@link BEYOND_SAFE} for a valid int64 beyond
 * ±(2^53−1) (then {@link parseLongLongBig} gives it exactly). Allocates nothing.
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
  const digitsStart = i;
  let value = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  // Rounding is monotonic, so the sum reaches 2^53 exactly when the digits do.
  if (value <= Number.MAX_SAFE_INTEGER) return negative ? -value : value;
  const digits = end - digitsStart;
  if (digits > 19 || (digits === 19 && exceedsInt64(buf, digitsStart, negative))) return NaN;
  return BEYOND_SAFE;
}

// Compares 19 digits with 2^63−1 (2^63 for a negative number) without losing precision.
function exceedsInt64(buf: Uint8Array, start: number, negative: boolean): boolean {
  for (let k = 0; k < 19; k++) {
    let limit = INT64_MAX_DIGITS.charCodeAt(k);
    if (negative && k === 18) limit++;
    const c = buf[start + k]!;
    if (c !== limit) return c > limit;
  }
  return false;
}

/** Exact `string2ll` as a bigint, or null where it fails. */
export function parseLongLongBig(buf: Uint8Array, start: number, end: number): bigint | null {
  const n = parseLongLong(buf, start, end);
  if (n !== BEYOND_SAFE) return Number.isNaN(n) ? null : BigInt(n);
  let text = "";
  for (let i = start; i < end; i++) text += String.fromCharCode(buf[i]!);
  return BigInt(text);
}

/**
 * `string2ll` within ±(2^53−1): the number, or `NaN` for anything else (not an integer, or an
 * int64 a double cannot hold exactly). For arguments such as counts and indexes.
 */
export function parseInteger(buf: Uint8Array, start: number, end: number): number {
  const n = parseLongLong(buf, start, end);
  return n === BEYOND_SAFE ? NaN : n;
}

/**
 * `string2ll` with Redis's types for stored integers: a number when the value is a safe integer,
 * a bigint beyond ±(2^53−1), `null` when the bytes are not a canonical int64 (what Redis keeps
 * as a string: "012", "+12", " 12", "1e3").
 */
export function parseCanonicalInteger(buf: Uint8Array, start: number, end: number): number | bigint | null {
  const n = parseLongLong(buf, start, end);
  if (n === BEYOND_SAFE) return parseLongLongBig(buf, start, end);
  return Number.isNaN(n) ? null : n;
}

/** True when the bytes are a canonical int64 (what Redis stores with the `int` encoding). */
export function isLongLong(buf: Uint8Array, start: number, end: number): boolean {
  return !Number.isNaN(parseLongLong(buf, start, end));
}

/** True when `value` is an integer in int64 range (a number must also be a safe integer). */
export function isInt64(value: number | bigint): boolean {
  if (typeof value === "bigint") return value >= LLONG_MIN && value <= LLONG_MAX;
  return Number.isSafeInteger(value);
}

/** Bytes of the decimal form of a safe integer, sign included. */
export function intTextLength(n: number): number {
  return n < 0 ? 1 + digitCount(-n) : digitCount(n);
}

// Decimal digits of a non-negative safe integer: comparisons, no division (reply headers, INCR).
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

/** Writes the decimal form of a safe integer at `out[at]`; returns the length written (≤ 17). */
export function writeInt(n: number, out: Uint8Array, at: number): number {
  const len = intTextLength(n);
  let i = at + len - 1;
  let v = n < 0 ? -n : n;
  // Above 2^31 − 1 take float steps down to the int32 range, then 32-bit integer division.
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

/**
 * Writes the decimal form of an int64 (a safe-integer number or a bigint) into `target` at
 * `offset` (room for 20 bytes needed); returns the length written. Allocation-free for numbers.
 */
export function writeDecimal(target: Uint8Array, offset: number, value: number | bigint): number {
  if (typeof value === "number") return writeInt(value, target, offset);
  const text = value.toString();
  for (let i = 0; i < text.length; i++) target[offset + i] = text.charCodeAt(i);
  return text.length;
}
