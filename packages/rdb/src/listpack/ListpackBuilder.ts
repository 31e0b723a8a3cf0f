/**
 * Builds a listpack front to back into an {@link RdbOutput}, entry by entry, choosing each
 * entry's encoding exactly as Redis 7.0's `lpAppend` does: a string that is a canonical int64
 * is stored as the smallest integer encoding (lpEncodeGetType), other strings with a 6-, 12- or
 * 32-bit length. The result is byte-identical to the listpack Redis builds from the same
 * appends, so it can be saved as the blob of a `HashListpack`, `ZsetListpack` or quicklist node.
 */

import { parseCanonicalInteger } from "../canonicalInteger.js";
import { RdbOutput, writeUint32LE } from "../RdbOutput.js";
import { LISTPACK_COUNT_UNKNOWN, LISTPACK_EOF, LISTPACK_HEADER_SIZE, putBacklen } from "./listpackFormat.js";

const TWO_POW_32 = 0x100000000;

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
    const b = out.buffer;
    let o = out.length;
    let headerSize: number;
    if (len < 64) {
      b[o] = 0x80 | len;
      headerSize = 1;
    } else if (len < 4096) {
      b[o] = 0xe0 | (len >>> 8);
      b[o + 1] = len & 0xff;
      headerSize = 2;
    } else {
      b[o] = 0xf0;
      writeUint32LE(b, o + 1, len);
      headerSize = 5;
    }
    o += headerSize;
    out.length = o;
    out.writeBytes(source, start, end);
    out.length = putBacklen(out.buffer, out.length, headerSize + len);
    this.count++;
    return this;
  }

  /** Appends an int64 (a safe-integer number or a bigint) with the smallest encoding. */
  appendInteger(value: number | bigint): this {
    const out = this.out;
    out.reserve(10);
    const b = out.buffer;
    const o = out.length;
    let size: number;
    if (typeof value === "bigint") {
      if (value >= -0x8000000000000000n && value <= 0x7fffffffffffffffn && (value < -2147483648n || value > 2147483647n)) {
        const u = BigInt.asUintN(64, value);
        b[o] = 0xf4;
        writeUint32LE(b, o + 1, Number(u & 0xffffffffn));
        writeUint32LE(b, o + 5, Number(u >> 32n));
        out.length = putBacklen(b, o + 9, 9);
        this.count++;
        return this;
      }
      if (value < -0x8000000000000000n || value > 0x7fffffffffffffffn) throw new RangeError(`${value} is not an int64`);
      return this.appendInteger(Number(value));
    }
    if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer; pass a bigint`);
    if (value >= 0 && value <= 127) {
      b[o] = value;
      size = 1;
    } else if (value >= -4096 && value <= 4095) {
      const u = value < 0 ? (1 << 13) + value : value;
      b[o] = 0xc0 | (u >>> 8);
      b[o + 1] = u & 0xff;
      size = 2;
    } else if (value >= -32768 && value <= 32767) {
      b[o] = 0xf1;
      b[o + 1] = value;
      b[o + 2] = value >> 8;
      size = 3;
    } else if (value >= -8388608 && value <= 8388607) {
      b[o] = 0xf2;
      b[o + 1] = value;
      b[o + 2] = value >> 8;
      b[o + 3] = value >> 16;
      size = 4;
    } else if (value >= -2147483648 && value <= 2147483647) {
      b[o] = 0xf3;
      writeUint32LE(b, o + 1, value >>> 0);
      size = 5;
    } else {
      // two's complement of a safe integer, split into 32-bit halves
      const hi = Math.floor(value / TWO_POW_32);
      const lo = value - hi * TWO_POW_32;
      b[o] = 0xf4;
      writeUint32LE(b, o + 1, lo);
      writeUint32LE(b, o + 5, hi >>> 0);
      size = 9;
    }
    out.length = putBacklen(b, o + size, size);
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
