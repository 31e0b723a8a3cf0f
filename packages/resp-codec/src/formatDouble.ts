/**
 * A double as Redis 7.0 replies it (`addReplyDouble`: ZSCORE, ZINCRBY, WITHSCORES, GEODIST, …):
 * C's `%.17g` — 17 significant digits, trailing zeros dropped, exponent form below 1e-4 or from
 * 1e17 (`1.1000000000000001`, `3`, `1e+20`, `1.4999999999999999e-07`, `-0`) — with `inf`,
 * `-inf` and `nan` spelled as Redis does.
 *
 * `toExponential` rounds exact ties away from zero where glibc's printf rounds them to even;
 * those ties (a value whose exact decimal expansion has 18 significant digits ending in 5) are
 * detected and rounded to even, so every double prints exactly as on Redis/glibc.
 */
export function formatDouble(value: number): string {
  if (value !== value) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  if (Number.isSafeInteger(value)) return String(value);
  const negative = value < 0;
  const magnitude = negative ? -value : value;
  const [digits, exponent] = significantDigits(magnitude);
  const text = exponent < -4 || exponent >= 17 ? exponentForm(digits, exponent) : fixedForm(digits, exponent);
  return negative ? `-${text}` : text;
}

// The 17 significant digits of %.17g (rounded half to even) and the decimal exponent.
function significantDigits(magnitude: number): [string, number] {
  const rounded = magnitude.toExponential(16);
  const e = rounded.indexOf("e");
  let digits = rounded[0]! + rounded.slice(2, e);
  let exponent = Number(rounded.slice(e + 1));
  const longer = magnitude.toExponential(17);
  if (longer.charCodeAt(longer.indexOf("e") - 1) === 0x35 && isExactTie(magnitude, longer)) {
    const truncated = longer[0]! + longer.slice(2, 18);
    if ((truncated.charCodeAt(16) - 0x30) % 2 === 0) {
      digits = truncated;
      exponent = Number(longer.slice(longer.indexOf("e") + 1));
    }
  }
  return [digits, exponent];
}

// True when the 18-digit `text` (from toExponential(17)) is the exact value of `magnitude`.
function isExactTie(magnitude: number, text: string): boolean {
  const e = text.indexOf("e");
  const digits = BigInt(text[0]! + text.slice(2, e));
  const scale = Number(text.slice(e + 1)) - 17; // value = digits × 10^scale
  const [mantissa, binaryExponent] = decompose(magnitude); // value = mantissa × 2^binaryExponent
  let left = digits;
  let right = mantissa;
  if (scale >= 0) left *= 10n ** BigInt(scale);
  else right *= 10n ** BigInt(-scale);
  if (binaryExponent >= 0) right <<= BigInt(binaryExponent);
  else left <<= BigInt(-binaryExponent);
  return left === right;
}

const view = new DataView(new ArrayBuffer(8));

function decompose(value: number): [bigint, number] {
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  if (biased === 0) return [fraction, -1074];
  return [fraction | (1n << 52n), biased - 1075];
}

function trimZeros(digits: string): string {
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 0x30) end--;
  return digits.slice(0, end);
}

function exponentForm(digits: string, exponent: number): string {
  const d = trimZeros(digits);
  const mantissa = d.length === 1 ? d : `${d[0]}.${d.slice(1)}`;
  const abs = exponent < 0 ? -exponent : exponent;
  return `${mantissa}e${exponent < 0 ? "-" : "+"}${abs < 10 ? "0" : ""}${abs}`;
}

function fixedForm(digits: string, exponent: number): string {
  if (exponent < 0) return `0.${"0".repeat(-exponent - 1)}${trimZeros(digits)}`;
  const whole = digits.slice(0, exponent + 1);
  const fraction = trimZeros(digits.slice(exponent + 1));
  return fraction === "0" || fraction === "" ? whole : `${whole}.${fraction}`;
}
