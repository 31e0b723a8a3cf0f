/**
 * MurmurHash64A (Austin Appleby's MurmurHash2, 64-bit version) as Redis's hyperloglog.c uses it:
 * endian-neutral (8-byte blocks read little-endian). Computed on 32-bit halves with Math.imul:
 * no BigInt, no allocation. The hash is written to `out` as `[low 32 bits, high 32 bits]`.
 */

const M_LO = 0x5bd1e995;
const M_HI = 0xc6a4a793;
const M_LO_0 = M_LO & 0xffff;
const M_LO_1 = M_LO >>> 16;

/** The high 32 bits of the unsigned 64-bit product `a * M_LO` (16-bit pieces stay exact in doubles). */
function mulHighM(a: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const p01 = a0 * M_LO_1;
  const p10 = a1 * M_LO_0;
  const mid = ((a0 * M_LO_0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return a1 * M_LO_1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
}

/** The high half of `(hi, lo) * m mod 2^64` (the low half is `Math.imul(lo, M_LO)`). */
function mulM64High(hi: number, lo: number): number {
  return (mulHighM(lo) + Math.imul(hi, M_LO) + Math.imul(lo, M_HI)) >>> 0;
}

/** Hashes `buf[off, off + len)` with a 32-bit `seed`; `out[0]` = low half, `out[1]` = high half. */
export function murmurHash64A(buf: Uint8Array, off: number, len: number, seed: number, out: Uint32Array): void {
  // h = seed ^ (len * m)
  let hHi = mulM64High(0, len);
  let hLo = (Math.imul(len, M_LO) ^ seed) >>> 0;
  const end = off + (len - (len & 7));
  let p = off;
  while (p !== end) {
    let kLo = (buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24)) >>> 0;
    let kHi = (buf[p + 4]! | (buf[p + 5]! << 8) | (buf[p + 6]! << 16) | (buf[p + 7]! << 24)) >>> 0;
    // k *= m; k ^= k >> 47 (only the high half's top 17 bits reach the low half); k *= m
    let t = mulM64High(kHi, kLo);
    kLo = (Math.imul(kLo, M_LO) ^ (t >>> 15)) >>> 0;
    kHi = t;
    t = mulM64High(kHi, kLo);
    kLo = Math.imul(kLo, M_LO) >>> 0;
    kHi = t;
    // h ^= k; h *= m
    hLo = (hLo ^ kLo) >>> 0;
    hHi = (hHi ^ kHi) >>> 0;
    t = mulM64High(hHi, hLo);
    hLo = Math.imul(hLo, M_LO) >>> 0;
    hHi = t;
    p += 8;
  }
  const tail = len & 7;
  if (tail !== 0) {
    // Redis's fall-through switch: bytes 4..6 feed the high half, 0..3 the low half.
    if (tail >= 7) hHi ^= buf[p + 6]! << 16;
    if (tail >= 6) hHi ^= buf[p + 5]! << 8;
    if (tail >= 5) hHi ^= buf[p + 4]!;
    if (tail >= 4) hLo ^= buf[p + 3]! << 24;
    if (tail >= 3) hLo ^= buf[p + 2]! << 16;
    if (tail >= 2) hLo ^= buf[p + 1]! << 8;
    hLo = (hLo ^ buf[p]!) >>> 0;
    hHi >>>= 0;
    const t = mulM64High(hHi, hLo);
    hLo = Math.imul(hLo, M_LO) >>> 0;
    hHi = t;
  }
  // h ^= h >> r; h *= m; h ^= h >> r
  hLo = (hLo ^ (hHi >>> 15)) >>> 0;
  const t = mulM64High(hHi, hLo);
  hLo = Math.imul(hLo, M_LO) >>> 0;
  out[0] = (hLo ^ (t >>> 15)) >>> 0;
  out[1] = t;
}
