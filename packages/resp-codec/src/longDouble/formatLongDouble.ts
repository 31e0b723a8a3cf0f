import type { LongDouble } from "./LongDouble.js";

const FRACTION_DIGITS = 17;
const SCALE = 10n ** BigInt(FRACTION_DIGITS);

/**
 * Redis's `ld2string(…, LD_STR_HUMAN)`, the text INCRBYFLOAT and HINCRBYFLOAT store and reply:
 * `%.17Lf` (exact, rounded half to even like glibc), then trailing zeros and a bare `.` dropped,
 * `-0` shown as `0`; `inf`/`-inf` for infinities.
 */
export function formatLongDouble(value: LongDouble): string {
  if (value.kind === "nan") return value.negative ? "-nan" : "nan";
  if (value.kind === "infinity") return value.negative ? "-inf" : "inf";
  let scaled: bigint;
  if (value.exponent >= 0) {
    scaled = (value.significand << BigInt(value.exponent)) * SCALE;
  } else {
    const shift = BigInt(-value.exponent);
    const product = value.significand * SCALE;
    scaled = product >> shift;
    const dropped = product - (scaled << shift);
    const half = 1n << (shift - 1n);
    if (dropped > half || (dropped === half && (scaled & 1n) === 1n)) scaled++;
  }
  const digits = scaled.toString().padStart(FRACTION_DIGITS + 1, "0");
  const whole = digits.slice(0, digits.length - FRACTION_DIGITS);
  const fraction = digits.slice(digits.length - FRACTION_DIGITS).replace(/0+$/, "");
  const text = fraction.length > 0 ? `${whole}.${fraction}` : whole;
  if (text === "0") return "0";
  return value.negative ? `-${text}` : text;
}
