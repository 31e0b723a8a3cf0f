/**
 * BITFIELD's integers at any bit offset (Redis's `get/setUnsignedBitfield`, `get/setSignedBitfield`
 * and `check*BitfieldOverflow` in `bitops.c`): big-endian, bit 0 the most significant bit of the
 * first byte, 1 to 64 bits wide. Values are int64/uint64 bigints; the bits move as two 32-bit
 * halves so a field costs one bigint, not one per bit.
 */

/** What BITFIELD does when a SET or INCRBY does not fit (Redis's BFOVERFLOW_*). */
export const BitfieldOverflow = {
  Wrap: 0,
  Sat: 1,
  Fail: 2,
} as const;
export type BitfieldOverflow = (typeof BitfieldOverflow)[keyof typeof BitfieldOverflow];

/**
 * The unsigned `bits`-wide field at bit `offset` of `bytes[start, end)`, the bytes past `end`
 * reading as zero (BITFIELD GET past the string).
 */
export function getUnsignedBitfield(
  bytes: Uint8Array,
  start: number,
  end: number,
  offset: number,
  bits: number,
): bigint {
  let hi = 0;
  let lo = 0;
  let byteAt = start + Math.floor(offset / 8);
  let bit = offset % 8;
  let byte = byteAt < end ? bytes[byteAt]! : 0;
  for (let j = 0; j < bits; j++) {
    const b = (byte >> (7 - bit)) & 1;
    // (hi, lo) <<= 1, | b: hi keeps the bits above 32.
    hi = ((hi << 1) | (lo >>> 31)) >>> 0;
    lo = ((lo << 1) | b) >>> 0;
    if (++bit === 8) {
      bit = 0;
      byteAt++;
      byte = byteAt < end ? bytes[byteAt]! : 0;
    }
  }
  return hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
}

/** {@link getUnsignedBitfield} read as a two's complement `bits`-wide integer. */
export function getSignedBitfield(bytes: Uint8Array, start: number, end: number, offset: number, bits: number): bigint {
  return BigInt.asIntN(bits, getUnsignedBitfield(bytes, start, end, offset, bits));
}

/**
 * Writes the low `bits` bits of `value` (any sign: two's complement) at bit `offset` of the
 * bytes from `start`, which must reach that far.
 */
export function setBitfield(bytes: Uint8Array, start: number, offset: number, bits: number, value: bigint): void {
  const u = BigInt.asUintN(64, value);
  const lo = Number(u & 0xffffffffn);
  const hi = Number(u >> 32n);
  let byteAt = start + Math.floor(offset / 8);
  let bit = offset % 8;
  for (let j = bits - 1; j >= 0; j--) {
    const b = j >= 32 ? (hi >>> (j - 32)) & 1 : (lo >>> j) & 1;
    const mask = 0x80 >> bit;
    bytes[byteAt] = b ? bytes[byteAt]! | mask : bytes[byteAt]! & ~mask;
    if (++bit === 8) {
      bit = 0;
      byteAt++;
    }
  }
}

/** The value to store after an overflow check (Redis's `*limit`), set by the checks below. */
export const bitfieldResult = { value: 0n };

/**
 * Redis's `checkUnsignedBitfieldOverflow` for INCRBY (`old` + `incr`) or SET (`old` the new
 * value as given, `incr` 0): 0 when it fits, 1 on overflow, -1 on underflow. Unless FAIL,
 * {@link bitfieldResult} gets the value to store (wrapped or saturated; the sum when it fits).
 */
export function checkUnsignedBitfieldOverflow(
  old: bigint,
  incr: bigint,
  bits: number,
  overflow: BitfieldOverflow,
): number {
  // SET's value is an int64 Redis reads as uint64: -1 is 2^64 - 1, past every field.
  const value = BigInt.asUintN(64, old);
  const max = (1n << BigInt(bits)) - 1n;
  const sum = value + incr;
  let code = 0;
  if (value > max || sum > max) code = 1;
  else if (sum < 0n) code = -1;
  if (code !== 0 && overflow === BitfieldOverflow.Sat) bitfieldResult.value = code > 0 ? max : 0n;
  else bitfieldResult.value = BigInt.asUintN(bits, sum);
  return code;
}

/** Redis's `checkSignedBitfieldOverflow`, as {@link checkUnsignedBitfieldOverflow} for `i<bits>`. */
export function checkSignedBitfieldOverflow(
  old: bigint,
  incr: bigint,
  bits: number,
  overflow: BitfieldOverflow,
): number {
  const max = (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const sum = old + incr;
  let code = 0;
  if (sum > max) code = 1;
  else if (sum < min) code = -1;
  if (code !== 0 && overflow === BitfieldOverflow.Sat) bitfieldResult.value = code > 0 ? max : min;
  else bitfieldResult.value = BigInt.asIntN(bits, sum);
  return code;
}
