/**
 * Writing RDB strings exactly as Redis 7.0 does (rdb.c): a canonical integer of at most 11
 * bytes that fits int32 becomes `11000000`/`11000001`/`11000010` + 1, 2 or 4 little-endian
 * bytes (rdbTryIntegerEncoding); with compression on, a string longer than 20 bytes is stored as
 * `11000011` + compressed length + original length + LZF data when LZF saves at least 4 bytes
 * (rdbSaveLzfStringObject); anything else is a length and the bytes (rdbSaveRawString).
 */

import { parseCanonicalInteger, writeDecimal } from "./canonicalInteger.js";
import { encodedLengthSize, putLength } from "./lengthEncoding.js";
import { lzfCompress } from "./lzf.js";
import type { RdbOutput } from "./RdbOutput.js";

const ENC_INT8 = 0xc0;
const ENC_INT16 = 0xc1;
const ENC_INT32 = 0xc2;
const ENC_LZF = 0xc3;

/** Appends an RDB length (rdbSaveLen). */
export function writeLength(out: RdbOutput, length: number): void {
  out.reserve(9);
  out.length = putLength(out.buffer, out.length, length);
}

/**
 * Appends `source[start, end)` as an RDB string the way `rdbSaveRawString` does.
 * @param compress Redis's `rdbcompression` (default yes): try LZF on strings over 20 bytes.
 */
export function writeString(out: RdbOutput, source: Uint8Array, start: number, end: number, compress = true): void {
  const len = end - start;
  if (len <= 11 && len > 0) {
    const value = parseCanonicalInteger(source, start, end);
    // ≤ 11 bytes always parses to a number, never a bigint
    if (value !== null && writeInt32Encoding(out, value as number)) return;
  }
  // Under 20 bytes LZF cannot even compress "aaaaaaaaaaaaaaaaaaaa" by 4 bytes (Redis's comment).
  if (compress && len > 20 && writeLzfString(out, source, start, len)) return;
  writeLength(out, len);
  out.writeBytes(source, start, end);
}

/**
 * Appends an integer as an RDB string the way `rdbSaveLongLongAsStringObject` does (how Redis
 * saves an `int`-encoded string): int8/16/32 encodings, else its decimal digits as a plain
 * string. The same bytes as {@link writeString} on the integer's canonical decimal form.
 */
export function writeIntegerString(out: RdbOutput, value: number | bigint): void {
  const small = typeof value === "bigint" && value >= -2147483648n && value <= 2147483647n ? Number(value) : value;
  if (typeof small === "number" && writeInt32Encoding(out, small)) return;
  out.reserve(21);
  const digitsAt = out.length + 1;
  const n = writeDecimal(out.buffer, digitsAt, value);
  out.buffer[out.length] = n; // at most 20 digits: a 6-bit length
  out.length = digitsAt + n;
}

/**
 * Appends an already LZF-compressed string (rdbSaveLzfBlob): the encoding byte, both lengths,
 * then `compressed[start, end)`. Redis saves quicklist nodes that are compressed in memory this
 * way, without recompressing them.
 */
export function writeLzfBlob(
  out: RdbOutput,
  compressed: Uint8Array,
  start: number,
  end: number,
  originalLength: number,
): void {
  out.reserve(19 + end - start);
  const b = out.buffer;
  b[out.length] = ENC_LZF;
  let o = putLength(b, out.length + 1, end - start);
  o = putLength(b, o, originalLength);
  out.length = o;
  out.writeBytes(compressed, start, end);
}

/** The int8/16/32 encodings of rdbEncodeInteger; false when `value` needs more than 32 bits. */
function writeInt32Encoding(out: RdbOutput, value: number): boolean {
  if (value >= -128 && value <= 127) {
    out.reserve(2);
    const b = out.buffer;
    b[out.length] = ENC_INT8;
    b[out.length + 1] = value;
    out.length += 2;
    return true;
  }
  if (value >= -32768 && value <= 32767) {
    out.reserve(3);
    const b = out.buffer;
    b[out.length] = ENC_INT16;
    b[out.length + 1] = value;
    b[out.length + 2] = value >> 8;
    out.length += 3;
    return true;
  }
  if (value >= -2147483648 && value <= 2147483647) {
    out.reserve(5);
    const b = out.buffer;
    b[out.length] = ENC_INT32;
    b[out.length + 1] = value;
    b[out.length + 2] = value >> 8;
    b[out.length + 3] = value >> 16;
    b[out.length + 4] = value >> 24;
    out.length += 5;
    return true;
  }
  return false;
}

/**
 * rdbSaveLzfStringObject: compress into at most `len - 4` bytes; on success write the LZF form.
 * Compresses straight into the output after room for the largest header, then slides the data
 * back if the compressed length's header came out shorter.
 */
function writeLzfString(out: RdbOutput, source: Uint8Array, start: number, len: number): boolean {
  const limit = len - 4;
  const originalSize = encodedLengthSize(len);
  const reservedSize = encodedLengthSize(limit);
  out.reserve(1 + reservedSize + originalSize + limit);
  const b = out.buffer;
  const dataAt = out.length + 1 + reservedSize + originalSize;
  const compressedLength = lzfCompress(source, start, len, b, dataAt, limit);
  if (compressedLength === 0) return false;
  b[out.length] = ENC_LZF;
  let o = putLength(b, out.length + 1, compressedLength);
  o = putLength(b, o, len);
  if (o !== dataAt) b.copyWithin(o, dataAt, dataAt + compressedLength);
  out.length = o + compressedLength;
  return true;
}

/**
 * The most bytes {@link writeString} can append for a string of `length` bytes (the LZF form
 * may be up to 2 bytes longer than the raw one: it carries two lengths).
 */
export function maxEncodedStringSize(length: number): number {
  const raw = encodedLengthSize(length) + length;
  if (length <= 20) return raw;
  return Math.max(raw, 1 + encodedLengthSize(length - 4) + encodedLengthSize(length) + length - 4);
}
