import { formatDouble } from "@nedis/resp-codec";

/**
 * Scores as Redis 7.0 writes and reads them in a listpack (`d2string`, `zzlStrtod`) and as a
 * large zset's dict keeps them (8 raw bytes beside the member).
 */

/** Bytes of the last {@link scoreText}. */
export const SCORE_TEXT = new Uint8Array(40);

/** 2^62: `double2ll` refuses values beyond ±LLONG_MAX/2 (which rounds to 2^62 as a double). */
const LL_HALF = 2 ** 62;

/**
 * Whether `zzlInsertAt` stores `value` as an integer (`double2ll`): integral within ±2^62 —
 * -0 included, which a listpack therefore keeps as 0, as on Redis.
 */
export function scoreIsInteger(value: number): boolean {
  return value === Math.trunc(value) && value >= -LL_HALF && value <= LL_HALF;
}

/** The text `zzlInsertAt` stores for `value` (in {@link SCORE_TEXT}); returns its length. */
export function scoreText(value: number): number {
  let text: string;
  if (scoreIsInteger(value)) text = Number.isSafeInteger(value) ? String(value + 0) : BigInt(value).toString();
  else text = formatDouble(value);
  for (let i = 0; i < text.length; i++) SCORE_TEXT[i] = text.charCodeAt(i);
  return text.length;
}

/** `zzlStrtod`: a score stored as a string (`strtod`, C locale: inf, infinity, nan in any case). */
export function parseScoreText(buf: Uint8Array, start: number, end: number): number {
  let s = "";
  for (let i = start; i < end && i - start < 128; i++) s += String.fromCharCode(buf[i]!);
  const n = Number(s);
  if (n === n && s.trim() === s && s !== "") return n;
  const lower = s.toLowerCase();
  const body = lower[0] === "-" || lower[0] === "+" ? lower.slice(1) : lower;
  if (body === "inf" || body === "infinity") return lower[0] === "-" ? -Infinity : Infinity;
  if (body === "nan") return Number.NaN;
  const prefix = /^[+-]?(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?)/.exec(lower.trimStart());
  return prefix === null ? 0 : Number(prefix[0]);
}

const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);

/** The float64 stored at `buf[off, off + 8)` (native byte order; any alignment). */
export function readScore(buf: Uint8Array, off: number): number {
  for (let i = 0; i < 8; i++) F64_BYTES[i] = buf[off + i]!;
  return F64[0]!;
}

/** The 8 bytes of `score` (a shared view: copy them before the next call). */
export function scoreBytes(score: number): Uint8Array {
  F64[0] = score;
  return F64_BYTES;
}
