/**
 * The one mechanism under every listpack edit (lpEdit.ts): an element's encoded size, and the
 * splice that replaces some bytes at `p` by a gap (one memmove, header updated) into which the
 * new element is written with Redis's encoding rules.
 */

import { parseCanonicalInteger } from "../canonicalInteger.js";
import { copyBytes } from "../copyBytes.js";
import { readUint32LE, writeUint32LE } from "../RdbOutput.js";
import {
  backlenSize,
  encodedSizeAt,
  encodeInteger,
  encodeStringHeader,
  integerEncodedSize,
  LISTPACK_COUNT_UNKNOWN,
  putBacklen,
  stringEncodedSize,
} from "./listpackFormat.js";
import { lpGetNumElements } from "./lpAccess.js";

const UINT32_MAX = 0xffffffff;

// What the last `classify` found: the integer a string stands for, or null for a string.
let classified: number | bigint | null = null;

/** `<encoding+data>` bytes of `s[start, end)` as lpEncodeGetType decides; sets `classified`. */
export function classify(s: Uint8Array, start: number, end: number): number {
  classified = parseCanonicalInteger(s, start, end);
  return classified === null ? stringEncodedSize(end - start) : integerEncodedSize(classified);
}

export function checkInteger(value: number | bigint): void {
  if (typeof value === "bigint") {
    if (value < -0x8000000000000000n || value > 0x7fffffffffffffffn) throw new RangeError(`${value} is not an int64`);
  } else if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${value} is not a safe integer; pass a bigint`);
  }
}

export function entrySize(bytes: Uint8Array, p: number): number {
  const size = encodedSizeAt(bytes, p);
  return size + backlenSize(size);
}

/**
 * The one memmove of every edit: the listpack at `src[srcOff]` with `removed` bytes at `p`
 * replaced by a gap of `inserted` bytes, written to `dst[dstOff]` (in place when the same).
 * Sets the header (total bytes; count + `countDelta` unless unknown) and returns the gap.
 */
export function splice(
  src: Uint8Array,
  srcOff: number,
  p: number,
  removed: number,
  inserted: number,
  countDelta: number,
  dst: Uint8Array,
  dstOff: number,
): number {
  const oldTotal = readUint32LE(src, srcOff);
  const newTotal = oldTotal - removed + inserted;
  if (newTotal > UINT32_MAX) throw new RangeError("listpack: an edit would pass 2^32-1 bytes");
  if (dstOff + newTotal > dst.length)
    throw new RangeError(`listpack: the target has no room for ${newTotal} bytes; size the edit first`);
  const tail = p + removed;
  const end = srcOff + oldTotal;
  let gap: number;
  if (dst === src) {
    if (dstOff !== srcOff) throw new RangeError("listpack: editing within one array must keep the offset");
    if (inserted !== removed) src.copyWithin(p + inserted, tail, end);
    gap = p;
  } else {
    copyBytes(src, srcOff, p, dst, dstOff);
    gap = dstOff + (p - srcOff);
    copyBytes(src, tail, end, dst, gap + inserted);
  }
  writeUint32LE(dst, dstOff, newTotal);
  const n = lpGetNumElements(dst, dstOff);
  if (n !== LISTPACK_COUNT_UNKNOWN && countDelta !== 0) {
    const count = n + countDelta;
    dst[dstOff + 4] = count;
    dst[dstOff + 5] = count >>> 8;
  }
  return gap;
}

// Insert (`removed` 0, `delta` 1) or replace (`removed` = the old element's size, `delta` 0)
// at `p`: the string `s[start, end)`, or the integer `value`, with its backlen.
export function spliceString(
  bytes: Uint8Array,
  off: number,
  p: number,
  removed: number,
  delta: number,
  s: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  dstOff: number,
): number {
  const size = classify(s, start, end);
  const q = splice(bytes, off, p, removed, size + backlenSize(size), delta, dst, dstOff);
  writeClassified(dst, q, size, s, start, end);
  return q;
}

export function spliceInteger(
  bytes: Uint8Array,
  off: number,
  p: number,
  removed: number,
  delta: number,
  value: number | bigint,
  dst: Uint8Array,
  dstOff: number,
): number {
  checkInteger(value);
  const size = integerEncodedSize(value);
  const q = splice(bytes, off, p, removed, size + backlenSize(size), delta, dst, dstOff);
  encodeInteger(dst, q, value);
  putBacklen(dst, q + size, size);
  return q;
}

/** Writes the element `classify` prepared (string `s[start, end)` or `classified`) at `q`. */
export function writeClassified(
  dst: Uint8Array,
  q: number,
  size: number,
  s: Uint8Array,
  start: number,
  end: number,
): void {
  if (classified !== null) {
    encodeInteger(dst, q, classified);
  } else {
    const header = encodeStringHeader(dst, q, end - start);
    copyBytes(s, start, end, dst, q + header);
  }
  putBacklen(dst, q + size, size);
}
