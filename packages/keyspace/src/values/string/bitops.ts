/**
 * Bit primitives over byte ranges (Redis's `bitops.c`): bit 0 is the most significant bit of the
 * first byte, and a string reads as followed by infinitely many zero bits. Pure functions over
 * `(bytes, start, end)`, so commands run them straight on a value's pool bytes (reads) or on a
 * scratch buffer (BITOP); the in-place edits of a stored value are in `bitEdits.ts`.
 */

import { hasWasmPopcount, popcountWords } from "./popcountWasm.js";

/** Set bits per byte value. */
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]!;

/** Range length from which {@link popcount} counts by words (below it, a view costs more than it saves). */
const WORDS_FROM = 64;

/** Range length from which {@link popcount} counts in WebAssembly (below it, the call and copy cost more). */
const WASM_FROM = 128;

/** Redis's `redisPopcount`: set bits in `bytes[start, end)`. */
export function popcount(bytes: Uint8Array, start: number, end: number): number {
  let count = 0;
  let i = start;
  if (hasWasmPopcount && end - start >= WASM_FROM) {
    count = popcountWords(bytes, start, end);
    i = end - ((end - start) & 7);
  } else if (end - start >= WORDS_FROM) {
    // Bytes up to a 4-byte boundary, then aligned 32-bit words through one view (one load per
    // word, counted with the SWAR trick): several times faster than a byte loop on long ranges.
    const head = (4 - ((bytes.byteOffset + i) & 3)) & 3;
    for (const stop = i + head; i < stop; i++) count += POPCOUNT[bytes[i]!]!;
    const n = (end - i) >>> 2;
    const words = new Int32Array(bytes.buffer, bytes.byteOffset + i, n);
    let k = 0;
    // Nibble counts of three words fit a nibble (≤ 12), byte sums of ten such triples a byte
    // (≤ 240): one fold to a total per 30 words instead of one per word.
    while (k + 30 <= n) {
      let bytesSum = 0;
      for (const stop = k + 30; k < stop; k += 3) {
        const triple = nibbleCounts(words[k]!) + nibbleCounts(words[k + 1]!) + nibbleCounts(words[k + 2]!);
        bytesSum += (triple & 0x0f0f0f0f) + ((triple >>> 4) & 0x0f0f0f0f);
      }
      bytesSum = (bytesSum & 0x00ff00ff) + ((bytesSum >>> 8) & 0x00ff00ff);
      count += (bytesSum & 0xffff) + (bytesSum >>> 16);
    }
    for (; k < n; k++) {
      const v = nibbleCounts(words[k]!);
      count += Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
    }
    i += n * 4;
  }
  for (; i < end; i++) count += POPCOUNT[bytes[i]!]!;
  return count;
}

/** The set bits of each nibble of a 32-bit word (the first two SWAR steps). */
function nibbleCounts(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  return (v & 0x33333333) + ((v >>> 2) & 0x33333333);
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

/** Bytes of source copied at a time into {@link chunk} to be combined by 32-bit words. */
const CHUNK = 65536;
const chunk = new Uint8Array(CHUNK);
const chunkWords = new Int32Array(chunk.buffer);

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
  out.set(src.subarray(srcStart, srcEnd), at);
  if (op === BitOp.Not) {
    let i = 0;
    if (len >= WORDS_FROM) {
      // Complement in place by words from the first aligned byte.
      const head = (4 - ((out.byteOffset + at) & 3)) & 3;
      for (; i < head; i++) out[at + i] = ~out[at + i]! & 0xff;
      const n = (len - i) >>> 2;
      const words = new Int32Array(out.buffer, out.byteOffset + at + i, n);
      for (let k = 0; k < n; k++) words[k] = ~words[k]!;
      i += n * 4;
    }
    for (; i < len; i++) out[at + i] = ~out[at + i]! & 0xff;
    out.fill(0xff, at + len, at + total);
  } else {
    out.fill(0, at + len, at + total);
  }
}

/**
 * BITOP's next sources: combines `out[at, at + total)` with `src[srcStart, srcEnd)` zero-padded
 * (AND clears the bytes past the source, OR and XOR leave them). Long sources go through an
 * aligned chunk (a memcpy) so both sides combine by 32-bit words whatever their alignment.
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
  let i = 0;
  if (len >= WORDS_FROM) {
    i = (4 - ((out.byteOffset + at) & 3)) & 3;
    combineBytes(out, at, src, srcStart, 0, i, op);
    while (len - i >= 4) {
      const n = Math.min(CHUNK, (len - i) & ~3);
      chunk.set(src.subarray(srcStart + i, srcStart + i + n));
      const words = new Int32Array(out.buffer, out.byteOffset + at + i, n >>> 2);
      const count = n >>> 2;
      if (op === BitOp.And) for (let k = 0; k < count; k++) words[k]! &= chunkWords[k]!;
      else if (op === BitOp.Or) for (let k = 0; k < count; k++) words[k]! |= chunkWords[k]!;
      else for (let k = 0; k < count; k++) words[k]! ^= chunkWords[k]!;
      i += n;
    }
  }
  combineBytes(out, at, src, srcStart, i, len, op);
  if (op === BitOp.And) out.fill(0, at + len, at + total);
}

/** {@link bitopNext} byte by byte over `[from, to)` of the source. */
function combineBytes(
  out: Uint8Array,
  at: number,
  src: Uint8Array,
  srcStart: number,
  from: number,
  to: number,
  op: BitOp,
): void {
  if (op === BitOp.And) for (let i = from; i < to; i++) out[at + i]! &= src[srcStart + i]!;
  else if (op === BitOp.Or) for (let i = from; i < to; i++) out[at + i]! |= src[srcStart + i]!;
  else for (let i = from; i < to; i++) out[at + i]! ^= src[srcStart + i]!;
}
