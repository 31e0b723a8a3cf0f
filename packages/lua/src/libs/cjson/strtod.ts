/**
 * glibc's `strtod` over bytes, which lua_cjson uses to read every JSON number: it accepts more than
 * JSON does (a leading '+', hexadecimal with a binary exponent, "inf"/"infinity", "nan(chars)",
 * leading zeros, "1." and ".5"), and stops at the first byte that cannot continue the number. The
 * value rounds exactly as glibc's does (correctly rounded, as JS's `Number()` is for decimals).
 */

/** What `strtod` read: the value, and where it stopped (`end === start`: no number). */
export interface StrtodResult {
  value: number;
  end: number;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const hexValue = (c: number): number => {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
};
const NEGATIVE_NAN = new Float64Array(new Uint32Array([0, 0xfff80000]).buffer)[0]!;

/** Parses at `start` in `bytes`; bytes from index `limit` on read as NUL (the string's end). */
export function strtod(bytes: Uint8Array, start: number, limit: number, out: StrtodResult): void {
  const at = (i: number): number => (i < limit ? bytes[i]! : 0);
  let i = start;
  let negative = false;
  if (at(i) === 0x2b || at(i) === 0x2d) {
    negative = at(i) === 0x2d;
    i++;
  }
  out.end = start;
  out.value = 0;

  if (matchesWord(bytes, i, limit, "inf")) {
    out.value = negative ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    out.end = matchesWord(bytes, i, limit, "infinity") ? i + 8 : i + 3;
    return;
  }
  if (matchesWord(bytes, i, limit, "nan")) {
    // glibc keeps the sign on a NaN; Lua's tostring then prints "-nan".
    out.value = negative ? NEGATIVE_NAN : Number.NaN;
    i += 3;
    if (at(i) === 0x28) {
      let j = i + 1;
      while (isDigit(at(j)) || ((at(j) | 0x20) >= 0x61 && (at(j) | 0x20) <= 0x7a) || at(j) === 0x5f) j++;
      if (at(j) === 0x29) i = j + 1;
    }
    out.end = i;
    return;
  }
  if (at(i) === 0x30 && (at(i + 1) | 0x20) === 0x78) {
    const hexStart = i + 2;
    if (hexValue(at(hexStart)) >= 0 || (at(hexStart) === 0x2e && hexValue(at(hexStart + 1)) >= 0)) {
      parseHex(bytes, hexStart, limit, negative, out);
      return;
    }
    // "0x" without hex digits is the number 0 followed by 'x'.
    out.value = negative ? -0 : 0;
    out.end = i + 1;
    return;
  }

  const digitsStart = i;
  let integer = 0;
  while (isDigit(at(i))) {
    integer = integer * 10 + (at(i) - 0x30);
    i++;
  }
  let digitCount = i - digitsStart;
  let fractional = false;
  if (at(i) === 0x2e) {
    const fractionStart = i + 1;
    let j = fractionStart;
    while (isDigit(at(j))) j++;
    if (digitCount === 0 && j === fractionStart) return; // "." alone is not a number
    digitCount += j - fractionStart;
    fractional = true;
    i = j;
  } else if (digitCount === 0) {
    return;
  }
  const c = at(i) | 0x20;
  let exponentEnd = i;
  if (c === 0x65) {
    let j = i + 1;
    if (at(j) === 0x2b || at(j) === 0x2d) j++;
    if (isDigit(at(j))) {
      while (isDigit(at(j))) j++;
      exponentEnd = j;
    }
  }
  out.end = exponentEnd;
  if (!fractional && exponentEnd === i && digitCount <= 15) {
    out.value = negative ? -integer : integer;
    return;
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, exponentEnd - start).toString("latin1");
  out.value = Number(text.charCodeAt(0) === 0x2b ? text.slice(1) : text);
}

function matchesWord(bytes: Uint8Array, i: number, limit: number, word: string): boolean {
  if (i + word.length > limit) return false;
  for (let k = 0; k < word.length; k++) {
    if ((bytes[i + k]! | 0x20) !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** A hexadecimal float ("1.8p3"), rounded to nearest even like glibc, subnormals included. */
function parseHex(bytes: Uint8Array, start: number, limit: number, negative: boolean, out: StrtodResult): void {
  const at = (i: number): number => (i < limit ? bytes[i]! : 0);
  let i = start;
  let mantissa = 0n;
  let exponent = 0;
  while (hexValue(at(i)) >= 0) {
    mantissa = (mantissa << 4n) | BigInt(hexValue(at(i)));
    i++;
  }
  if (at(i) === 0x2e) {
    i++;
    while (hexValue(at(i)) >= 0) {
      mantissa = (mantissa << 4n) | BigInt(hexValue(at(i)));
      exponent -= 4;
      i++;
    }
  }
  if ((at(i) | 0x20) === 0x70) {
    let j = i + 1;
    let expNegative = false;
    if (at(j) === 0x2b || at(j) === 0x2d) {
      expNegative = at(j) === 0x2d;
      j++;
    }
    if (isDigit(at(j))) {
      let e = 0;
      while (isDigit(at(j))) {
        e = Math.min(e * 10 + (at(j) - 0x30), 1e9);
        j++;
      }
      exponent += expNegative ? -e : e;
      i = j;
    }
  }
  out.end = i;
  const magnitude = binaryToDouble(mantissa, exponent);
  out.value = negative ? -magnitude : magnitude;
}

/** mantissa × 2^exponent rounded to a double (half to even). */
function binaryToDouble(mantissa: bigint, exponent: number): number {
  if (mantissa === 0n) return 0;
  const bits = mantissa.toString(2).length;
  const top = bits - 1 + exponent;
  if (top > 1023) return Number.POSITIVE_INFINITY;
  const keep = top >= -1022 ? 53 : 53 - (-1022 - top);
  if (keep < 0) return 0;
  let m = mantissa;
  let e = exponent;
  const shift = bits - keep;
  if (shift > 0) {
    const half = 1n << BigInt(shift - 1);
    const rest = m & ((1n << BigInt(shift)) - 1n);
    m >>= BigInt(shift);
    if (rest > half || (rest === half && (m & 1n) === 1n)) m += 1n;
    e += shift;
  }
  if (e < -1022) return Number(m) * 2 ** (e + 1074) * Number.MIN_VALUE;
  if (e > 1023) return Number(m) * 2 ** 1023 * 2 ** (e - 1023);
  return Number(m) * 2 ** e;
}
