/**
 * Reading Redis's old ziplist (RDB LIST_ZIPLIST and LIST_QUICKLIST nodes, Redis ≤ 6.2) with
 * `ziplistValidateIntegrity`'s deep checks: header size and tail, every entry inside the blob,
 * each `prevlen` equal to the previous entry's size, the count when the header knows it. Each
 * element is handed over as bytes or as an int64 — untrusted input never reaches a list unchecked.
 */

import { RdbFormatError } from "@nedis/rdb";

const END = 0xff;
const HEADER = 10;

/** Receives one ziplist element: a string `bytes[start, end)` or (when `start` < 0) the integer `value`. */
export type ZiplistVisitor = (bytes: Uint8Array, start: number, end: number, value: number | bigint) => void;

function fail(): never {
  throw new RdbFormatError("Ziplist integrity check failed.");
}

/** Validates the ziplist `bytes[off, off+len)` and visits its elements in order; returns their count. */
export function readZiplist(bytes: Uint8Array, off: number, len: number, visit: ZiplistVisitor): number {
  if (len < HEADER + 1) fail();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const zlbytes = view.getUint32(off, true);
  const tail = view.getUint32(off + 4, true);
  const header = view.getUint16(off + 8, true);
  if (zlbytes !== len || bytes[off + len - 1] !== END || tail > len - 1) fail();
  const end = off + len - 1;
  let p = off + HEADER;
  let prevSize = 0;
  let count = 0;
  let last = -1;
  while (p < end) {
    const start = p;
    let prevlen = bytes[p]!;
    if (prevlen === 0xfe) {
      if (p + 5 > end) fail();
      prevlen = view.getUint32(p + 1, true);
      p += 5;
    } else p += 1;
    if (prevlen !== prevSize || p >= end) fail();
    const enc = bytes[p]!;
    let strLen = -1;
    let value: number | bigint = 0;
    if (enc >> 6 === 0) {
      strLen = enc & 0x3f;
      p += 1;
    } else if (enc >> 6 === 1) {
      if (p + 2 > end) fail();
      strLen = ((enc & 0x3f) << 8) | bytes[p + 1]!;
      p += 2;
    } else if (enc === 0x80) {
      if (p + 5 > end) fail();
      strLen = view.getUint32(p + 1, false);
      p += 5;
    } else {
      p += 1;
      let size: number;
      if (enc === 0xc0) size = 2;
      else if (enc === 0xd0) size = 4;
      else if (enc === 0xe0) size = 8;
      else if (enc === 0xf0) size = 3;
      else if (enc === 0xfe) size = 1;
      else if (enc >= 0xf1 && enc <= 0xfd) size = 0;
      else fail();
      if (p + size > end) fail();
      if (enc === 0xc0) value = view.getInt16(p, true);
      else if (enc === 0xd0) value = view.getInt32(p, true);
      else if (enc === 0xe0) {
        const big = view.getBigInt64(p, true);
        value = big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
      } else if (enc === 0xf0) value = ((bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16)) << 8) >> 8;
      else if (enc === 0xfe) value = (bytes[p]! << 24) >> 24;
      else value = (enc & 0x0f) - 1;
      p += size;
    }
    if (strLen >= 0) {
      if (p + strLen > end) fail();
      visit(bytes, p, p + strLen, 0);
      p += strLen;
    } else {
      visit(bytes, -1, -1, value);
    }
    prevSize = p - start;
    last = start;
    count++;
  }
  if (p !== end) fail();
  if (count > 0 ? last - off !== tail : tail !== HEADER) fail();
  if (header !== 0xffff && header !== count) fail();
  return count;
}
