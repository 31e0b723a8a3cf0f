import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { denseGet, HLL_DENSE_SIZE, HLL_HDR_SIZE, HLL_REGISTERS } from "../../src/values/string/hyperloglogDense.js";
import {
  EMPTY_SPARSE_HLL,
  SPARSE_PROMOTE,
  SPARSE_UNCHANGED,
  sparseHistogram,
  sparseSet,
  sparseToDense,
} from "../../src/values/string/hyperloglogSparse.js";

/**
 * `sparseSet` against a plain array of 16384 registers: after any sequence of raises (indexes
 * clustered so ZERO, XZERO and VAL splits and merges all happen) the opcodes decode to the
 * model, cover exactly 16384 registers, stay within the byte limit, and report "unchanged"
 * exactly when the model says so.
 */

const raise = fc.record({
  index: fc.oneof(fc.integer({ min: 0, max: HLL_REGISTERS - 1 }), fc.integer({ min: 0, max: 80 }), fc.constant(16383)),
  count: fc.integer({ min: 1, max: 40 }),
});

describe("sparse HLL opcodes", () => {
  it("agree with a register array through splits, merges and promotion", () => {
    fc.assert(
      fc.property(fc.array(raise, { maxLength: 400 }), fc.integer({ min: 20, max: 3000 }), (raises, maxBytes) => {
        const model = new Uint8Array(HLL_REGISTERS);
        const buf = new Uint8Array(maxBytes + 3 + EMPTY_SPARSE_HLL.length);
        buf.set(EMPTY_SPARSE_HLL);
        let len = EMPTY_SPARSE_HLL.length;
        for (const { index, count } of raises) {
          const result = sparseSet(buf, len, index, count, maxBytes);
          if (result === SPARSE_PROMOTE) {
            expect(count > 32 || count > model[index]!).toBe(true);
            break;
          }
          if (count <= model[index]!) {
            expect(result).toBe(SPARSE_UNCHANGED);
            continue;
          }
          expect(result).toBeGreaterThan(0);
          model[index] = count;
          len = result;
          expect(len).toBeLessThanOrEqual(Math.max(maxBytes, EMPTY_SPARSE_HLL.length + 3));
        }
        const histogram = new Int32Array(64);
        expect(sparseHistogram(buf, 0, len, histogram)).toBe(true);
        const dense = new Uint8Array(HLL_DENSE_SIZE);
        expect(sparseToDense(buf, 0, len, dense)).toBe(true);
        for (let i = 0; i < HLL_REGISTERS; i++) {
          if (denseGet(dense, HLL_HDR_SIZE, i) !== model[i])
            expect(`register ${i}: ${denseGet(dense, HLL_HDR_SIZE, i)}`).toBe(`register ${i}: ${model[i]}`);
        }
      }),
      { numRuns: 200 },
    );
  });
});
