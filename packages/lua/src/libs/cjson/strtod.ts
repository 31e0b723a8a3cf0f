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

/** The byte at `i`, or NUL from `limit` on. */
const byteAt = (bytes: Uint8Array, i: number, limit: number): number => (i < limit ? bytes[i]! : 0);

/** Exact powers of ten as doubles (10^0 … 10^22). */
const EXACT_POWERS_OF_TEN: number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Parses at `start` in `bytes`; bytes from index `limit` on read as NUL (the string's end). */
export function strtod(bytes: Uint8Array, start: number, limit: number, out: StrtodResult): void {
  let i = start;
  let negative = false;
  const first = byteAt(bytes, i, limit);
  if (first === 0x2b || first === 0x2d) {
    negative = first === 0x2d;
    i++;
  }
  out.end = start;
  out.value = 0;
  const lead = byteAt(bytes, i, limit);
  if (!isDigit(lead) && lead !== 0x2e) {
    parseWord(bytes, i, limit, negative, out);
    return;
  }
  if (lead === 0x30 && (byteAt(bytes, i + 1, limit) | 0x20) === 0x78) {
    const hexStart = i + 2;
    const h = byteAt(bytes, hexStart, limit);
    if (hexValue(h) >= 0 || (h === 0x2e && hexValue(byteAt(bytes, hexStart + 1, limit)) >= 0)) {
      parseHex(bytes, hexStart, limit, negative, out);
      return;
    }
    // "0x" without hex digits is the number 0 followed by 'x'.
    out.value = negative ? -0 : 0;
    out.end = i + 1;
    return;
  }

  // Digits, with the value kept exactly while it has at most 15 of them.
  let mantissa = 0;
  let digitCount = 0;
  let fractionDigits = 0;
  let c = lead;
  while (isDigit(c)) {
    mantissa = mantissa * 10 + (c - 0x30);
    digitCount++;
    c = byteAt(bytes, ++i, limit);
  }
  if (c === 0x2e) {
    c = byteAt(bytes, ++i, limit);
    while (isDigit(c)) {
      mantissa = mantissa * 10 + (c - 0x30);
      digitCount++;
      fractionDigits++;
      c = byteAt(bytes, ++i, limit);
    }
    if (digitCount === 0) return; // "." alone is not a number
  }
  let exponent = 0;
  if ((c | 0x20) === 0x65) {
    let j = i + 1;
    let sign = byteAt(bytes, j, limit);
    const exponentNegative = sign === 0x2d;
    if (sign === 0x2b || sign === 0x2d) sign = byteAt(bytes, ++j, limit);
    if (isDigit(sign)) {
      let d = sign;
      while (isDigit(d)) {
        exponent = Math.min(exponent * 10 + (d - 0x30), 1e9);
        d = byteAt(bytes, ++j, limit);
      }
      if (exponentNegative) exponent = -exponent;
      i = j;
    }
  }
  out.end = i;
  // Clinger's fast path: an exact integer mantissa times or over an exact power of ten rounds
  // once, hence correctly; anything longer goes through JS's (also correct) parser.
  const scale = exponent - fractionDigits;
  if (digitCount <= 15 && scale >= -22 && scale <= 22) {
    const magnitude = scale < 0 ? mantissa / EXACT_POWERS_OF_TEN[-scale]! : mantissa * EXACT_POWERS_OF_TEN[scale]!;
    out.value = negative ? -magnitude : magnitude;
    return;
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, i - start).toString("latin1");
  out.value = Number(text.charCodeAt(0) === 0x2b ? text.slice(1) : text);
}

/** "inf", "infinity" or "nan", "nan(chars)", in any case; nothing else. */
function parseWord(bytes: Uint8Array, i: number, limit: number, negative: boolean, out: StrtodResult): void {
  if (matchesWord(bytes, i, limit, "inf")) {
    out.value = negative ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    out.end = matchesWord(bytes, i, limit, "infinity") ? i + 8 : i + 3;
    return;
  }
  if (!matchesWord(bytes, i, limit, "nan")) return;
  // glibc keeps the sign on a NaN; Lua's tostring then prints "-nan".
  out.value = negative ? NEGATIVE_NAN : Number.NaN;
  let end = i + 3;
  if (byteAt(bytes, end, limit) === 0x28) {
    let j = end + 1;
    for (;;) {
      const c = byteAt(bytes, j, limit);
      const lower = c | 0x20;
      if (!(isDigit(c) || (lower >= 0x61 && lower <= 0x7a) || c === 0x5f)) break;
      j++;
    }
    if (byteAt(bytes, j, limit) === 0x29) end = j + 1;
  }
  out.end = end;
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
