import { denseHistogram, estimateFromHistogram } from "./hyperloglogCount.js";
import {
  denseGet,
  denseSet,
  denseSetIfGreater,
  HLL_DENSE_SIZE,
  HLL_ENCODING_OFFSET,
  HLL_HDR_SIZE,
  HLL_REGISTER_MAX,
  HLL_REGISTERS,
  HLL_SPARSE,
  hllPatLen,
} from "./hyperloglogDense.js";
import { EMPTY_SPARSE_HLL, SPARSE_PROMOTE, sparseHistogram, sparseSet, sparseToDense } from "./hyperloglogSparse.js";

/**
 * PFSELFTEST (`pfselftestCommand`): register access round trips, then 10M distinct elements
 * added to a dense and a sparse HLL side by side, checking at each power of ten that the sparse
 * one stayed sparse while small, that both estimate the same, and that the error is within six
 * standard errors. Returns null on success, else Redis's TESTFAILED message.
 */
export function hllSelfTest(sparseMaxBytes: number, seed: number = (Math.random() * 0x100000000) >>> 0): string | null {
  // xorshift32 stands in for C's rand(): 16M draws, so it must be cheap.
  let state = seed >>> 0 || 1;
  const random32 = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  const dense = new Uint8Array(HLL_DENSE_SIZE);
  const bytecounters = new Uint8Array(HLL_REGISTERS);
  for (let j = 0; j < 1000; j++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = random32() & HLL_REGISTER_MAX;
      bytecounters[i] = r;
      denseSet(dense, HLL_HDR_SIZE, i, r);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const val = denseGet(dense, HLL_HDR_SIZE, i);
      if (val !== bytecounters[i]) return `TESTFAILED Register ${i} should be ${bytecounters[i]} but is ${val}`;
    }
  }

  dense.fill(0);
  let sparse: Uint8Array = new Uint8Array(Math.max(sparseMaxBytes, EMPTY_SPARSE_HLL.length) + 3);
  sparse.set(EMPTY_SPARSE_HLL);
  let sparseLen = EMPTY_SPARSE_HLL.length;
  let promoted: Uint8Array | null = null;
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  let checkpoint = 1;
  const seedLo = random32();
  const seedHi = random32();
  const ele = new Uint8Array(8);
  const view = new DataView(ele.buffer);
  view.setUint32(4, seedHi, true);
  const histogram = new Int32Array(64);
  const count = (bytes: Uint8Array, len: number): number => {
    histogram.fill(0);
    if (bytes[HLL_ENCODING_OFFSET] === HLL_SPARSE) sparseHistogram(bytes, 0, len, histogram);
    else denseHistogram(bytes, HLL_HDR_SIZE, histogram);
    return estimateFromHistogram(histogram);
  };
  for (let j = 1; j <= 10_000_000; j++) {
    view.setUint32(0, (j ^ seedLo) >>> 0, true);
    const pat = hllPatLen(ele, 0, 8);
    const index = pat >>> 6;
    const c = pat & 63;
    denseSetIfGreater(dense, HLL_HDR_SIZE, index, c);
    if (promoted !== null) denseSetIfGreater(promoted, HLL_HDR_SIZE, index, c);
    else {
      const result = sparseSet(sparse, sparseLen, index, c, sparseMaxBytes);
      if (result === SPARSE_PROMOTE) {
        promoted = new Uint8Array(HLL_DENSE_SIZE);
        sparseToDense(sparse, 0, sparseLen, promoted);
        denseSet(promoted, HLL_HDR_SIZE, index, c);
        sparse = promoted;
      } else if (result > 0) sparseLen = result;
    }
    if (j !== checkpoint) continue;
    if (j < sparseMaxBytes / 2 && promoted !== null) return "TESTFAILED sparse encoding not used";
    const estimate = count(dense, HLL_DENSE_SIZE);
    if (estimate !== count(sparse, promoted !== null ? HLL_DENSE_SIZE : sparseLen)) {
      return "TESTFAILED dense/sparse disagree";
    }
    const abserr = Math.abs(checkpoint - estimate);
    // Redis allows cardinality 10 an error of 1 only (collisions make more a false alarm there).
    const maxerr = j === 10 ? 1 : Math.ceil(relerr * 6 * checkpoint);
    if (abserr > maxerr) return `TESTFAILED Too big error. card:${checkpoint} abserr:${abserr}`;
    checkpoint *= 10;
  }
  return null;
}
