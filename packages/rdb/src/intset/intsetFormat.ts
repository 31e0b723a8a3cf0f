/**
 * Intsets (intset.c): the compact form of a set of integers Redis DUMPs as `SetIntset`.
 * Layout: `<encoding u32 LE: 2, 4 or 8><count u32 LE><values ascending, each `encoding` bytes,
 * signed little-endian>`. The encoding is the smallest that holds every value.
 */

import { RdbFormatError } from "../RdbFormatError.js";
import { type RdbOutput, readUint32LE, writeUint32LE } from "../RdbOutput.js";

/** Bytes per value of an intset (INTSET_ENC_*). */
export const IntsetEncoding = { Int16: 2, Int32: 4, Int64: 8 } as const;
export type IntsetEncoding = (typeof IntsetEncoding)[keyof typeof IntsetEncoding];

export const INTSET_HEADER_SIZE = 8;
const TWO_POW_32 = 0x100000000;

/** The smallest encoding that holds `value` (_intsetValueEncoding). */
export function intsetEncodingOf(value: number | bigint): IntsetEncoding {
  if (value < -2147483648 || value > 2147483647) return IntsetEncoding.Int64;
  if (value < -32768 || value > 32767) return IntsetEncoding.Int32;
  return IntsetEncoding.Int16;
}

/**
 * Appends an intset of `values` (ascending, no duplicates, int64: safe-integer numbers or
 * bigints) with the smallest encoding that holds them all, as Redis builds it by SADD. Pass
 * `minEncoding` to reproduce a set that once held wider values: Redis never narrows an intset.
 */
export function writeIntset(
  out: RdbOutput,
  values: ArrayLike<number | bigint>,
  minEncoding: IntsetEncoding = IntsetEncoding.Int16,
): void {
  let encoding: IntsetEncoding = minEncoding;
  for (let i = 0; i < values.length; i++) {
    const e = intsetEncodingOf(values[i]!);
    if (e > encoding) encoding = e;
    if (i > 0 && !(values[i]! > values[i - 1]!))
      throw new RangeError("writeIntset: values must be ascending and distinct");
  }
  out.reserve(INTSET_HEADER_SIZE + values.length * encoding);
  const b = out.buffer;
  let o = out.length;
  writeUint32LE(b, o, encoding);
  writeUint32LE(b, o + 4, values.length);
  o += INTSET_HEADER_SIZE;
  for (let i = 0; i < values.length; i++) {
    const raw = values[i]!;
    if (encoding === IntsetEncoding.Int64) {
      let lo: number;
      let hi: number;
      if (typeof raw === "bigint") {
        const u = BigInt.asUintN(64, raw);
        lo = Number(u & 0xffffffffn);
        hi = Number(u >> 32n);
      } else {
        if (!Number.isSafeInteger(raw)) throw new RangeError(`${raw} is not a safe integer; pass a bigint`);
        hi = Math.floor(raw / TWO_POW_32);
        lo = raw - hi * TWO_POW_32;
        hi >>>= 0;
      }
      writeUint32LE(b, o, lo);
      writeUint32LE(b, o + 4, hi);
    } else {
      const v = Number(raw);
      b[o] = v;
      b[o + 1] = v >> 8;
      if (encoding === IntsetEncoding.Int32) {
        b[o + 2] = v >> 16;
        b[o + 3] = v >> 24;
      }
    }
    o += encoding;
  }
  out.length = o;
}

/** A read-only view of an intset in `bytes[start, end)`, checked on construction. */
export class IntsetView {
  readonly bytes: Uint8Array;
  readonly start: number;
  readonly encoding: IntsetEncoding;
  readonly length: number;

  /**
   * Checks the intset as Redis's intsetValidateIntegrity does (deep: values strictly ascending)
   * and throws {@link RdbFormatError} when it is invalid, including when it is empty.
   */
  constructor(bytes: Uint8Array, start = 0, end = bytes.length, deep = true) {
    if (!isValidIntset(bytes, start, end, deep)) throw new RdbFormatError("Intset integrity check failed");
    this.bytes = bytes;
    this.start = start;
    this.encoding = readUint32LE(bytes, start) as IntsetEncoding;
    this.length = readUint32LE(bytes, start + 4);
  }

  /** The value at `index` as a number (exact below 2^53 in magnitude). */
  get(index: number): number {
    return intsetValueAt(this.bytes, this.start + INTSET_HEADER_SIZE, this.encoding, index);
  }

  /** The value at `index` exactly, as a BigInt (allocates). */
  getBigInt(index: number): bigint {
    const p = this.start + INTSET_HEADER_SIZE + index * this.encoding;
    if (this.encoding !== IntsetEncoding.Int64) return BigInt(this.get(index));
    return (BigInt(readUint32LE(this.bytes, p + 4) | 0) << 32n) | BigInt(readUint32LE(this.bytes, p));
  }
}

function intsetValueAt(bytes: Uint8Array, valuesStart: number, encoding: IntsetEncoding, index: number): number {
  const p = valuesStart + index * encoding;
  if (encoding === IntsetEncoding.Int16) return ((bytes[p]! | (bytes[p + 1]! << 8)) << 16) >> 16;
  if (encoding === IntsetEncoding.Int32)
    return bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24);
  return (readUint32LE(bytes, p + 4) | 0) * TWO_POW_32 + readUint32LE(bytes, p);
}

/**
 * Redis's intsetValidateIntegrity on `bytes[start, end)`: a known encoding, a size that matches
 * the count, not empty, and with `deep` strictly ascending values.
 */
export function isValidIntset(bytes: Uint8Array, start = 0, end = bytes.length, deep = true): boolean {
  const size = end - start;
  if (size < INTSET_HEADER_SIZE) return false;
  const encoding = readUint32LE(bytes, start);
  if (encoding !== 2 && encoding !== 4 && encoding !== 8) return false;
  const count = readUint32LE(bytes, start + 4);
  if (INTSET_HEADER_SIZE + count * encoding !== size) return false;
  if (count === 0) return false;
  if (!deep) return true;
  const valuesStart = start + INTSET_HEADER_SIZE;
  if (encoding === 8) {
    // compare as (signed hi, unsigned lo) pairs: numbers lose precision beyond 2^53
    let prevHi = readUint32LE(bytes, valuesStart + 4) | 0;
    let prevLo = readUint32LE(bytes, valuesStart);
    for (let i = 1; i < count; i++) {
      const p = valuesStart + i * 8;
      const hi = readUint32LE(bytes, p + 4) | 0;
      const lo = readUint32LE(bytes, p);
      if (hi < prevHi || (hi === prevHi && lo <= prevLo)) return false;
      prevHi = hi;
      prevLo = lo;
    }
    return true;
  }
  let prev = intsetValueAt(bytes, valuesStart, encoding, 0);
  for (let i = 1; i < count; i++) {
    const cur = intsetValueAt(bytes, valuesStart, encoding, i);
    if (cur <= prev) return false;
    prev = cur;
  }
  return true;
}
