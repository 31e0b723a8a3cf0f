/**
 * A growable byte output the encoders write into: `buffer[0, length)` holds what was written.
 * It may start on a caller-supplied array (a reply buffer, a pooled page); when that is full it
 * moves to a larger one, so read `buffer` again after writing rather than keeping a reference.
 */
export class RdbOutput {
  /** The bytes; valid in `[0, length)`. Replaced by a larger array when it fills up. */
  buffer: Uint8Array;
  /** Bytes written so far. */
  length: number;
  private readonly allocate: (size: number) => Uint8Array;

  /**
   * @param initial a capacity to allocate, or an array to write into from `start`.
   * @param start where writing begins when `initial` is an array (earlier bytes are kept).
   * @param allocate makes larger arrays when growing (e.g. `Buffer.allocUnsafe`); zeroed
   *   `Uint8Array`s by default.
   */
  constructor(initial: number | Uint8Array = 256, start = 0, allocate: (size: number) => Uint8Array = defaultAllocate) {
    this.allocate = allocate;
    if (typeof initial === "number") {
      this.buffer = allocate(Math.max(16, initial));
      this.length = 0;
    } else {
      this.buffer = initial;
      this.length = start;
    }
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.buffer.length) return;
    let size = Math.max(64, this.buffer.length * 2);
    while (size < need) size *= 2;
    const grown = this.allocate(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  /** Forgets everything written (keeps the array). */
  reset(): void {
    this.length = 0;
  }

  /** Appends one byte. */
  writeByte(value: number): void {
    if (this.length === this.buffer.length) this.reserve(1);
    this.buffer[this.length++] = value;
  }

  /** Appends `source[start, end)`. */
  writeBytes(source: Uint8Array, start = 0, end = source.length): void {
    const n = end - start;
    this.reserve(n);
    if (n <= 16) {
      const b = this.buffer;
      let o = this.length;
      for (let i = start; i < end; i++) b[o++] = source[i]!;
    } else {
      this.buffer.set(source.subarray(start, end), this.length);
    }
    this.length += n;
  }

  /** Appends a 16-bit little-endian unsigned integer. */
  writeUint16LE(value: number): void {
    this.reserve(2);
    const b = this.buffer;
    b[this.length++] = value;
    b[this.length++] = value >>> 8;
  }

  /** Appends a 32-bit little-endian unsigned integer. */
  writeUint32LE(value: number): void {
    this.reserve(4);
    writeUint32LE(this.buffer, this.length, value);
    this.length += 4;
  }

  /** Appends an IEEE 754 double, little-endian (how RDB stores binary zset scores). */
  writeFloat64LE(value: number): void {
    this.reserve(8);
    scratchView.setFloat64(0, value, true);
    this.buffer.set(scratchBytes, this.length);
    this.length += 8;
  }

  /** A view of the bytes written (shares memory with `buffer`). */
  view(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

function defaultAllocate(size: number): Uint8Array {
  return new Uint8Array(size);
}

/** Stores `value` (unsigned 32-bit) little-endian at `target[offset]`. */
export function writeUint32LE(target: Uint8Array, offset: number, value: number): void {
  target[offset] = value;
  target[offset + 1] = value >>> 8;
  target[offset + 2] = value >>> 16;
  target[offset + 3] = value >>> 24;
}

/** Reads an unsigned 32-bit little-endian integer at `source[offset]`. */
export function readUint32LE(source: Uint8Array, offset: number): number {
  return (
    (source[offset]! | (source[offset + 1]! << 8) | (source[offset + 2]! << 16) | (source[offset + 3]! << 24)) >>> 0
  );
}

const scratchBytes = new Uint8Array(8);
const scratchView = new DataView(scratchBytes.buffer);

/** Reads an IEEE 754 little-endian double at `source[offset]`. */
export function readFloat64LE(source: Uint8Array, offset: number): number {
  for (let i = 0; i < 8; i++) scratchBytes[i] = source[offset + i]!;
  return scratchView.getFloat64(0, true);
}
