/**
 * MurmurHash64A (Austin Appleby's MurmurHash2, 64-bit version) as Redis's hyperloglog.c uses it:
 * endian-neutral (8-byte blocks read little-endian). Computed on 32-bit halves with Math.imul:
 * no BigInt, no allocation. The hash is written to `out` as `[low 32 bits, high 32 bits]`.
 */

const M_LO = 0x5bd1e995;
const M_HI = 0xc6a4a793;

// The product of the last mul64 call (unsigned 32-bit halves).
let prodLo = 0;
let prodHi = 0;

/** (hi, lo) * m mod 2^64 into prodHi/prodLo. */
function mulM(hi: number, lo: number): void {
  // The full 64-bit product of lo * M_LO from 16-bit pieces; the cross terms only feed the high half.
  const a0 = lo & 0xffff;
  const a1 = lo >>> 16;
  const b0 = M_LO & 0xffff;
  const b1 = M_LO >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const carryHi = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  prodLo = Math.imul(lo, M_LO) >>> 0;
  prodHi = (carryHi + Math.imul(hi, M_LO) + Math.imul(lo, M_HI)) >>> 0;
}

/** Hashes `buf[off, off + len)` with a 32-bit `seed`; `out[0]` = low half, `out[1]` = high half. */
export function murmurHash64A(buf: Uint8Array, off: number, len: number, seed: number, out: Uint32Array): void {
  // h = seed ^ (len * m)
  mulM(0, len >>> 0);
  let hLo = (prodLo ^ seed) >>> 0;
  let hHi = prodHi;
  const end = off + (len - (len & 7));
  let p = off;
  while (p !== end) {
    let kLo = (buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24)) >>> 0;
    let kHi = (buf[p + 4]! | (buf[p + 5]! << 8) | (buf[p + 6]! << 16) | (buf[p + 7]! << 24)) >>> 0;
    mulM(kHi, kLo);
    // k ^= k >> 47: only the high half's top 17 bits reach the low half.
    kLo = (prodLo ^ (prodHi >>> 15)) >>> 0;
    kHi = prodHi;
    mulM(kHi, kLo);
    hLo = (hLo ^ prodLo) >>> 0;
    hHi = (hHi ^ prodHi) >>> 0;
    mulM(hHi, hLo);
    hLo = prodLo;
    hHi = prodHi;
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
    hLo ^= buf[p]!;
    mulM(hHi >>> 0, hLo >>> 0);
    hLo = prodLo;
    hHi = prodHi;
  }
  hLo = (hLo ^ (hHi >>> 15)) >>> 0;
  mulM(hHi, hLo);
  hLo = (prodLo ^ (prodHi >>> 15)) >>> 0;
  out[0] = hLo;
  out[1] = prodHi;
}
