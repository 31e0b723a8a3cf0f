import { bitLength, type LongDouble, longDoubleInfinity, longDoubleZero, roundToLongDouble } from "./LongDouble.js";

// Redis's MAX_LONG_DOUBLE_CHARS buffer: longer inputs are refused before parsing.
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;
// Decimal orders of magnitude past which strtold overflows to ±HUGE_VALL or underflows to 0.
const MAX_DECIMAL_MAGNITUDE = 4933;
const MIN_DECIMAL_MAGNITUDE = -4952;

/**
 * Redis's `string2ld` (what INCRBYFLOAT and HINCRBYFLOAT accept): glibc `strtold` over the whole
 * input — decimal or `0x` hex floats, `inf`/`infinity` — refusing a leading space, trailing
 * bytes (NUL included), NaN, overflow, and underflow to zero. Returns null where Redis replies
 * `ERR value is not a valid float`.
 */
export function parseLongDouble(input: string | Uint8Array): LongDouble | null {
  const text =
    typeof input === "string"
      ? input
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString("latin1");
  if (text.length === 0 || text.length >= MAX_LONG_DOUBLE_CHARS) return null;
  let i = 0;
  let negative = false;
  const sign = text.charCodeAt(0);
  if (sign === 0x2d || sign === 0x2b) {
    negative = sign === 0x2d;
    i = 1;
  }
  const rest = text.slice(i).toLowerCase();
  if (rest === "inf" || rest === "infinity") return longDoubleInfinity(negative);
  if (rest.startsWith("0x")) return parseHex(rest, negative);
  return parseDecimal(rest, negative);
}

const DECIMAL = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/;
const HEX = /^0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/;

function parseDecimal(text: string, negative: boolean): LongDouble | null {
  const m = DECIMAL.exec(text);
  if (m === null) return null;
  const whole = m[1]!;
  const fraction = m[2] ?? "";
  if (whole.length + fraction.length === 0) return null;
  let digits = (whole + fraction).replace(/^0+/, "");
  let exponent = saturatedExponent(m[3]) - fraction.length;
  if (digits.length === 0) return longDoubleZero(negative);
  const trailing = digits.length - digits.replace(/0+$/, "").length;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  const magnitude = digits.length - 1 + exponent;
  if (magnitude > MAX_DECIMAL_MAGNITUDE || magnitude < MIN_DECIMAL_MAGNITUDE) return null;
  const value = BigInt(digits);
  const result =
    exponent >= 0
      ? roundToLongDouble(negative, value * 10n ** BigInt(exponent), 1n, 0)
      : roundToLongDouble(negative, value, 10n ** BigInt(-exponent), 0);
  return rangeChecked(result);
}

function parseHex(text: string, negative: boolean): LongDouble | null {
  const m = HEX.exec(text);
  if (m === null) return null;
  const whole = m[1]!;
  const fraction = m[2] ?? "";
  if (whole.length + fraction.length === 0) return null;
  const value = BigInt(`0x${whole}${fraction}`);
  if (value === 0n) return longDoubleZero(negative);
  const exponent = saturatedExponent(m[3]) - 4 * fraction.length;
  // Beyond these, the value is certainly infinite or certainly rounds to zero.
  const top = bitLength(value) + exponent;
  if (top > 16385 || top < -16450) return null;
  return rangeChecked(roundToLongDouble(negative, value, 1n, exponent));
}

// strtold reports ERANGE for overflow and for an underflow to zero; string2ld refuses both.
function rangeChecked(value: LongDouble): LongDouble | null {
  if (value.kind === "infinity") return null;
  if (value.kind === "finite" && value.significand === 0n) return null;
  return value;
}

function saturatedExponent(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = Number(text);
  return n > 1e9 ? 1e9 : n < -1e9 ? -1e9 : n;
}
