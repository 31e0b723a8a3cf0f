/**
 * SORT's numeric weight: glibc `strtod` over a C string, accepted only when it consumed the
 * whole string (up to its first NUL), did not set ERANGE and is not NaN — exactly sort.c's test.
 * So leading white space, `0x` hex floats, `inf` and an empty string (0) pass; `1e400`, `1e-320`
 * (ERANGE) and `nan` fail. Returns the number, or NaN when SORT must refuse it.
 */
export function sortWeight(buf: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    if (buf[i] === 0) {
      end = i;
      break;
    }
  }
  if (start === end) return 0;
  let i = start;
  while (i < end && isSpace(buf[i]!)) i++;
  let negative = false;
  if (i < end && (buf[i] === 0x2b || buf[i] === 0x2d)) negative = buf[i++] === 0x2d;
  const rest = String.fromCharCode(...buf.subarray(i, end)).toLowerCase();
  let value: number;
  if (rest === "inf" || rest === "infinity") {
    value = Number.POSITIVE_INFINITY;
  } else if (rest.startsWith("0x")) {
    value = parseHexFloat(rest.slice(2));
  } else {
    if (!DECIMAL.test(rest)) return Number.NaN;
    value = Number(rest);
    if (!Number.isFinite(value)) return Number.NaN; // overflow: ERANGE
    const abs = Math.abs(value);
    if (abs < MIN_NORMAL && (abs !== 0 || NONZERO_DIGIT.test(rest.split("e")[0]!))) return Number.NaN; // underflow
  }
  return negative ? -value : value;
}

const DECIMAL = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/;
const NONZERO_DIGIT = /[1-9]/;
const HEX = /^([0-9a-f]+\.?[0-9a-f]*|\.[0-9a-f]+)(p[+-]?\d+)?$/;
const MIN_NORMAL = 2.2250738585072014e-308;

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** A C99 hex float body (after `0x`): hex digits, optional point and binary exponent. */
function parseHexFloat(body: string): number {
  if (!HEX.test(body)) return Number.NaN;
  const [mantissa = "", exponent] = body.split("p");
  const [whole = "", fraction = ""] = mantissa.split(".");
  let value = 0;
  for (const d of whole) value = value * 16 + Number.parseInt(d, 16);
  let scale = 1 / 16;
  for (const d of fraction) {
    value += Number.parseInt(d, 16) * scale;
    scale /= 16;
  }
  const result = value * 2 ** Number(exponent ?? 0);
  return Number.isFinite(result) ? result : Number.NaN;
}
