/**
 * Parses a decimal integer from `buf[start, end)` with Redis's `string2ll` rules: an optional
 * `-`, no `+`, no spaces, no leading zeros (except `0` itself), within the int64 range that a
 * JS number holds exactly (±2^53; larger lengths are rejected by every limit anyway).
 * Returns `NaN` when the bytes are not such an integer. No allocation.
 */
export function parseInteger(buf: Uint8Array, start: number, end: number): number {
  if (start >= end || end - start > 20) return Number.NaN;
  let i = start;
  let negative = false;
  if (buf[i] === 0x2d) {
    negative = true;
    i++;
    if (i === end) return Number.NaN;
  }
  const first = buf[i]!;
  if (first === 0x30) return i + 1 === end && !negative ? 0 : Number.NaN;
  if (first < 0x31 || first > 0x39) return Number.NaN;
  let value = 0;
  for (; i < end; i++) {
    const c = buf[i]! - 0x30;
    if (c < 0 || c > 9) return Number.NaN;
    value = value * 10 + c;
  }
  if (value > Number.MAX_SAFE_INTEGER) return Number.NaN;
  return negative ? -value : value;
}
