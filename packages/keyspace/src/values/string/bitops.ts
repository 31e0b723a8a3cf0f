/**
 * Bit primitives over byte ranges (Redis's `bitops.c`): bit 0 is the most significant bit of the
 * first byte, and a string reads as followed by infinitely many zero bits. Pure functions over
 * `(bytes, start, end)`, so commands run them straight on a value's pool bytes (reads) or on a
 * scratch buffer (BITOP); the in-place edits of a stored value are in `bitEdits.ts`.
 */

/** Set bits per byte value. */
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]!;

/** Range length from which {@link popcount} counts by words (below it, a view costs more than it saves). */
const WORDS_FROM = 64;

/** Redis's `redisPopcount`: set bits in `bytes[start, end)`. */
export function popcount(bytes: Uint8Array, start: number, end: number): number {
  let count = 0;
  let i = start;
  if (end - start >= WORDS_FROM) {
    // Bytes up to a 4-byte boundary, then aligned 32-bit words through one view (one load per
    // word, counted with the SWAR trick): several times faster than a byte loop on long ranges.
    const head = (4 - ((bytes.byteOffset + i) & 3)) & 3;
    for (const stop = i + head; i < stop; i++) count += POPCOUNT[bytes[i]!]!;
    const n = (end - i) >>> 2;
    const words = new Int32Array(bytes.buffer, bytes.byteOffset + i, n);
    for (let k = 0; k < n; k++) {
      let v = words[k]!;
      v = v - ((v >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      count += Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
    }
    i += n * 4;
  }
  for (; i < end; i++) count += POPCOUNT[bytes[i]!]!;
  return count;
}

/** The set bits of one byte. */
export function popcountByte(byte: number): number {
  return POPCOUNT[byte & 0xff]!;
}

/**
 * Redis's `redisBitpos`: the position of the first bit equal to `bit` in `bytes[start, end)`,
 * counted from `start`. Looking for 1 in all-zero bytes gives -1; looking for 0 in all-one
 * bytes gives the first bit past the range (the string is zero-padded on the right).
 */
export function bitpos(bytes: Uint8Array, start: number, end: number, bit: number): number {
  const skip = bit ? 0 : 0xff;
  let i = start;
  if (end - start >= WORDS_FROM) {
    // Runs of skipped bytes a 32-bit word at a time once aligned, as Redis skips by longs.
    const head = (4 - ((bytes.byteOffset + i) & 3)) & 3;
    for (const stop = i + head; i < stop && bytes[i] === skip; i++);
    if ((bytes.byteOffset + i) % 4 === 0) {
      const n = (end - i) >>> 2;
      const words = new Int32Array(bytes.buffer, bytes.byteOffset + i, n);
      const skipWord = bit ? 0 : -1;
      let k = 0;
      while (k < n && words[k] === skipWord) k++;
      i += k * 4;
    }
  }
  while (i < end && bytes[i] === skip) i++;
  if (i === end) return bit ? -1 : (end - start) * 8;
  const byte = bytes[i]!;
  const pos = (i - start) * 8;
  // Math.clz32 counts from bit 31: the byte sits in bits 7..0.
  return pos + (bit ? Math.clz32(byte) - 24 : Math.clz32(~byte & 0xff) - 24);
}

/** GETBIT: bit `offset` of `bytes[start, end)` (0 past the end). */
export function getBit(bytes: Uint8Array, start: number, end: number, offset: number): number {
  const byte = Math.floor(offset / 8);
  if (byte >= end - start) return 0;
  return (bytes[start + byte]! >> (7 - (offset % 8))) & 1;
}

/** BITOP operations, in Redis's numbering. */
export const BitOp = {
  And: 0,
  Or: 1,
  Xor: 2,
  Not: 3,
} as const;
export type BitOp = (typeof BitOp)[keyof typeof BitOp];

/**
 * BITOP's first source: `out[at, at + total)` becomes `src[srcStart, srcEnd)` zero-padded to
 * `total` bytes, complemented for NOT.
 */
export function bitopFirst(
  out: Uint8Array,
  at: number,
  total: number,
  src: Uint8Array,
  srcStart: number,
  srcEnd: number,
  op: BitOp,
): void {
  const len = srcEnd - srcStart;
  if (op === BitOp.Not) {
    for (let i = 0; i < len; i++) out[at + i] = ~src[srcStart + i]! & 0xff;
    out.fill(0xff, at + len, at + total);
  } else {
    out.set(src.subarray(srcStart, srcEnd), at);
    out.fill(0, at + len, at + total);
  }
}

/**
 * BITOP's next sources: combines `out[at, at + total)` with `src[srcStart, srcEnd)` zero-padded
 * (AND clears the bytes past the source, OR and XOR leave them).
 */
export function bitopNext(
  out: Uint8Array,
  at: number,
  total: number,
  src: Uint8Array,
  srcStart: number,
  srcEnd: number,
  op: BitOp,
): void {
  const len = srcEnd - srcStart;
  if (op === BitOp.And) {
    for (let i = 0; i < len; i++) out[at + i]! &= src[srcStart + i]!;
    out.fill(0, at + len, at + total);
  } else if (op === BitOp.Or) {
    for (let i = 0; i < len; i++) out[at + i]! |= src[srcStart + i]!;
  } else {
    for (let i = 0; i < len; i++) out[at + i]! ^= src[srcStart + i]!;
  }
}
