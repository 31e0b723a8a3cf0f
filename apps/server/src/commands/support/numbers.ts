import { BEYOND_SAFE, LLONG_MAX, LLONG_MIN, parseLongLong, parseLongLongBig } from "@nedis/keyspace";
import { type LongDouble, parseLongDouble } from "@nedis/resp-codec";
import type { Client } from "../../net/Client.js";
import type { CommandArgs } from "../CommandSpec.js";
import { Errors, rangeError } from "./errors.js";

/**
 * Numeric arguments with Redis 7.0's rules and error texts (object.c's `get*FromObjectOrReply`
 * over util.c's `string2ll`, `string2d`, `string2ld`). Each returns the value, or null after
 * replying the error: `msg` (a whole error line) when given, else Redis's own text. int64 values
 * are numbers within ±(2^53−1) and bigints beyond, so no argument is rounded.
 */

export const INT_MIN = -2147483648;
export const INT_MAX = 2147483647;
/** C `long` on the LP64 platforms Redis runs on: the int64 range. */
export const LONG_MIN = LLONG_MIN;
export const LONG_MAX = LLONG_MAX;

const INT_RANGE_ERROR = rangeError(INT_MIN, INT_MAX);

/** `getLongLongFromObjectOrReply`: argument `i` as an int64 (`string2ll`: no spaces, `+` or leading zeros). */
export function getLongLongFromObjectOrReply(
  client: Client,
  args: CommandArgs,
  i: number,
  msg: string = Errors.notInteger,
): number | bigint | null {
  const off = args.offsets[i]!;
  const end = off + args.lengths[i]!;
  const n = parseLongLong(args.buffer, off, end);
  if (n === BEYOND_SAFE) return parseLongLongBig(args.buffer, off, end) as bigint;
  if (n !== n) {
    client.writer.error(msg);
    return null;
  }
  return n;
}

/**
 * `getLongFromObjectOrReply`: a C `long`, which is the int64 of {@link getLongLongFromObjectOrReply}
 * on LP64 (so its "value is out of range" never shows).
 */
export const getLongFromObjectOrReply: typeof getLongLongFromObjectOrReply = getLongLongFromObjectOrReply;

/**
 * `getRangeLongFromObjectOrReply`: an integer in [min, max]; outside it, `msg` or
 * "value is out of range, value must between min and max". A value beyond ±(2^53−1), possible
 * only with such a bound (e.g. `LONG_MAX` for "any count"), comes back as the nearest number.
 */
export function getRangeLongFromObjectOrReply(
  client: Client,
  args: CommandArgs,
  i: number,
  min: number | bigint,
  max: number | bigint,
  msg?: string,
): number | null {
  const n = getLongLongFromObjectOrReply(client, args, i, msg);
  if (n === null) return null;
  if (n < min || n > max) {
    client.writer.error(msg ?? (min === INT_MIN && max === INT_MAX ? INT_RANGE_ERROR : rangeError(min, max)));
    return null;
  }
  return typeof n === "number" ? n : Number(n);
}

/** `getIntFromObjectOrReply`: a C `int`, with `getRangeLongFromObjectOrReply`'s text unless `msg`. */
export function getIntFromObjectOrReply(client: Client, args: CommandArgs, i: number, msg?: string): number | null {
  return getRangeLongFromObjectOrReply(client, args, i, INT_MIN, INT_MAX, msg);
}

/**
 * `getPositiveLongFromObjectOrReply`: an integer ≥ 0. Without `msg`, a non-integer and a negative
 * value both get "value is out of range, must be positive", as in Redis.
 */
export function getPositiveLongFromObjectOrReply(
  client: Client,
  args: CommandArgs,
  i: number,
  msg: string = Errors.notPositive,
): number | null {
  return getRangeLongFromObjectOrReply(client, args, i, 0, LONG_MAX, msg);
}

/** `getDoubleFromObjectOrReply`: argument `i` read by {@link string2d}. */
export function getDoubleFromObjectOrReply(
  client: Client,
  args: CommandArgs,
  i: number,
  msg: string = Errors.notFloat,
): number | null {
  const off = args.offsets[i]!;
  const d = string2d(args.buffer, off, off + args.lengths[i]!);
  if (d !== d) {
    client.writer.error(msg);
    return null;
  }
  return d;
}

/** `getLongDoubleFromObjectOrReply`: argument `i` as an 80-bit long double (`string2ld`, via resp-codec). */
export function getLongDoubleFromObjectOrReply(
  client: Client,
  args: CommandArgs,
  i: number,
  msg: string = Errors.notFloat,
): LongDouble | null {
  const value = parseLongDouble(args.argView(i));
  if (value === null) client.writer.error(msg);
  return value;
}

/** Writes an int64 reply (number or bigint). */
export function replyLongLong(client: Client, n: number | bigint): void {
  if (typeof n === "bigint") client.writer.bigInteger(n);
  else client.writer.integer(n);
}

/**
 * Redis 7.0's `string2d`: glibc `strtod` over the whole of `buf[start, end)`, in the C locale —
 * decimal (`1e3`, `.5`, `5.`, `+1`) or hexadecimal (`0x10`, `0x1.8p3`) floats, `inf` and
 * `infinity` in any case — refusing an empty input, a leading (or any) space, trailing bytes (a
 * NUL included), NaN (`nan`), and a result out of range (overflow to ±HUGE_VAL, underflow to 0).
 * Returns the value, or NaN where Redis replies "value is not a valid float". Correctly rounded
 * like glibc: decimal text through `Number`, hex mantissas rounded half to even by hand.
 */
export function string2d(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  if (i >= end) return NaN;
  let negative = false;
  let c = buf[i]!;
  if (c === 0x2b || c === 0x2d) {
    negative = c === 0x2d;
    if (++i === end) return NaN;
    c = buf[i]!;
  }
  if ((c | 0x20) === 0x69) return infinity(buf, i, end, negative);
  if (c === 0x30 && i + 1 < end && (buf[i + 1]! | 0x20) === 0x78) return hexFloat(buf, i + 2, end, negative);
  let digits = 0;
  let nonZero = false;
  for (; i < end && isDigit(buf[i]!); i++, digits++) if (buf[i] !== 0x30) nonZero = true;
  if (i < end && buf[i] === 0x2e) {
    for (i++; i < end && isDigit(buf[i]!); i++, digits++) if (buf[i] !== 0x30) nonZero = true;
  }
  if (digits === 0) return NaN;
  if (i < end && (buf[i]! | 0x20) === 0x65) {
    i++;
    if (i < end && (buf[i] === 0x2b || buf[i] === 0x2d)) i++;
    const exponentStart = i;
    while (i < end && isDigit(buf[i]!)) i++;
    if (i === exponentStart) return NaN; // strtod stops before the `e`: trailing bytes
  }
  if (i !== end) return NaN;
  // The bytes are now a decimal literal in JavaScript's grammar too.
  const value = Number(latin1(buf, start, end));
  if (value === Infinity || value === -Infinity) return NaN; // ERANGE, ±HUGE_VAL
  if (value === 0 && nonZero) return NaN; // ERANGE, underflow to zero
  return value;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

function latin1(buf: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
  return s;
}

function infinity(buf: Uint8Array, i: number, end: number, negative: boolean): number {
  const word = latin1(buf, i, end).toLowerCase();
  if (word !== "inf" && word !== "infinity") return NaN;
  return negative ? -Infinity : Infinity;
}

/** A hex float after its `0x`: hex digits with an optional `.`, then an optional `p` exponent. */
function hexFloat(buf: Uint8Array, i: number, end: number, negative: boolean): number {
  let hex = "";
  let fractionDigits = 0;
  for (; i < end && isHexDigit(buf[i]!); i++) hex += String.fromCharCode(buf[i]!);
  if (i < end && buf[i] === 0x2e) {
    for (i++; i < end && isHexDigit(buf[i]!); i++, fractionDigits++) hex += String.fromCharCode(buf[i]!);
  }
  if (hex.length === 0) return NaN; // strtod reads only the `0`
  let exponent = 0;
  if (i < end && (buf[i]! | 0x20) === 0x70) {
    i++;
    let sign = 1;
    if (i < end && (buf[i] === 0x2b || buf[i] === 0x2d)) sign = buf[i++] === 0x2d ? -1 : 1;
    const exponentStart = i;
    // Saturate far beyond every double: the result is then certainly out of range.
    for (; i < end && isDigit(buf[i]!); i++) if (exponent < 1e6) exponent = exponent * 10 + (buf[i]! - 0x30);
    if (i === exponentStart) return NaN;
    exponent *= sign;
  }
  if (i !== end) return NaN;
  const value = roundBinary(BigInt(`0x${hex}`), exponent - 4 * fractionDigits);
  return negative ? -value : value;
}

const isHexDigit = (c: number): boolean => isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);

/** mantissa × 2^exponent rounded to a double, half to even; NaN when out of range (ERANGE). */
function roundBinary(mantissa: bigint, exponent: number): number {
  if (mantissa === 0n) return 0;
  const top = mantissa.toString(2).length - 1 + exponent; // value in [2^top, 2^(top+1))
  if (top > 1023 || top < -1075) return NaN;
  const lowest = Math.max(top - 52, -1074); // weight of the last bit a double keeps here
  const shift = lowest - exponent;
  if (shift > 0) {
    const s = BigInt(shift);
    const rest = mantissa & ((1n << s) - 1n);
    const half = 1n << (s - 1n);
    mantissa >>= s;
    if (rest > half || (rest === half && (mantissa & 1n) === 1n)) mantissa += 1n;
    exponent = lowest;
  }
  if (mantissa === 0n) return NaN; // rounded to zero
  const value = Number(mantissa) * 2 ** exponent;
  return Number.isFinite(value) ? value : NaN;
}
