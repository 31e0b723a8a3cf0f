/**
 * Walks a listpack front to back without allocating: each {@link ListpackReader.next} decodes
 * one entry into fields (an integer, or a string as a range of the source bytes). Every entry is
 * checked as Redis's deep integrity check does (lpValidateNext): its encoding is known, it stays
 * inside the listpack and its backlen matches; at the end the header count must match.
 */

import { RdbFormatError } from "../RdbFormatError.js";
import { readUint32LE } from "../RdbOutput.js";
import {
  backlenSize,
  LISTPACK_COUNT_UNKNOWN,
  LISTPACK_EOF,
  LISTPACK_HEADER_SIZE,
  readBacklen,
} from "./listpackFormat.js";

const TWO_POW_32 = 0x100000000;

export class ListpackReader {
  /** The listpack is `bytes[start, end)`. */
  bytes: Uint8Array = new Uint8Array(0);
  start = 0;
  end = 0;
  /** The header's element count ({@link LISTPACK_COUNT_UNKNOWN} when 65535 or more). */
  headerCount = 0;
  /** Entries read so far. */
  index = 0;

  /** True when the current entry is an integer, false when it is a string. */
  isInteger = false;
  /** The current integer; exact when {@link integerIsSafe}, else rounded (use {@link bigInteger}). */
  integer = 0;
  integerIsSafe = true;
  /** The current string is `bytes[stringStart, stringEnd)`. */
  stringStart = 0;
  stringEnd = 0;
  /** The current entry (with its backlen) is `bytes[entryStart, entryEnd)`. */
  entryStart = 0;
  entryEnd = 0;

  private position = 0;

  /**
   * Points the reader at the listpack `bytes[start, end)` and checks its header as Redis's
   * shallow check does (lpValidateIntegrity): the total size matches and it ends with 0xFF.
   */
  reset(bytes: Uint8Array, start = 0, end = bytes.length): this {
    const size = end - start;
    if (size < LISTPACK_HEADER_SIZE + 1) throw new RdbFormatError("Listpack shorter than its header");
    if (readUint32LE(bytes, start) !== size) throw new RdbFormatError("Listpack size does not match its header");
    if (bytes[end - 1] !== LISTPACK_EOF) throw new RdbFormatError("Listpack does not end with 0xFF");
    this.bytes = bytes;
    this.start = start;
    this.end = end;
    this.headerCount = bytes[start + 4]! | (bytes[start + 5]! << 8);
    this.position = start + LISTPACK_HEADER_SIZE;
    this.index = 0;
    return this;
  }

  /** Decodes the next entry; returns false after the last one (having checked the count). */
  next(): boolean {
    const b = this.bytes;
    const p = this.position;
    const last = this.end - 1; // the 0xFF terminator
    if (p >= last) {
      if (p !== last) throw new RdbFormatError("Listpack entry runs past the terminator");
      if (this.headerCount !== LISTPACK_COUNT_UNKNOWN && this.headerCount !== this.index) {
        throw new RdbFormatError("Listpack count does not match its header");
      }
      return false;
    }
    const first = b[p]!;
    let size: number; // encoding + data
    this.integerIsSafe = true;
    if (first < 0x80) {
      this.setInteger(first);
      size = 1;
    } else if (first < 0xc0) {
      size = 1 + (first & 0x3f);
      this.setString(p + 1, p + size, last);
    } else if (first < 0xe0) {
      this.need(p, 2, last);
      const u = ((first & 0x1f) << 8) | b[p + 1]!;
      this.setInteger(u >= 1 << 12 ? u - (1 << 13) : u);
      size = 2;
    } else if (first < 0xf0) {
      this.need(p, 2, last);
      size = 2 + (((first & 0x0f) << 8) | b[p + 1]!);
      this.setString(p + 2, p + size, last);
    } else {
      switch (first) {
        case 0xf0:
          this.need(p, 5, last);
          size = 5 + readUint32LE(b, p + 1);
          this.setString(p + 5, p + size, last);
          break;
        case 0xf1:
          this.need(p, 3, last);
          this.setInteger(((b[p + 1]! | (b[p + 2]! << 8)) << 16) >> 16);
          size = 3;
          break;
        case 0xf2:
          this.need(p, 4, last);
          this.setInteger(((b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16)) << 8) >> 8);
          size = 4;
          break;
        case 0xf3:
          this.need(p, 5, last);
          this.setInteger(b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16) | (b[p + 4]! << 24));
          size = 5;
          break;
        case 0xf4: {
          this.need(p, 9, last);
          const lo = readUint32LE(b, p + 1);
          const hi = readUint32LE(b, p + 5) | 0;
          const value = hi * TWO_POW_32 + lo;
          this.setInteger(value);
          this.integerIsSafe = Number.isSafeInteger(value);
          size = 9;
          break;
        }
        default:
          throw new RdbFormatError(`Unknown listpack entry encoding 0x${first.toString(16)}`);
      }
    }
    const entryEnd = p + size + backlenSize(size);
    if (entryEnd > last) throw new RdbFormatError("Listpack entry runs past the terminator");
    if (readBacklen(b, entryEnd - 1, p + size) !== size)
      throw new RdbFormatError("Listpack entry backlen does not match");
    this.entryStart = p;
    this.entryEnd = entryEnd;
    this.position = entryEnd;
    this.index++;
    return true;
  }

  /** The current integer exactly, as a BigInt (allocates; for 64-bit values beyond 2^53). */
  bigInteger(): bigint {
    const b = this.bytes;
    const p = this.entryStart;
    if (b[p] === 0xf4) {
      return (BigInt(readUint32LE(b, p + 5) | 0) << 32n) | BigInt(readUint32LE(b, p + 1));
    }
    return BigInt(this.integer);
  }

  private setInteger(value: number): void {
    this.isInteger = true;
    this.integer = value;
  }

  private setString(from: number, to: number, last: number): void {
    if (to > last) throw new RdbFormatError("Listpack entry runs past the terminator");
    this.isInteger = false;
    this.stringStart = from;
    this.stringEnd = to;
  }

  private need(p: number, n: number, last: number): void {
    if (p + n > last) throw new RdbFormatError("Listpack entry runs past the terminator");
  }
}

/**
 * Redis's deep listpack check (lpValidateIntegrity with deep = 1): header, every entry, the
 * terminator and the count. Returns the number of entries, or -1 when the listpack is invalid.
 */
export function validateListpack(bytes: Uint8Array, start = 0, end = bytes.length): number {
  try {
    const reader = new ListpackReader().reset(bytes, start, end);
    while (reader.next());
    return reader.index;
  } catch (error) {
    if (error instanceof RdbFormatError) return -1;
    throw error;
  }
}
