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

/** `hllRawRegHisto`: the histogram of one byte per register (PFCOUNT of several keys). */
export function rawHistogram(registers: Uint8Array, histogram: Int32Array): void {
  for (let i = 0; i < HLL_REGISTERS; i++) histogram[registers[i]! & 63]!++;
}
