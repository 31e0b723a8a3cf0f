import { type ListpackBuilder, RdbFormatError } from "@nedis/rdb";

/**
 * Redis ≤ 6.2 saved small hashes as a ziplist (`RDB_TYPE_HASH_ZIPLIST`); Redis 7.0 converts one
 * to a listpack while loading (`ziplistPairsConvertAndValidateIntegrity`), checking every entry.
 * This does the same for untrusted bytes: walks the ziplist, validating its header, each
 * entry's prevlen and encoding and its end byte, and appends the elements to `builder` as
 * `lpAppend` / `lpAppendInteger` would. Returns the number of elements; throws
 * `RdbFormatError` for anything malformed.
 */

const ZIP_END = 0xff;
const ZIP_BIG_PREVLEN = 0xfe;
const HEADER = 10;

function u32le(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

function fail(what: string): never {
  throw new RdbFormatError(`Ziplist integrity check failed: ${what}`);
}

/** Appends the elements of the ziplist `bytes[start, end)` to `builder`; returns their count. */
export function ziplistToListpack(bytes: Uint8Array, start: number, end: number, builder: ListpackBuilder): number {
  const size = end - start;
  if (size < HEADER + 1 || u32le(bytes, start) !== size) fail("header size");
  const declared = bytes[start + 8]! | (bytes[start + 9]! << 8);
  if (bytes[end - 1] !== ZIP_END) fail("end byte");
  let p = start + HEADER;
  let previous = 0;
  let count = 0;
  let last = -1;
  while (p < end - 1) {
    const entry = p;
    // prevlen: 1 byte below 254, else 254 and a 4-byte length.
    let prevlen = bytes[p]!;
    if (prevlen === ZIP_BIG_PREVLEN) {
      if (p + 5 > end - 1) fail("prevlen");
      prevlen = u32le(bytes, p + 1);
      p += 5;
    } else {
      if (prevlen === ZIP_END) fail("prevlen");
      p += 1;
    }
    if (prevlen !== previous) fail("prevlen mismatch");
    if (p >= end - 1) fail("entry header");
    const enc = bytes[p]!;
    const kind = enc >> 6;
    if (kind < 3) {
      let len: number;
      if (kind === 0) {
        len = enc & 0x3f;
        p += 1;
      } else if (kind === 1) {
        if (p + 2 > end - 1) fail("entry header");
        len = ((enc & 0x3f) << 8) | bytes[p + 1]!;
        p += 2;
      } else {
        if (enc !== 0x80 || p + 5 > end - 1) fail("string encoding");
        len = ((bytes[p + 1]! << 24) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 8) | bytes[p + 4]!) >>> 0;
        p += 5;
      }
      if (p + len > end - 1) fail("string past the end");
      builder.appendString(bytes, p, p + len);
      p += len;
    } else {
      p += 1;
      let value: number | bigint;
      let n = 0;
      if (enc === 0xc0) n = 2;
      else if (enc === 0xd0) n = 4;
      else if (enc === 0xe0) n = 8;
      else if (enc === 0xf0) n = 3;
      else if (enc === 0xfe) n = 1;
      else if (enc >= 0xf1 && enc <= 0xfd) n = 0;
      else fail("integer encoding");
      if (p + n > end - 1) fail("integer past the end");
      const view = new DataView(bytes.buffer, bytes.byteOffset + p, n);
      if (n === 0) value = (enc & 0x0f) - 1;
      else if (n === 1) value = view.getInt8(0);
      else if (n === 2) value = view.getInt16(0, true);
      else if (n === 3) value = ((bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16)) << 8) >> 8;
      else if (n === 4) value = view.getInt32(0, true);
      else {
        const big = view.getBigInt64(0, true);
        value = big >= -(2n ** 53n) + 1n && big <= 2n ** 53n - 1n ? Number(big) : big;
      }
      builder.appendInteger(value);
      p += n;
    }
    previous = p - entry;
    last = entry;
    count++;
  }
  if (p !== end - 1) fail("entries past the end");
  if (declared !== 0xffff && declared !== count) fail("entry count");
  const tail = u32le(bytes, start + 4);
  if (start + tail !== (last < 0 ? start + HEADER : last)) fail("tail offset");
  return count;
}
