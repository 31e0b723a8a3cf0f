import { HLL_Q, HLL_REGISTERS } from "./hyperloglogDense.js";

/**
 * Redis 7's cardinality estimator (`hllCount`): Otmar Ertl's improved raw estimator from the
 * register histogram ("New cardinality estimation algorithms for HyperLogLog sketches",
 * arXiv:1702.01284), with the same floating-point steps so PFCOUNT answers are identical.
 */

const HLL_ALPHA_INF = 0.7213475204444817; // 0.5 / ln(2), the double Redis's literal rounds to

/** `hllSigma`. */
function hllSigma(x: number): number {
  if (x === 1) return Number.POSITIVE_INFINITY;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

/** `hllTau`. */
function hllTau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (zPrime !== z);
  return z / 3;
}

/** The estimate from a histogram of register values (64 counters, as `reghisto`). */
export function estimateFromHistogram(histogram: Int32Array): number {
  const m = HLL_REGISTERS;
  let z = m * hllTau((m - histogram[HLL_Q + 1]!) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += histogram[j]!;
    z *= 0.5;
  }
  z += m * hllSigma(histogram[0]! / m);
  const e = (HLL_ALPHA_INF * m * m) / z;
  // llroundl: half away from zero (e is never negative).
  const f = Math.floor(e);
  return e - f >= 0.5 ? f + 1 : f;
}

/**
 * Eight partial histograms side by side (register `i` counts in table `i & 7`): neighbouring
 * registers mostly hold the same value, and one shared counter made every increment wait for the
 * previous one's store (about twice slower).
 */
const partial = new Int32Array(8 * 64);

/** Adds the eight {@link partial} tables to `histogram`. */
function foldPartial(histogram: Int32Array): void {
  for (let j = 0; j < 64; j++) {
    histogram[j]! +=
      partial[j]! +
      partial[64 + j]! +
      partial[128 + j]! +
      partial[192 + j]! +
      partial[256 + j]! +
      partial[320 + j]! +
      partial[384 + j]! +
      partial[448 + j]!;
  }
}

/** `hllRawRegHisto`: the histogram of one byte per register (PFCOUNT of several keys). */
export function rawHistogram(registers: Uint8Array, histogram: Int32Array): void {
  partial.fill(0);
  for (let i = 0; i < HLL_REGISTERS; i += 8) {
    partial[registers[i]! & 63]!++;
    partial[64 + (registers[i + 1]! & 63)]!++;
    partial[128 + (registers[i + 2]! & 63)]!++;
    partial[192 + (registers[i + 3]! & 63)]!++;
    partial[256 + (registers[i + 4]! & 63)]!++;
    partial[320 + (registers[i + 5]! & 63)]!++;
    partial[384 + (registers[i + 6]! & 63)]!++;
    partial[448 + (registers[i + 7]! & 63)]!++;
  }
  foldPartial(histogram);
}

/** `hllDenseRegHisto`: adds the dense (6-bit packed) registers at `buf[at]` to `histogram`. */
export function denseHistogram(buf: Uint8Array, at: number, histogram: Int32Array): void {
  partial.fill(0);
  let r = at;
  for (let j = 0; j < HLL_REGISTERS / 8; j++) {
    // Eight 6-bit registers per six bytes.
    const b0 = buf[r]!;
    const b1 = buf[r + 1]!;
    const b2 = buf[r + 2]!;
    const b3 = buf[r + 3]!;
    const b4 = buf[r + 4]!;
    const b5 = buf[r + 5]!;
    partial[b0 & 63]!++;
    partial[64 + (((b0 >>> 6) | (b1 << 2)) & 63)]!++;
    partial[128 + (((b1 >>> 4) | (b2 << 4)) & 63)]!++;
    partial[192 + (b2 >>> 2)]!++;
    partial[256 + (b3 & 63)]!++;
    partial[320 + (((b3 >>> 6) | (b4 << 2)) & 63)]!++;
    partial[384 + (((b4 >>> 4) | (b5 << 4)) & 63)]!++;
    partial[448 + (b5 >>> 2)]!++;
    r += 6;
  }
  foldPartial(histogram);
}

/**
 * The dense (6-bit packed) registers at `buf[at]` unpacked into the 4096 words `out` (one byte
 * per register, little-endian: byte `i` of the words is register `i`) and counted into
 * `histogram` (set, not added): the first source of PFCOUNT's union, in one pass. Words, not
 * bytes: two stores per eight registers instead of eight.
 */
export function denseDecodeHistogram(buf: Uint8Array, at: number, out: Int32Array, histogram: Int32Array): void {
  partial.fill(0);
  let r = at;
  for (let k = 0; k < HLL_REGISTERS / 4; k += 2) {
    const b0 = buf[r]!;
    const b1 = buf[r + 1]!;
    const b2 = buf[r + 2]!;
    const b3 = buf[r + 3]!;
    const b4 = buf[r + 4]!;
    const b5 = buf[r + 5]!;
    r += 6;
    const v0 = b0 & 63;
    const v1 = ((b0 >>> 6) | (b1 << 2)) & 63;
    const v2 = ((b1 >>> 4) | (b2 << 4)) & 63;
    const v3 = b2 >>> 2;
    const v4 = b3 & 63;
    const v5 = ((b3 >>> 6) | (b4 << 2)) & 63;
    const v6 = ((b4 >>> 4) | (b5 << 4)) & 63;
    const v7 = b5 >>> 2;
    out[k] = v0 | (v1 << 8) | (v2 << 16) | (v3 << 24);
    out[k + 1] = v4 | (v5 << 8) | (v6 << 16) | (v7 << 24);
    partial[v0]!++;
    partial[64 + v1]!++;
    partial[128 + v2]!++;
    partial[192 + v3]!++;
    partial[256 + v4]!++;
    partial[320 + v5]!++;
    partial[384 + v6]!++;
    partial[448 + v7]!++;
  }
  histogram.fill(0);
  foldPartial(histogram);
}
