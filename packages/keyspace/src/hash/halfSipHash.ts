/**
 * HalfSipHash-1-3 (Aumasson & Bernstein) over a byte range, 32-bit output: the keyed hash of
 * the key index. A secret 64-bit key chosen at startup makes collisions unpredictable to
 * clients, so a flood of crafted keys cannot degrade the index into long probe runs (Redis uses
 * SipHash-1-2 for the same reason). Only 32-bit integer operations, no allocation.
 */
export function halfSipHash(k0: number, k1: number, buf: Uint8Array, off: number, len: number): number {
  return halfSipHashSigned(k0, k1, buf, off, len) >>> 0;
}

/**
 * {@link halfSipHash} as a signed 32-bit integer, the form the key index uses: V8 keeps int32
 * values unboxed (a small integer), where an unsigned result of 2^31 or more would become a heap
 * number whenever it is returned or passed to a function that is not inlined.
 */
export function halfSipHashSigned(k0: number, k1: number, buf: Uint8Array, off: number, len: number): number {
  let v0 = k0 | 0;
  let v1 = k1 | 0;
  let v2 = (0x6c796765 ^ k0) | 0;
  let v3 = (0x74656462 ^ k1) | 0;
  const end = off + len - (len & 3);
  let i = off;
  for (; i < end; i += 4) {
    const m = buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
    v3 ^= m;
    // one SipRound
    v0 = (v0 + v1) | 0;
    v1 = (v1 << 5) | (v1 >>> 27);
    v1 ^= v0;
    v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0;
    v3 = (v3 << 8) | (v3 >>> 24);
    v3 ^= v2;
    v0 = (v0 + v3) | 0;
    v3 = (v3 << 7) | (v3 >>> 25);
    v3 ^= v0;
    v2 = (v2 + v1) | 0;
    v1 = (v1 << 13) | (v1 >>> 19);
    v1 ^= v2;
    v2 = (v2 << 16) | (v2 >>> 16);
    v0 ^= m;
  }
  let b = len << 24;
  const left = len & 3;
  if (left === 3) b |= buf[i + 2]! << 16;
  if (left >= 2) b |= buf[i + 1]! << 8;
  if (left >= 1) b |= buf[i]!;
  v3 ^= b;
  v0 = (v0 + v1) | 0;
  v1 = (v1 << 5) | (v1 >>> 27);
  v1 ^= v0;
  v0 = (v0 << 16) | (v0 >>> 16);
  v2 = (v2 + v3) | 0;
  v3 = (v3 << 8) | (v3 >>> 24);
  v3 ^= v2;
  v0 = (v0 + v3) | 0;
  v3 = (v3 << 7) | (v3 >>> 25);
  v3 ^= v0;
  v2 = (v2 + v1) | 0;
  v1 = (v1 << 13) | (v1 >>> 19);
  v1 ^= v2;
  v2 = (v2 << 16) | (v2 >>> 16);
  v0 ^= b;
  v2 ^= 0xff;
  for (let r = 0; r < 3; r++) {
    v0 = (v0 + v1) | 0;
    v1 = (v1 << 5) | (v1 >>> 27);
    v1 ^= v0;
    v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0;
    v3 = (v3 << 8) | (v3 >>> 24);
    v3 ^= v2;
    v0 = (v0 + v3) | 0;
    v3 = (v3 << 7) | (v3 >>> 25);
    v3 ^= v0;
    v2 = (v2 + v1) | 0;
    v1 = (v1 << 13) | (v1 >>> 19);
    v1 ^= v2;
    v2 = (v2 << 16) | (v2 >>> 16);
  }
  return v1 ^ v3;
}

/** A fresh random 64-bit hash key as two 32-bit halves. */
export function randomHashKey(): [number, number] {
  // Every hash and set table draws a key: take them from a pool filled 1,024 words at a time
  // (one getRandomValues per key cost ~5% of a hash-creating workload).
  if (poolAt >= randomPool.length) {
    globalThis.crypto.getRandomValues(randomPool);
    poolAt = 0;
  }
  const k0 = randomPool[poolAt++]! | 0;
  const k1 = randomPool[poolAt++]! | 0;
  return [k0, k1];
}

const randomPool = new Uint32Array(1024);
let poolAt = randomPool.length;
