/**
 * CRC-64/Jones as Redis computes it (crc64.c): polynomial 0xad93d23594c935a9, reflected input
 * and output, initial value 0, no final xor. It checks DUMP payloads and RDB files.
 *
 * JavaScript has no cheap 64-bit integers (BigInt allocates), so the CRC is kept as two 32-bit
 * halves and the tables are split the same way. Slice-by-8 consumes 8 bytes per step with eight
 * tables (16 KiB), about 4x faster than a byte at a time on long inputs.
 */

// The Jones polynomial bit-reversed, as two halves: 0x95ac9329ac4bc9b5.
const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

// TABLE_LO[k * 256 + n] / TABLE_HI[…]: CRC of byte n followed by k zero bytes.
const TABLE_LO = new Uint32Array(8 * 256);
const TABLE_HI = new Uint32Array(8 * 256);

for (let n = 0; n < 256; n++) {
  let lo = n;
  let hi = 0;
  for (let bit = 0; bit < 8; bit++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | (hi << 31)) >>> 0;
    hi = hi >>> 1;
    if (carry) {
      lo = (lo ^ POLY_LO) >>> 0;
      hi = (hi ^ POLY_HI) >>> 0;
    }
  }
  TABLE_LO[n] = lo;
  TABLE_HI[n] = hi;
}
for (let k = 1; k < 8; k++) {
  for (let n = 0; n < 256; n++) {
    const prevLo = TABLE_LO[(k - 1) * 256 + n]!;
    const prevHi = TABLE_HI[(k - 1) * 256 + n]!;
    const i = prevLo & 0xff;
    TABLE_LO[k * 256 + n] = TABLE_LO[i]! ^ ((prevLo >>> 8) | (prevHi << 24));
    TABLE_HI[k * 256 + n] = TABLE_HI[i]! ^ (prevHi >>> 8);
  }
}

/**
 * A running CRC-64 (Redis's `crc64(crc, p, len)` with the state kept between calls), so a
 * payload written in pieces can be checksummed as it goes, without BigInt on the way.
 */
export class Crc64 {
  /** Low 32 bits of the current CRC. */
  lo = 0;
  /** High 32 bits of the current CRC. */
  hi = 0;

  /** Starts again from 0. */
  reset(): this {
    this.lo = 0;
    this.hi = 0;
    return this;
  }

  /** Feeds `bytes[start, end)`. */
  update(bytes: Uint8Array, start = 0, end = bytes.length): this {
    let lo = this.lo;
    let hi = this.hi;
    let i = start;
    const T_LO = TABLE_LO;
    const T_HI = TABLE_HI;
    for (const stop = end - 8; i <= stop; i += 8) {
      const a = lo ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
      const b = hi ^ (bytes[i + 4]! | (bytes[i + 5]! << 8) | (bytes[i + 6]! << 16) | (bytes[i + 7]! << 24));
      const i7 = 7 * 256 + (a & 0xff);
      const i6 = 6 * 256 + ((a >>> 8) & 0xff);
      const i5 = 5 * 256 + ((a >>> 16) & 0xff);
      const i4 = 4 * 256 + (a >>> 24);
      const i3 = 3 * 256 + (b & 0xff);
      const i2 = 2 * 256 + ((b >>> 8) & 0xff);
      const i1 = 256 + ((b >>> 16) & 0xff);
      const i0 = b >>> 24;
      lo = T_LO[i7]! ^ T_LO[i6]! ^ T_LO[i5]! ^ T_LO[i4]! ^ T_LO[i3]! ^ T_LO[i2]! ^ T_LO[i1]! ^ T_LO[i0]!;
      hi = T_HI[i7]! ^ T_HI[i6]! ^ T_HI[i5]! ^ T_HI[i4]! ^ T_HI[i3]! ^ T_HI[i2]! ^ T_HI[i1]! ^ T_HI[i0]!;
    }
    for (; i < end; i++) {
      const t = (lo ^ bytes[i]!) & 0xff;
      lo = T_LO[t]! ^ ((lo >>> 8) | (hi << 24));
      hi = T_HI[t]! ^ (hi >>> 8);
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    return this;
  }

  /** The CRC as an unsigned 64-bit BigInt (allocates; for tests and display). */
  value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** Writes the CRC little-endian into `target[offset, offset + 8)`, as Redis stores it. */
  writeLE(target: Uint8Array, offset: number): void {
    const lo = this.lo;
    const hi = this.hi;
    target[offset] = lo;
    target[offset + 1] = lo >>> 8;
    target[offset + 2] = lo >>> 16;
    target[offset + 3] = lo >>> 24;
    target[offset + 4] = hi;
    target[offset + 5] = hi >>> 8;
    target[offset + 6] = hi >>> 16;
    target[offset + 7] = hi >>> 24;
  }

  /** True when `source[offset, offset + 8)` holds this CRC little-endian. */
  equalsLE(source: Uint8Array, offset: number): boolean {
    const lo =
      (source[offset]! | (source[offset + 1]! << 8) | (source[offset + 2]! << 16) | (source[offset + 3]! << 24)) >>> 0;
    const hi =
      (source[offset + 4]! | (source[offset + 5]! << 8) | (source[offset + 6]! << 16) | (source[offset + 7]! << 24)) >>>
      0;
    return lo === this.lo && hi === this.hi;
  }
}

/** CRC-64/Jones of `bytes[start, end)` from 0, as an unsigned BigInt: `crc64(0, p, len)`. */
export function crc64(bytes: Uint8Array, start = 0, end = bytes.length): bigint {
  return new Crc64().update(bytes, start, end).value();
}

/** Byte-at-a-time CRC (the plain table algorithm); the reference the fast path is tested against. */
export function crc64Bytewise(bytes: Uint8Array, start = 0, end = bytes.length): bigint {
  let lo = 0;
  let hi = 0;
  for (let i = start; i < end; i++) {
    const t = (lo ^ bytes[i]!) & 0xff;
    lo = (TABLE_LO[t]! ^ ((lo >>> 8) | (hi << 24))) >>> 0;
    hi = (TABLE_HI[t]! ^ (hi >>> 8)) >>> 0;
  }
  return (BigInt(hi) << 32n) | BigInt(lo);
}
