/**
 * Editing an intset where it lies, `bytes[off, off + intsetBlobLen(bytes, off))`, as intset.c
 * (Redis 7.0) does: values sorted ascending, the encoding widened (int16 → int32 → int64) when
 * a value needs it and never narrowed, so the bytes are what Redis holds after the same SADDs
 * and SREMs and a DUMP of the set is a copy.
 *
 * The caller owns the memory, so edits are two steps, as for listpacks:
 * 1. size: `intsetAddSize` / `intsetRemoveSize` return the blob length after the edit (equal to
 *    `intsetBlobLen` when the edit changes nothing);
 * 2. edit: with room for that many bytes at `off` (or in a separate `dst` at `dstOff`, which
 *    then receives the whole edited intset), `intsetAdd` / `intsetRemove` move the tail with
 *    `copyWithin`, write the value and update the header. Shrink the allocation after a remove.
 *
 * Values are int64: numbers when safe integers, bigints beyond ±2^53 (bigint inputs allocate).
 */

import { copyBytes } from "../copyBytes.js";
import { readUint32LE, writeUint32LE } from "../RdbOutput.js";
import { INTSET_HEADER_SIZE, IntsetEncoding, intsetEncodingOf, isValidIntset } from "./intsetFormat.js";

const TWO_POW_32 = 0x100000000;

// The value of the current call, set by `prepare`: as a number (rounded beyond ±2^53), as
// int64 halves (signed hi, unsigned lo) to compare 64-bit slots exactly, and its encoding.
let valueNumber = 0;
let valueHi = 0;
let valueLo = 0;
let valueEncoding: IntsetEncoding = IntsetEncoding.Int16;

function prepare(value: number | bigint): void {
  if (typeof value === "bigint") {
    if (value >= -9007199254740991n && value <= 9007199254740991n) {
      prepare(Number(value));
      return;
    }
    if (value < -0x8000000000000000n || value > 0x7fffffffffffffffn) throw new RangeError(`${value} is not an int64`);
    valueNumber = Number(value);
    valueHi = Number(BigInt.asIntN(32, value >> 32n));
    valueLo = Number(BigInt.asUintN(32, value));
    valueEncoding = IntsetEncoding.Int64;
    return;
  }
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer; pass a bigint`);
  valueNumber = value;
  valueHi = Math.floor(value / TWO_POW_32);
  valueLo = value - valueHi * TWO_POW_32;
  valueEncoding = intsetEncodingOf(value);
}

/** `intsetNew(bytes, off)`: writes an empty int16 intset at `off`; returns its size (8). */
export function intsetNew(bytes: Uint8Array, off: number): number {
  writeUint32LE(bytes, off, IntsetEncoding.Int16);
  writeUint32LE(bytes, off + 4, 0);
  return INTSET_HEADER_SIZE;
}

/** `intsetLen(bytes, off)`: the number of values. */
export function intsetLen(bytes: Uint8Array, off: number): number {
  return readUint32LE(bytes, off + 4);
}

/** `intsetBlobLen(bytes, off)`: the intset's size in bytes, header included. */
export function intsetBlobLen(bytes: Uint8Array, off: number): number {
  return INTSET_HEADER_SIZE + readUint32LE(bytes, off + 4) * readUint32LE(bytes, off);
}

/** `intsetEncoding(bytes, off)`: bytes per value (2, 4 or 8). */
export function intsetEncoding(bytes: Uint8Array, off: number): IntsetEncoding {
  return readUint32LE(bytes, off) as IntsetEncoding;
}

function valueAt(bytes: Uint8Array, p: number, encoding: number): number {
  if (encoding === IntsetEncoding.Int16) return ((bytes[p]! | (bytes[p + 1]! << 8)) << 16) >> 16;
  if (encoding === IntsetEncoding.Int32)
    return bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24);
  return (readUint32LE(bytes, p + 4) | 0) * TWO_POW_32 + readUint32LE(bytes, p);
}

/** `intsetGet(bytes, off, i)`: the value at index `i` (ascending order); rounded beyond ±2^53. */
export function intsetGet(bytes: Uint8Array, off: number, i: number): number {
  const encoding = readUint32LE(bytes, off);
  return valueAt(bytes, off + INTSET_HEADER_SIZE + i * encoding, encoding);
}

/** `intsetGetBigInt(bytes, off, i)`: the value at index `i` exactly (allocates a bigint). */
export function intsetGetBigInt(bytes: Uint8Array, off: number, i: number): bigint {
  const encoding = readUint32LE(bytes, off);
  const p = off + INTSET_HEADER_SIZE + i * encoding;
  if (encoding !== IntsetEncoding.Int64) return BigInt(valueAt(bytes, p, encoding));
  return (BigInt(readUint32LE(bytes, p + 4) | 0) << 32n) | BigInt(readUint32LE(bytes, p));
}

/** -1, 0 or 1 as the slot at `p` is below, equal to or above the prepared value. */
function compareSlot(bytes: Uint8Array, p: number, encoding: number): number {
  if (encoding === IntsetEncoding.Int64) {
    const hi = readUint32LE(bytes, p + 4) | 0;
    if (hi !== valueHi) return hi < valueHi ? -1 : 1;
    const lo = readUint32LE(bytes, p);
    return lo === valueLo ? 0 : lo < valueLo ? -1 : 1;
  }
  const v = valueAt(bytes, p, encoding);
  return v === valueNumber ? 0 : v < valueNumber ? -1 : 1;
}

/** intsetSearch for the prepared value: its index, or -(insert position) - 1. */
function search(bytes: Uint8Array, off: number): number {
  const encoding = readUint32LE(bytes, off);
  const length = readUint32LE(bytes, off + 4);
  const base = off + INTSET_HEADER_SIZE;
  let min = 0;
  let max = length - 1;
  while (min <= max) {
    const mid = (min + max) >>> 1;
    const c = compareSlot(bytes, base + mid * encoding, encoding);
    if (c < 0) min = mid + 1;
    else if (c > 0) max = mid - 1;
    else return mid;
  }
  return -min - 1;
}

/**
 * `intsetSearch(bytes, off, value)`: the index of `value`, or `-(position it would take) - 1`
 * when absent (binary search).
 */
export function intsetSearch(bytes: Uint8Array, off: number, value: number | bigint): number {
  prepare(value);
  if (valueEncoding > readUint32LE(bytes, off)) return valueHi < 0 ? -1 : -intsetLen(bytes, off) - 1;
  return search(bytes, off);
}

/** `intsetFind(bytes, off, value)`: true when `value` is in the set (SISMEMBER). */
export function intsetFind(bytes: Uint8Array, off: number, value: number | bigint): boolean {
  prepare(value);
  return valueEncoding <= readUint32LE(bytes, off) && search(bytes, off) >= 0;
}

/** `intsetAddSize(bytes, off, value)`: the blob length after {@link intsetAdd} of `value`. */
export function intsetAddSize(bytes: Uint8Array, off: number, value: number | bigint): number {
  prepare(value);
  const encoding = readUint32LE(bytes, off);
  const length = readUint32LE(bytes, off + 4);
  if (valueEncoding > encoding) return INTSET_HEADER_SIZE + (length + 1) * valueEncoding;
  return INTSET_HEADER_SIZE + (search(bytes, off) >= 0 ? length : length + 1) * encoding;
}

/** `intsetRemoveSize(bytes, off, value)`: the blob length after {@link intsetRemove} of `value`. */
export function intsetRemoveSize(bytes: Uint8Array, off: number, value: number | bigint): number {
  const found = intsetFind(bytes, off, value);
  const encoding = readUint32LE(bytes, off);
  return INTSET_HEADER_SIZE + (readUint32LE(bytes, off + 4) - (found ? 1 : 0)) * encoding;
}

function writeSlot(bytes: Uint8Array, p: number, encoding: number, value: number): void {
  if (encoding === IntsetEncoding.Int64) {
    const hi = Math.floor(value / TWO_POW_32);
    writeUint32LE(bytes, p, value - hi * TWO_POW_32);
    writeUint32LE(bytes, p + 4, hi >>> 0);
    return;
  }
  bytes[p] = value;
  bytes[p + 1] = value >> 8;
  if (encoding === IntsetEncoding.Int32) {
    bytes[p + 2] = value >> 16;
    bytes[p + 3] = value >> 24;
  }
}

/** Writes the prepared value (exact even beyond ±2^53) into the slot at `p`. */
function writePrepared(bytes: Uint8Array, p: number, encoding: number): void {
  if (encoding === IntsetEncoding.Int64) {
    writeUint32LE(bytes, p, valueLo);
    writeUint32LE(bytes, p + 4, valueHi >>> 0);
  } else {
    writeSlot(bytes, p, encoding, valueNumber);
  }
}

/** Moves `src[from, to)` to `dst[at]`: copyWithin within one array, else a copy. */
function move(src: Uint8Array, from: number, to: number, dst: Uint8Array, at: number): void {
  if (to <= from) return;
  if (dst === src) {
    if (at !== from) src.copyWithin(at, from, to);
  } else {
    copyBytes(src, from, to, dst, at);
  }
}

function checkTarget(bytes: Uint8Array, off: number, dst: Uint8Array, dstOff: number, size: number): void {
  if (dst === bytes && dstOff !== off) throw new RangeError("intset: editing within one array must keep the offset");
  if (dstOff + size > dst.length)
    throw new RangeError(`intset: the target has no room for ${size} bytes; size the edit first`);
}

/**
 * `intsetAdd(bytes, off, value, dst?, dstOff?)`: adds `value` in order, widening the encoding
 * when it needs it (SADD). Needs room for {@link intsetAddSize}. Returns false when `value` was
 * already there (the intset is then unchanged, or copied unchanged to `dst`).
 */
export function intsetAdd(
  bytes: Uint8Array,
  off: number,
  value: number | bigint,
  dst: Uint8Array = bytes,
  dstOff: number = off,
): boolean {
  prepare(value);
  const encoding = readUint32LE(bytes, off);
  const length = readUint32LE(bytes, off + 4);
  const base = off + INTSET_HEADER_SIZE;
  const dstBase = dstOff + INTSET_HEADER_SIZE;
  if (valueEncoding > encoding) {
    // intsetUpgradeAndAdd: the value lies beyond every current one, so it goes first (if
    // negative) or last; widen back to front so no value is overwritten before it is read.
    const wide = valueEncoding;
    checkTarget(bytes, off, dst, dstOff, INTSET_HEADER_SIZE + (length + 1) * wide);
    const prepend = valueHi < 0 ? 1 : 0;
    for (let i = length - 1; i >= 0; i--)
      writeSlot(dst, dstBase + (i + prepend) * wide, wide, valueAt(bytes, base + i * encoding, encoding));
    writePrepared(dst, dstBase + (prepend ? 0 : length) * wide, wide);
    writeUint32LE(dst, dstOff, wide);
    writeUint32LE(dst, dstOff + 4, length + 1);
    return true;
  }
  const found = search(bytes, off);
  if (found >= 0) {
    if (dst !== bytes || dstOff !== off) {
      checkTarget(bytes, off, dst, dstOff, INTSET_HEADER_SIZE + length * encoding);
      move(bytes, off, base + length * encoding, dst, dstOff);
    }
    return false;
  }
  const pos = -found - 1;
  checkTarget(bytes, off, dst, dstOff, INTSET_HEADER_SIZE + (length + 1) * encoding);
  move(bytes, base + pos * encoding, base + length * encoding, dst, dstBase + (pos + 1) * encoding);
  move(bytes, off, base + pos * encoding, dst, dstOff);
  writePrepared(dst, dstBase + pos * encoding, encoding);
  writeUint32LE(dst, dstOff + 4, length + 1);
  return true;
}

/**
 * `intsetRemove(bytes, off, value, dst?, dstOff?)`: removes `value` (SREM); the encoding stays.
 * Returns false when it was absent (the intset is then unchanged, or copied to `dst`). Shrink
 * the allocation to `intsetBlobLen(dst, dstOff)` afterwards.
 */
export function intsetRemove(
  bytes: Uint8Array,
  off: number,
  value: number | bigint,
  dst: Uint8Array = bytes,
  dstOff: number = off,
): boolean {
  prepare(value);
  const encoding = readUint32LE(bytes, off);
  const length = readUint32LE(bytes, off + 4);
  const base = off + INTSET_HEADER_SIZE;
  const pos = valueEncoding <= encoding ? search(bytes, off) : -1;
  if (pos < 0) {
    if (dst !== bytes || dstOff !== off) {
      checkTarget(bytes, off, dst, dstOff, INTSET_HEADER_SIZE + length * encoding);
      move(bytes, off, base + length * encoding, dst, dstOff);
    }
    return false;
  }
  checkTarget(bytes, off, dst, dstOff, INTSET_HEADER_SIZE + (length - 1) * encoding);
  move(bytes, off, base + pos * encoding, dst, dstOff);
  move(bytes, base + (pos + 1) * encoding, base + length * encoding, dst, dstOff + INTSET_HEADER_SIZE + pos * encoding);
  writeUint32LE(dst, dstOff + 4, length - 1);
  return true;
}

/**
 * `intsetValidateIntegrity(bytes, off, size, deep?)`: Redis's check of an untrusted intset of
 * `size` bytes (known encoding, size matching the count, not empty, and with `deep` strictly
 * ascending values).
 */
export function intsetValidateIntegrity(bytes: Uint8Array, off: number, size: number, deep = true): boolean {
  if (off + size > bytes.length) return false;
  return isValidIntset(bytes, off, off + size, deep);
}
