/**
 * C's `printf("%.<precision>g", x)` as glibc prints it, which is how lua_cjson writes numbers
 * (`fpconv_g_fmt`). JS's `toExponential` rounds exactly too, except that it breaks an exact tie
 * away from zero where glibc rounds half to even (`%.1g` of 2.5 is "2"), so ties are found and
 * fixed here.
 */

const float64 = new Float64Array(1);
const float64Words = new Uint32Array(float64.buffer);

export function formatNumberG(x: number, precision: number): string {
  if (x !== x) return signBit(x) ? "-nan" : "nan";
  if (x === Number.POSITIVE_INFINITY) return "inf";
  if (x === Number.NEGATIVE_INFINITY) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  // Integers that fit in `precision` digits print as themselves: the common case, kept cheap.
  if (Number.isInteger(x) && Math.abs(x) < POWERS_OF_TEN[precision]!) return String(x);

  let exponential = x.toExponential(precision - 1);
  const longer = x.toExponential(precision);
  const ePos = longer.indexOf("e");
  if (longer.charCodeAt(ePos - 1) === 0x35 /* '5' */ && isExactTie(x, longer, ePos)) {
    // The digit kept last decides: glibc leaves an even one alone instead of rounding up.
    let kept = longer.slice(0, ePos - 1);
    if (kept.endsWith(".")) kept = kept.slice(0, -1);
    if ((kept.charCodeAt(kept.length - 1) - 0x30) % 2 === 0) exponential = kept + longer.slice(ePos);
  }
  return layout(exponential, precision);
}

const POWERS_OF_TEN: number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);

function signBit(x: number): boolean {
  float64[0] = x;
  return float64Words[1]! >>> 31 === 1;
}

/** Whether `x` equals the decimal `digits`e`exp` written in `s` exactly (not just nearest). */
function isExactTie(x: number, s: string, ePos: number): boolean {
  const negative = s.charCodeAt(0) === 0x2d;
  const mantissa = s.slice(negative ? 1 : 0, ePos).replace(".", "");
  const decimalExponent = Number(s.slice(ePos + 1)) - (mantissa.length - 1);
  float64[0] = Math.abs(x);
  const hi = float64Words[1]!;
  const lo = float64Words[0]!;
  const biased = hi >>> 20;
  let significand = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let binaryExponent: number;
  if (biased === 0) {
    binaryExponent = -1074;
  } else {
    significand |= 1n << 52n;
    binaryExponent = biased - 1075;
  }
  // digits × 10^decimalExponent === significand × 2^binaryExponent, cleared of negative powers.
  let left = BigInt(mantissa);
  let right = significand;
  if (decimalExponent >= 0) left *= 10n ** BigInt(decimalExponent);
  else right *= 10n ** BigInt(-decimalExponent);
  if (binaryExponent >= 0) right <<= BigInt(binaryExponent);
  else left <<= BigInt(-binaryExponent);
  return left === right;
}

/** Turns JS exponential notation into `%g`'s choice of fixed or exponential, zeros trimmed. */
function layout(exponential: string, precision: number): string {
  const ePos = exponential.indexOf("e");
  const exponent = Number(exponential.slice(ePos + 1));
  const negative = exponential.charCodeAt(0) === 0x2d;
  const digits = exponential.slice(negative ? 1 : 0, ePos).replace(".", "");
  const sign = negative ? "-" : "";
  if (exponent < -4 || exponent >= precision) {
    const fraction = trimZeros(digits.slice(1));
    const magnitude = Math.abs(exponent);
    return `${sign}${digits[0]}${fraction === "" ? "" : `.${fraction}`}e${exponent < 0 ? "-" : "+"}${
      magnitude < 10 ? `0${magnitude}` : magnitude
    }`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${trimZeros(digits)}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = trimZeros(digits.slice(exponent + 1));
  return `${sign}${whole}${fraction === "" ? "" : `.${fraction}`}`;
}

function trimZeros(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x30) end--;
  return s.slice(0, end);
}
