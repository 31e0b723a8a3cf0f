import { type ListpackBuilder, RdbFormatError } from "@nedis/rdb";

/**
 * Redis ≤ 2.4 saved small hashes as a zipmap (`RDB_TYPE_HASH_ZIPMAP`), which Redis 7.0 still
 * loads, validating it deeply and converting it to a listpack:
 *
 * ```
 * <zmlen> <len>field <len><free>value[free bytes] … <end: 255>
 * ```
 *
 * A length is one byte below 254, else 254 and a 4-byte little-endian length; `zmlen` counts
 * the pairs when below 254.
 */

const ZIPMAP_BIGLEN = 254;
const ZIPMAP_END = 255;

function fail(what: string): never {
  throw new RdbFormatError(`Zipmap integrity check failed: ${what}`);
}

/**
 * Appends the pairs of the zipmap `bytes[start, end)` to `builder`; returns the length of its
 * longest field or value (Redis's `maxlen`, which decides a conversion).
 */
export function zipmapToListpack(bytes: Uint8Array, start: number, end: number, builder: ListpackBuilder): number {
  if (end - start < 2) fail("size");
  const declared = bytes[start]!;
  let p = start + 1;
  let pairs = 0;
  let longest = 0;
  const readLength = (): number => {
    if (p >= end) fail("length past the end");
    const first = bytes[p]!;
    if (first < ZIPMAP_BIGLEN) {
      p += 1;
      return first;
    }
    if (first === ZIPMAP_END || p + 5 > end) fail("length");
    const len = (bytes[p + 1]! | (bytes[p + 2]! << 8) | (bytes[p + 3]! << 16) | (bytes[p + 4]! << 24)) >>> 0;
    p += 5;
    return len;
  };
  while (p < end && bytes[p] !== ZIPMAP_END) {
    const fieldLen = readLength();
    if (p + fieldLen > end) fail("field past the end");
    const field = p;
    p += fieldLen;
    const valueLen = readLength();
    if (p >= end) fail("free byte");
    const free = bytes[p++]!;
    if (p + valueLen + free > end) fail("value past the end");
    builder.appendString(bytes, field, field + fieldLen);
    builder.appendString(bytes, p, p + valueLen);
    p += valueLen + free;
    if (fieldLen > longest) longest = fieldLen;
    if (valueLen > longest) longest = valueLen;
    pairs++;
  }
  if (p !== end - 1) fail("end byte");
  if (declared < ZIPMAP_BIGLEN && declared !== pairs) fail("pair count");
  return longest;
}
