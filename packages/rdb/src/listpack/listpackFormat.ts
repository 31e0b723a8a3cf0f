/**
 * The listpack layout (listpack.c, Redis 7.0): `<total bytes u32 LE><count u16 LE><entry>…<0xFF>`.
 * Each entry is `<encoding+data><backlen>`, backlen being the size of `<encoding+data>` in 1–5
 * bytes read from the end, so the list can be walked both ways. Count 65535 means "too many to
 * count, walk it".
 */

import { writeUint32LE } from "../RdbOutput.js";

export const LISTPACK_HEADER_SIZE = 6;
export const LISTPACK_EOF = 0xff;
/** Bytes of an empty listpack: the header and the terminator (lpNew). */
export const LISTPACK_EMPTY_SIZE = LISTPACK_HEADER_SIZE + 1;
/** Header count meaning "unknown": the list holds 65535 entries or more. */
export const LISTPACK_COUNT_UNKNOWN = 0xffff;

/** First-byte encodings of listpack entries (LP_ENCODING_*). */
export const ListpackEncoding = {
  /** `0xxxxxxx`: an integer 0–127 in the byte itself. */
  Uint7: 0x00,
  /** `10xxxxxx`: a string of up to 63 bytes. */
  String6: 0x80,
  /** `110xxxxx xxxxxxxx`: a signed 13-bit integer. */
  Int13: 0xc0,
  /** `1110xxxx xxxxxxxx`: a string of up to 4095 bytes. */
  String12: 0xe0,
  /** `0xF0` + u32 LE length: a longer string. */
  String32: 0xf0,
  Int16: 0xf1,
  Int24: 0xf2,
  Int32: 0xf3,
  Int64: 0xf4,
} as const;
export type ListpackEncoding = (typeof ListpackEncoding)[keyof typeof ListpackEncoding];

/** Bytes of the backlen that follows an entry whose encoding+data is `size` bytes (lpEncodeBacklen). */
export function backlenSize(size: number): number {
  if (size <= 127) return 1;
  if (size < 16383) return 2;
  if (size < 2097151) return 3;
  if (size < 268435455) return 4;
  return 5;
}

/** Writes the backlen of `size` at `target[offset]`; returns the offset after it. */
export function putBacklen(target: Uint8Array, offset: number, size: number): number {
  const n = backlenSize(size);
  // Most significant 7-bit group first, without the continuation bit; the rest with it.
  let o = offset + n - 1;
  let v = size;
  target[o] = (v & 127) | (n > 1 ? 128 : 0);
  for (let i = 1; i < n; i++) {
    v = Math.floor(v / 128);
    o--;
    target[o] = (v & 127) | (i < n - 1 ? 128 : 0);
  }
  return offset + n;
}

/**
 * Reads the backlen that ends at `source[last]` (lpDecodeBacklen), not looking before `floor`:
 * returns the encoded size, or -1 if it runs past 5 bytes or below `floor`.
 */
export function readBacklen(source: Uint8Array, last: number, floor: number): number {
  let value = 0;
  let multiplier = 1;
  for (let p = last, i = 0; ; p--, i++) {
    if (p < floor || i >= 5) return -1;
    const b = source[p]!;
    value += (b & 127) * multiplier;
    if ((b & 128) === 0) return value;
    multiplier *= 128;
  }
}

const TWO_POW_32 = 0x100000000;

/** Bytes of `<encoding+data>` for the int64 `value` (lpEncodeIntegerGetType's enclen). */
export function integerEncodedSize(value: number | bigint): number {
  if (typeof value === "bigint") {
    if (value >= -2147483648n && value <= 2147483647n) return integerEncodedSize(Number(value));
    return 9;
  }
  if (value >= 0 && value <= 127) return 1;
  if (value >= -4096 && value <= 4095) return 2;
  if (value >= -32768 && value <= 32767) return 3;
  if (value >= -8388608 && value <= 8388607) return 4;
  if (value >= -2147483648 && value <= 2147483647) return 5;
  return 9;
}

/**
 * Writes `value` (a safe-integer number, or a bigint in int64 range) at `target[at]` with the
 * smallest integer encoding, as lpEncodeIntegerGetType does; returns the bytes written (1–9).
 * Callers check the range: a number must be a safe integer, a bigint an int64.
 */
export function encodeInteger(target: Uint8Array, at: number, value: number | bigint): number {
  if (typeof value === "bigint") {
    if (value >= -2147483648n && value <= 2147483647n) return encodeInteger(target, at, Number(value));
    const u = BigInt.asUintN(64, value);
    target[at] = ListpackEncoding.Int64;
    writeUint32LE(target, at + 1, Number(u & 0xffffffffn));
    writeUint32LE(target, at + 5, Number(u >> 32n));
    return 9;
  }
  if (value >= 0 && value <= 127) {
    target[at] = value;
    return 1;
  }
  if (value >= -4096 && value <= 4095) {
    const u = value < 0 ? (1 << 13) + value : value;
    target[at] = ListpackEncoding.Int13 | (u >>> 8);
    target[at + 1] = u & 0xff;
    return 2;
  }
  if (value >= -32768 && value <= 32767) {
    target[at] = ListpackEncoding.Int16;
    target[at + 1] = value;
    target[at + 2] = value >> 8;
    return 3;
  }
  if (value >= -8388608 && value <= 8388607) {
    target[at] = ListpackEncoding.Int24;
    target[at + 1] = value;
    target[at + 2] = value >> 8;
    target[at + 3] = value >> 16;
    return 4;
  }
  if (value >= -2147483648 && value <= 2147483647) {
    target[at] = ListpackEncoding.Int32;
    writeUint32LE(target, at + 1, value >>> 0);
    return 5;
  }
  // two's complement of a safe integer, split into 32-bit halves
  const hi = Math.floor(value / TWO_POW_32);
  target[at] = ListpackEncoding.Int64;
  writeUint32LE(target, at + 1, value - hi * TWO_POW_32);
  writeUint32LE(target, at + 5, hi >>> 0);
  return 9;
}

/** Bytes of `<encoding+data>` for a string entry of `length` bytes (lpEncodeGetType's enclen). */
export function stringEncodedSize(length: number): number {
  if (length < 64) return 1 + length;
  if (length < 4096) return 2 + length;
  return 5 + length;
}

/**
 * Writes the encoding (6-, 12- or 32-bit length) of a string entry of `length` bytes at
 * `target[at]` (lpEncodeString without the copy); returns the bytes written (1, 2 or 5).
 */
export function encodeStringHeader(target: Uint8Array, at: number, length: number): number {
  if (length < 64) {
    target[at] = ListpackEncoding.String6 | length;
    return 1;
  }
  if (length < 4096) {
    target[at] = ListpackEncoding.String12 | (length >>> 8);
    target[at + 1] = length & 0xff;
    return 2;
  }
  target[at] = ListpackEncoding.String32;
  writeUint32LE(target, at + 1, length);
  return 5;
}

/**
 * Bytes of `<encoding+data>` of the (trusted) entry at `source[p]` (lpCurrentEncodedSizeUnsafe);
 * 1 for the terminator, 0 for an unknown encoding.
 */
export function encodedSizeAt(source: Uint8Array, p: number): number {
  const first = source[p]!;
  if (first < 0x80) return 1;
  if (first < 0xc0) return 1 + (first & 0x3f);
  if (first < 0xe0) return 2;
  if (first < 0xf0) return 2 + (((first & 0x0f) << 8) | source[p + 1]!);
  switch (first) {
    case 0xf0:
      return 5 + (source[p + 1]! | (source[p + 2]! << 8) | (source[p + 3]! << 16)) + source[p + 4]! * 0x1000000;
    case 0xf1:
      return 3;
    case 0xf2:
      return 4;
    case 0xf3:
      return 5;
    case 0xf4:
      return 9;
    case 0xff:
      return 1;
    default:
      return 0;
  }
}
