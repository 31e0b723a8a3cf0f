import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { intTextLength, parseLongLong, writeInt } from "../src/index.js";

const text = (n: number): string => {
  const out = new Uint8Array(24);
  const len = writeInt(n, out, 2);
  return Buffer.from(out.subarray(2, 2 + len)).toString("latin1");
};

describe("writeInt and intTextLength", () => {
  it("write every safe integer as String() does, at the length intTextLength gives", () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.integer({ min: -1e6, max: 1e6 })), (n) => {
        expect(text(n)).toBe(String(n));
        expect(intTextLength(n)).toBe(String(n).length);
      }),
      { numRuns: 20_000 },
    );
  });

  it("get the digit count right at every power of ten and at the int32 and safe-integer edges", () => {
    const edges = [0, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
    for (let k = 1; k <= 15; k++) edges.push(10 ** k - 1, 10 ** k, 10 ** k + 1, -(10 ** k), -(10 ** k) + 1);
    for (const n of edges) {
      expect(text(n)).toBe(String(n));
      expect(intTextLength(n)).toBe(String(n).length);
      const bytes = Buffer.from(String(n), "latin1");
      expect(parseLongLong(bytes, 0, bytes.length)).toBe(n === 0 ? 0 : n);
    }
  });
});
