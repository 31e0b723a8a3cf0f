/**
 * Builds a listpack front to back into an {@link RdbOutput}, entry by entry, choosing each
 * entry's encoding exactly as Redis 7.0's `lpAppend` does: a string that is a canonical int64
 * is stored as the smallest integer encoding (lpEncodeGetType), other strings with a 6-, 12- or
 * 32-bit length. The result is byte-identical to the listpack Redis builds from the same
 * appends, so it can be saved as the blob of a `HashListpack`, `ZsetListpack` or quicklist node.
 */

import { parseCanonicalInteger } from "../canonicalInteger.js";
import { RdbOutput, writeUint32LE } from "../RdbOutput.js";
import {
  encodeInteger,
  encodeStringHeader,
  LISTPACK_COUNT_UNKNOWN,
  LISTPACK_EOF,
  LISTPACK_HEADER_SIZE,
  putBacklen,
} from "./listpackFormat.js";

export class ListpackBuilder {
  /** Where the listpack is written; it starts at `out.buffer[start]`. */
  readonly out: RdbOutput;
  /** Offset of the listpack in `out.buffer` (set by {@link begin}). */
  start = 0;
  /** Entries appended since {@link begin}. */
  count = 0;

  constructor(out: RdbOutput = new RdbOutput(64)) {
    this.out = out;
  }

  /** Starts a new listpack at the current end of the output (reserving its header). */
  begin(): this {
    this.start = this.out.length;
    this.count = 0;
    this.out.reserve(LISTPACK_HEADER_SIZE);
    this.out.length += LISTPACK_HEADER_SIZE;
    return this;
  }

  /** Appends `source[start, end)` as `lpAppend` does: canonical integers become integers. */
  appendString(source: Uint8Array, start: number, end: number): this {
    const value = parseCanonicalInteger(source, start, end);
    if (value !== null) return this.appendInteger(value);
    return this.appendStringEntry(source, start, end);
  }

  /** Appends `source[start, end)` always as a string entry (never converted to an integer). */
  appendStringEntry(source: Uint8Array, start: number, end: number): this {
    const len = end - start;
    const out = this.out;
    out.reserve(len + 10);
    const headerSize = encodeStringHeader(out.buffer, out.length, len);
    out.length += headerSize;
    out.writeBytes(source, start, end);
    out.length = putBacklen(out.buffer, out.length, headerSize + len);
    this.count++;
    return this;
  }

  /** Appends an int64 (a safe-integer number or a bigint) with the smallest encoding. */
  appendInteger(value: number | bigint): this {
    if (typeof value === "bigint") {
      if (value < -0x8000000000000000n || value > 0x7fffffffffffffffn) throw new RangeError(`${value} is not an int64`);
    } else if (!Number.isSafeInteger(value)) {
      throw new RangeError(`${value} is not a safe integer; pass a bigint`);
    }
    const out = this.out;
    out.reserve(10);
    const size = encodeInteger(out.buffer, out.length, value);
    out.length = putBacklen(out.buffer, out.length + size, size);
    this.count++;
    return this;
  }

  /** Bytes the listpack will take once finished. */
  get size(): number {
    return this.out.length - this.start + 1;
  }

  /**
   * Writes the terminator and the header (total size, count capped at 65535) and returns a view
   * of the listpack (valid until the output grows or is reset).
   */
  finish(): Uint8Array {
    const out = this.out;
    out.writeByte(LISTPACK_EOF);
    const b = out.buffer;
    writeUint32LE(b, this.start, out.length - this.start);
    const n = Math.min(this.count, LISTPACK_COUNT_UNKNOWN);
    b[this.start + 4] = n;
    b[this.start + 5] = n >>> 8;
    return b.subarray(this.start, out.length);
  }
}
