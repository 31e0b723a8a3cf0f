/**
 * x87 80-bit `long double` arithmetic, emulated exactly with BigInt: what Redis computes
 * INCRBYFLOAT and HINCRBYFLOAT in (x86-64 Linux builds). A finite value is
 * `(-1)^negative × significand × 2^exponent` with a 64-bit significand, rounded to nearest-even
 * like the FPU, with the format's subnormals and overflow to infinity.
 */
export interface LongDouble {
  readonly kind: "finite" | "infinity" | "nan";
  readonly negative: boolean;
  /** Below 2^64; 0 for zero. */
  readonly significand: bigint;
  readonly exponent: number;
}

// Exponent of the least significant significand bit: subnormals sit at 2^-16445; the largest
// finite value is (2^64-1)·2^16320.
const MIN_EXPONENT = -16445;
const MAX_EXPONENT = 16320;
const SIGNIFICAND_BITS = 64;

export const LONG_DOUBLE_NAN: LongDouble = { kind: "nan", negative: false, significand: 0n, exponent: 0 };

export function longDoubleInfinity(negative: boolean): LongDouble {
  return { kind: "infinity", negative, significand: 0n, exponent: 0 };
}

export function longDoubleZero(negative: boolean): LongDouble {
  return { kind: "finite", negative, significand: 0n, exponent: 0 };
}

/** True unless infinite or NaN (INCRBYFLOAT's `isnan(value) || isinf(value)` check). */
export function isFiniteLongDouble(value: LongDouble): boolean {
  return value.kind === "finite";
}

/** Number of bits of a non-negative BigInt. */
export function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}

/**
 * The long double nearest to `numerator / denominator × 2^binaryExponent` (ties to even),
 * or ±infinity past the largest finite value. Both BigInts are non-negative, the denominator
 * positive.
 */
export function roundToLongDouble(
  negative: boolean,
  numerator: bigint,
  denominator: bigint,
  binaryExponent: number,
): LongDouble {
  if (numerator === 0n) return longDoubleZero(negative);
  let num = numerator;
  let exp = binaryExponent;
  // Scale so the integer quotient has at least 66 bits: 64 kept, a rounding bit, and more.
  const scale = SIGNIFICAND_BITS + 2 - (bitLength(num) - bitLength(denominator));
  if (scale > 0) {
    num <<= BigInt(scale);
    exp -= scale;
  }
  const quotient = num / denominator;
  const sticky = num % denominator !== 0n;
  let shift = bitLength(quotient) - SIGNIFICAND_BITS;
  let lsbExponent = exp + shift;
  if (lsbExponent < MIN_EXPONENT) {
    shift += MIN_EXPONENT - lsbExponent;
    lsbExponent = MIN_EXPONENT;
  }
  const bigShift = BigInt(shift);
  let kept = quotient >> bigShift;
  const dropped = quotient - (kept << bigShift);
  const half = 1n << (bigShift - 1n);
  if (dropped > half || (dropped === half && (sticky || (kept & 1n) === 1n))) kept++;
  if (kept === 1n << 64n) {
    kept = 1n << 63n;
    lsbExponent++;
  }
  if (lsbExponent > MAX_EXPONENT) return longDoubleInfinity(negative);
  if (kept === 0n) return longDoubleZero(negative);
  return { kind: "finite", negative, significand: kept, exponent: lsbExponent };
}

/** `a + b` in long double arithmetic (round to nearest even). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === "nan" || b.kind === "nan") return LONG_DOUBLE_NAN;
  if (a.kind === "infinity" || b.kind === "infinity") {
    if (a.kind === "infinity" && b.kind === "infinity" && a.negative !== b.negative) return LONG_DOUBLE_NAN;
    return a.kind === "infinity" ? a : b;
  }
  if (a.significand === 0n && b.significand === 0n) return longDoubleZero(a.negative && b.negative);
  if (a.significand === 0n) return b;
  if (b.significand === 0n) return a;
  const exp = Math.min(a.exponent, b.exponent);
  const x = a.significand << BigInt(a.exponent - exp);
  const y = b.significand << BigInt(b.exponent - exp);
  const sum = (a.negative ? -x : x) + (b.negative ? -y : y);
  // An exact zero sum is +0 when rounding to nearest.
  if (sum === 0n) return longDoubleZero(false);
  return roundToLongDouble(sum < 0n, sum < 0n ? -sum : sum, 1n, exp);
}
