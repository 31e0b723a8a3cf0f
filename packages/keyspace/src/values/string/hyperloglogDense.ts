import { murmurHash64A } from "./murmurHash64a.js";

/**
 * The HyperLogLog layout of Redis's hyperloglog.c, shared by both encodings: a 16-byte header
 * ("HYLL", encoding, 3 unused bytes, 8-byte little-endian cached cardinality whose top bit
 * marks it stale), then either 16384 6-bit registers packed LSB first (dense) or run-length
 * opcodes (sparse). This file holds the constants, the hash-to-register step and the dense
 * register access.
 */

export const HLL_P = 14;
export const HLL_Q = 64 - HLL_P;
export const HLL_REGISTERS = 1 << HLL_P;
export const HLL_P_MASK = HLL_REGISTERS - 1;
export const HLL_BITS = 6;
export const HLL_REGISTER_MAX = (1 << HLL_BITS) - 1;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + (HLL_REGISTERS * HLL_BITS) / 8; // 12304: 6 * 16384 bits fill whole bytes
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
export const HLL_MAX_ENCODING = 1;
/** Byte 4 of the header: the encoding. */
export const HLL_ENCODING_OFFSET = 4;
/** Byte 15 of the header: the cached cardinality's most significant byte, bit 7 = stale. */
export const HLL_CARD_MSB_OFFSET = 15;
const HASH_SEED = 0xadc83b19;

const hashOut = new Uint32Array(2);

/**
 * `hllPatLen`: the register index of element `buf[off, off + len)` and the length of its
 * "000…1" run, packed as `index << 6 | count` (count is 1..51).
 */
export function hllPatLen(buf: Uint8Array, off: number, len: number): number {
  murmurHash64A(buf, off, len, HASH_SEED, hashOut);
  const lo = hashOut[0]!;
  const hi = hashOut[1]!;
  const index = lo & HLL_P_MASK;
  // Bits 14..45 of the hash, then 46..63 with the terminating bit at 64 (Redis's 1 << Q).
  const low = ((lo >>> HLL_P) | (hi << (32 - HLL_P))) >>> 0;
  let count: number;
  if (low !== 0) count = 1 + (31 - Math.clz32(low & -low));
  else {
    const high = (hi >>> HLL_P) | (1 << (32 - HLL_P));
    count = 33 + (31 - Math.clz32(high & -high));
  }
  return (index << 6) | count;
}

/** `HLL_DENSE_GET_REGISTER` on registers starting at `buf[at]`. */
export function denseGet(buf: Uint8Array, at: number, regnum: number): number {
  const bit = regnum * HLL_BITS;
  const byte = at + (bit >>> 3);
  const fb = bit & 7;
  // Registers with fb <= 2 fit in one byte: never read past the last register byte.
  if (fb <= 2) return (buf[byte]! >>> fb) & HLL_REGISTER_MAX;
  return ((buf[byte]! >>> fb) | (buf[byte + 1]! << (8 - fb))) & HLL_REGISTER_MAX;
}

/** `HLL_DENSE_SET_REGISTER` on registers starting at `buf[at]`. */
export function denseSet(buf: Uint8Array, at: number, regnum: number, value: number): void {
  const bit = regnum * HLL_BITS;
  const byte = at + (bit >>> 3);
  const fb = bit & 7;
  buf[byte] = (buf[byte]! & ~(HLL_REGISTER_MAX << fb)) | (value << fb);
  if (fb > 2) {
    const fb8 = 8 - fb;
    buf[byte + 1] = (buf[byte + 1]! & ~(HLL_REGISTER_MAX >>> fb8)) | (value >>> fb8);
  }
}

/** `hllDenseSet`: raises register `index` to `count`; true when it changed. */
export function denseSetIfGreater(buf: Uint8Array, at: number, index: number, count: number): boolean {
  if (count <= denseGet(buf, at, index)) return false;
  denseSet(buf, at, index, count);
  return true;
}

/**
 * `hllMerge` of dense registers at `buf[at]` into `max` (one byte per register). A `histogram`
 * of `max` is kept up to date with each register raised.
 */
export function denseMergeInto(
  buf: Uint8Array,
  at: number,
  max: Uint8Array,
  histogram: Int32Array | null = null,
): void {
  let r = at;
  for (let i = 0; i < HLL_REGISTERS; i += 4) {
    const b0 = buf[r]!;
    const b1 = buf[r + 1]!;
    const b2 = buf[r + 2]!;
    r += 3;
    raise(max, i, b0 & 63, histogram);
    raise(max, i + 1, ((b0 >>> 6) | (b1 << 2)) & 63, histogram);
    raise(max, i + 2, ((b1 >>> 4) | (b2 << 4)) & 63, histogram);
    raise(max, i + 3, b2 >>> 2, histogram);
  }
}

/** `max[i] = max(max[i], value)`, moving one count of `histogram` (when given) if it rose. */
function raise(max: Uint8Array, i: number, value: number, histogram: Int32Array | null): void {
  const old = max[i]!;
  if (value <= old) return;
  max[i] = value;
  if (histogram !== null) {
    histogram[old]!--;
    histogram[value]!++;
  }
}

/** The dense registers at `buf[at]` unpacked into `out` (one byte each): the first source of a merge. */
export function denseDecodeInto(buf: Uint8Array, at: number, out: Uint8Array): void {
  let r = at;
  for (let i = 0; i < HLL_REGISTERS; i += 4) {
    const b0 = buf[r]!;
    const b1 = buf[r + 1]!;
    const b2 = buf[r + 2]!;
    out[i] = b0 & 63;
    out[i + 1] = ((b0 >>> 6) | (b1 << 2)) & 63;
    out[i + 2] = ((b1 >>> 4) | (b2 << 4)) & 63;
    out[i + 3] = b2 >>> 2;
    r += 3;
  }
}
