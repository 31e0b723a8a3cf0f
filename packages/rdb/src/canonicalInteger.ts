/**
 * Redis turns a string into an integer only when it is the integer's canonical decimal form
 * (`string2ll`, `lpStringToInt64`): 1 to 20 bytes, an optional `-`, no leading zero, no `+`, no
 * `-0`, within int64. "12" becomes 12; "012", "+12", " 12", "1e3" stay strings.
 */

const MAX_SAFE_DIGITS = 15; // any 15-digit decimal is below 2^53

/**
 * Parses `bytes[start, end)` if it is a canonical int64: returns a number when the value is a
 * safe integer, a bigint beyond ±2^53, and `null` when the bytes are not a canonical integer.
 */
export function parseCanonicalInteger(bytes: Uint8Array, start: number, end: number): number | bigint | null {
  const len = end - start;
  if (len <= 0 || len > 20) return null;
  let p = start;
  let negative = false;
  if (bytes[p] === 0x2d) {
    negative = true;
    p++;
    if (p === end) return null;
  }
  const first = bytes[p]!;
  if (first === 0x30) return len === 1 ? 0 : null;
  if (first < 0x31 || first > 0x39) return null;
  const digits = end - p;
  if (digits <= MAX_SAFE_DIGITS) {
    let v = 0;
    for (; p < end; p++) {
      const d = bytes[p]! - 0x30;
      if (d < 0 || d > 9) return null;
      v = v * 10 + d;
    }
    return negative ? -v : v;
  }
  let v = 0n;
  for (; p < end; p++) {
    const d = bytes[p]! - 0x30;
    if (d < 0 || d > 9) return null;
    v = v * 10n + BigInt(d);
  }
  if (negative) v = -v;
  if (v > 0x7fffffffffffffffn || v < -0x8000000000000000n) return null;
  return v >= -Number.MAX_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v;
}

/** True when `value` is an integer in int64 range (a number must also be a safe integer). */
export function isInt64(value: number | bigint): boolean {
  if (typeof value === "bigint") return value >= -0x8000000000000000n && value <= 0x7fffffffffffffffn;
  return Number.isSafeInteger(value);
}

/**
 * Writes the decimal form of the integer `value` into `target` at `offset` (room for 20 bytes
 * needed) and returns the number of bytes written. Allocation-free for numbers.
 */
export function writeDecimal(target: Uint8Array, offset: number, value: number | bigint): number {
  if (typeof value === "bigint") {
    const text = value.toString();
    for (let i = 0; i < text.length; i++) target[offset + i] = text.charCodeAt(i);
    return text.length;
  }
  let o = offset;
  let v = value;
  if (v < 0) {
    target[o++] = 0x2d;
    v = -v;
  }
  let digits = 1;
  for (let t = v; t >= 10; t = Math.floor(t / 10)) digits++;
  for (let i = o + digits - 1; i >= o; i--) {
    const q = Math.floor(v / 10);
    target[i] = 0x30 + (v - q * 10);
    v = q;
  }
  return o + digits - offset;
}
