/**
 * A cursor over RDB bytes (rdbLoadLen, rdbGenericLoadStringObject, rdbLoadBinaryDoubleValue…).
 * One reader is reused for many values: reading a string fills fields instead of returning an
 * object, and a raw string is a view into the source bytes, so nothing is copied or allocated
 * unless the string was LZF-compressed. Malformed input throws {@link RdbFormatError}.
 */

import { writeDecimal } from "./canonicalInteger.js";
import { isRdbObjectType, RdbStringEncoding, type RdbType } from "./constants.js";
import { lzfDecompress } from "./lzf.js";
import { RdbFormatError } from "./RdbFormatError.js";
import { readFloat64LE, readUint32LE } from "./RdbOutput.js";

/** Longest expansion of LZF: a 3-byte back reference yields 264 bytes. */
const LZF_MAX_RATIO = 88;

export class RdbReader {
  /** The source bytes. */
  bytes: Uint8Array;
  /** Where the next read starts. */
  offset: number;
  /** Reads stop here. */
  end: number;

  /** How the last string read was stored. */
  stringEncoding: RdbStringEncoding = RdbStringEncoding.Raw;
  /**
   * The last string read is `stringBytes[stringStart, stringEnd)`: a view into {@link bytes} for
   * a raw string, else into a scratch buffer of this reader that the next read overwrites.
   */
  stringBytes: Uint8Array;
  stringStart = 0;
  stringEnd = 0;
  /** The value of the last string read when it was integer-encoded (Int8/16/32). */
  integer = 0;

  private scratch = new Uint8Array(64);
  private readonly digits = new Uint8Array(24);

  constructor(bytes: Uint8Array = new Uint8Array(0), offset = 0, end = bytes.length) {
    this.bytes = bytes;
    this.offset = offset;
    this.end = end;
    this.stringBytes = bytes;
  }

  /** Points the reader at `bytes[offset, end)`. */
  reset(bytes: Uint8Array, offset = 0, end = bytes.length): this {
    this.bytes = bytes;
    this.offset = offset;
    this.end = end;
    return this;
  }

  /** Bytes left before {@link end}. */
  get remaining(): number {
    return this.end - this.offset;
  }

  /** Throws unless `n` more bytes are available. */
  require(n: number): void {
    if (this.offset + n > this.end) throw new RdbFormatError("Unexpected EOF reading RDB data");
  }

  readByte(): number {
    if (this.offset >= this.end) throw new RdbFormatError("Unexpected EOF reading RDB data");
    return this.bytes[this.offset++]!;
  }

  /** Reads an object type byte (rdbLoadObjectType): throws on an opcode or unknown type. */
  readObjectType(): RdbType {
    const type = this.readByte();
    if (!isRdbObjectType(type)) throw new RdbFormatError(`Unknown RDB object type ${type}`);
    return type;
  }

  /**
   * Reads a length (rdbLoadLen). Throws on an unknown length byte and on 64-bit lengths beyond
   * 2^53. Like Redis, a special-encoding byte (`11xxxxxx`) reads as its low 6 bits.
   */
  readLength(): number {
    const first = this.readByte();
    if (first >> 6 === 3) return first & 0x3f;
    return this.readLengthAfter(first);
  }

  /** Skips `n` bytes and returns the offset they started at. */
  skip(n: number): number {
    this.require(n);
    const at = this.offset;
    this.offset += n;
    return at;
  }

  /** Reads a little-endian binary double (rdbLoadBinaryDoubleValue: zset_2 scores). */
  readBinaryDouble(): number {
    const at = this.skip(8);
    return readFloat64LE(this.bytes, at);
  }

  /** Reads an unsigned 32-bit little-endian integer. */
  readUint32LE(): number {
    return readUint32LE(this.bytes, this.skip(4));
  }

  /** Reads a 64-bit little-endian integer as a number (millisecond times; exact below 2^53). */
  readInt64LEAsNumber(): number {
    const at = this.skip(8);
    const lo = readUint32LE(this.bytes, at);
    const hi = readUint32LE(this.bytes, at + 4) | 0;
    return hi * 0x100000000 + lo;
  }

  /**
   * Reads a string (rdbGenericLoadStringObject) and sets {@link stringEncoding},
   * {@link stringBytes}/{@link stringStart}/{@link stringEnd} and, for integer encodings,
   * {@link integer}. Integer-encoded strings are also rendered as their decimal digits.
   */
  readString(): void {
    const first = this.readByte();
    if (first >> 6 !== 3) {
      const len = this.readLengthAfter(first);
      const at = this.skip(len);
      this.stringEncoding = RdbStringEncoding.Raw;
      this.stringBytes = this.bytes;
      this.stringStart = at;
      this.stringEnd = at + len;
      return;
    }
    const b = this.bytes;
    let value: number;
    switch (first & 0x3f) {
      case RdbStringEncoding.Int8:
        value = (b[this.skip(1)]! << 24) >> 24;
        this.stringEncoding = RdbStringEncoding.Int8;
        break;
      case RdbStringEncoding.Int16: {
        const at = this.skip(2);
        value = ((b[at]! | (b[at + 1]! << 8)) << 16) >> 16;
        this.stringEncoding = RdbStringEncoding.Int16;
        break;
      }
      case RdbStringEncoding.Int32: {
        const at = this.skip(4);
        value = b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24);
        this.stringEncoding = RdbStringEncoding.Int32;
        break;
      }
      case RdbStringEncoding.Lzf:
        this.readLzfString();
        return;
      default:
        throw new RdbFormatError(`Unknown RDB string encoding type ${first & 0x3f}`);
    }
    this.integer = value;
    this.stringBytes = this.digits;
    this.stringStart = 0;
    this.stringEnd = writeDecimal(this.digits, 0, value);
  }

  /** Reads a string and returns a copy of its bytes (allocates; for values to keep). */
  readStringCopy(): Uint8Array {
    this.readString();
    return this.stringBytes.slice(this.stringStart, this.stringEnd);
  }

  private readLzfString(): void {
    const compressedLength = this.readLength();
    const length = this.readLength();
    const at = this.skip(compressedLength);
    this.stringEncoding = RdbStringEncoding.Lzf;
    this.stringStart = 0;
    // Redis checks `lzf_decompress(...) != len`; its decompressor returns 0 on error, so a zero
    // declared length loads as an empty string whatever the data.
    if (length === 0) {
      this.stringBytes = this.scratch;
      this.stringEnd = 0;
      return;
    }
    if (length > compressedLength * LZF_MAX_RATIO) throw new RdbFormatError("Invalid LZF compressed string");
    if (this.scratch.length < length) this.scratch = new Uint8Array(Math.max(length, this.scratch.length * 2));
    const n = lzfDecompress(this.bytes, at, compressedLength, this.scratch, 0, length);
    if (n !== length) throw new RdbFormatError("Invalid LZF compressed string");
    this.stringBytes = this.scratch;
    this.stringEnd = length;
  }

  private readLengthAfter(first: number): number {
    switch (first >> 6) {
      case 0:
        return first & 0x3f;
      case 1:
        return ((first & 0x3f) << 8) | this.readByte();
    }
    if (first === 0x80) {
      const at = this.skip(4);
      const b = this.bytes;
      return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
    }
    if (first === 0x81) {
      const at = this.skip(8);
      const b = this.bytes;
      const hi = ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
      const lo = ((b[at + 4]! << 24) | (b[at + 5]! << 16) | (b[at + 6]! << 8) | b[at + 7]!) >>> 0;
      if (hi > 0x1fffff) throw new RdbFormatError("RDB length beyond 2^53");
      return hi * 0x100000000 + lo;
    }
    throw new RdbFormatError(`Unknown length encoding ${first >> 6} in rdbLoadLen()`);
  }
}
