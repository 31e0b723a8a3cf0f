/**
 * How geo replies print numbers: distances as util.c's `fixedpoint_d2string(d, 4)` (Redis's
 * `addReplyDoubleDistance`: `llrint(d * 10000)` then four decimals) and coordinates as
 * `ld2string(LD_STR_HUMAN)` (`addReplyHumanLongDouble`: `%.17Lf` without trailing zeros).
 */

/** C's `llrint` in the default rounding mode: nearest, ties to even. */
function llrint(x: number): number {
  const r = Math.round(x); // ties toward +inf
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * True when `d` (a distance from Math.* trigonometry, within a few ulps of Redis's) is so close
 * to a 4-decimal rounding edge that those ulps could change its `%.4f` text: recompute it then.
 */
export function nearRoundingEdge(d: number): boolean {
  const scaled = Math.abs(d * 10000);
  const fraction = scaled - Math.floor(scaled);
  return Math.abs(fraction - 0.5) <= scaled * 1e-13 + 1e-9;
}

/** `fixedpoint_d2string(d, 4)`: `0.7750`, `166274.1516`. */
export function formatDistance(d: number): string {
  if (d === 0) return "0.0000";
  const scaled = llrint(d * 10000);
  const negative = scaled < 0;
  const digits = String(negative ? -scaled : scaled).padStart(5, "0");
  const cut = digits.length - 4;
  const text = `${digits.slice(0, cut)}.${digits.slice(cut)}`;
  return negative ? `-${text}` : text;
}

/**
 * printf's `%.<digits>f` of a double: exact, ties to even as glibc rounds. `toFixed` is exact
 * too but rounds ties away from zero (and turns exponential at 1e21), so those are settled here.
 */
export function formatFixed(value: number, digits: number): string {
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  const magnitude = Math.abs(value);
  const sign = value < 0 || Object.is(value, -0) ? "-" : "";
  if (magnitude >= 1e21) return `${sign}${BigInt(magnitude).toString()}.${"0".repeat(digits)}`;
  let text = magnitude.toFixed(digits);
  // A tie is a value m / 2^(digits+1) with m odd; then toFixed(digits + 1) is exact, ending in 5.
  const scaled = magnitude * 2 ** (digits + 1);
  if (Number.isInteger(scaled) && scaled % 2 === 1) {
    const exact = magnitude.toFixed(digits + 1);
    let truncated = exact.slice(0, -1);
    if (truncated.endsWith(".")) truncated = truncated.slice(0, -1);
    if ((truncated.charCodeAt(truncated.length - 1) - 0x30) % 2 === 0) text = truncated;
  }
  return sign + text;
}

/** `ld2string(LD_STR_HUMAN)` of a double: `%.17Lf`, trailing zeros and a bare `.` dropped, `-0` as `0`. */
export function formatCoordinate(value: number): string {
  let text = formatFixed(value, 17);
  let end = text.length;
  while (text.charCodeAt(end - 1) === 0x30) end--;
  if (text.charCodeAt(end - 1) === 0x2e) end--;
  text = text.slice(0, end);
  return text === "-0" ? "0" : text;
}
