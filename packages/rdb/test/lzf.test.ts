import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LZF_CORRUPT_INPUT, LZF_OUTPUT_TOO_SMALL, lzfCompress, lzfDecompress } from "../src/lzf.js";
import { anyBytes, compressibleBytes } from "./utils/arbitraries.js";
import { fromHex, hex, latin1 } from "./utils/bytes.js";

const SENTINEL = 0xa5;

function compress(input: Uint8Array, limit = input.length + 64): Uint8Array | null {
  const out = new Uint8Array(limit + 16).fill(SENTINEL);
  const n = lzfCompress(input, 0, input.length, out, 8, limit);
  for (let i = 0; i < 8; i++) expect(out[i]).toBe(SENTINEL);
  for (let i = 8 + limit; i < out.length; i++) expect(out[i]).toBe(SENTINEL);
  return n === 0 ? null : out.slice(8, 8 + n);
}

describe("lzf", () => {
  it("compresses a run the way Redis does (never referring back to the first byte)", () => {
    // DUMP of 21 'a's in Redis 7.0: c3 06 15 | 01 61 61 e0 0a 00 — two literals, then 19 bytes
    // at distance 1; liblzf's `ref > in_data` keeps position 0 from being a match source.
    expect(hex(compress(latin1("a".repeat(21)))!)).toBe("016161e00a00");
  });

  it("round-trips any bytes through compress and decompress", () => {
    fc.assert(
      fc.property(anyBytes, (input) => {
        const packed = compress(input);
        if (input.length === 0) {
          expect(packed).toBeNull();
          return;
        }
        const out = new Uint8Array(input.length);
        expect(lzfDecompress(packed!, 0, packed!.length, out, 0, out.length)).toBe(input.length);
        expect(hex(out)).toBe(hex(input));
      }),
      { numRuns: 400 },
    );
  });

  it("compresses from and into the middle of larger arrays", () => {
    fc.assert(
      fc.property(compressibleBytes, fc.uint8Array({ maxLength: 30 }), (input, prefix) => {
        const src = new Uint8Array(prefix.length + input.length + 7);
        src.set(prefix);
        src.set(input, prefix.length);
        const alone = compress(input);
        const out = new Uint8Array(input.length + 100);
        const n = lzfCompress(src, prefix.length, input.length, out, 50, input.length + 40);
        expect(n === 0 ? null : hex(out.subarray(50, 50 + n))).toBe(alone === null ? null : hex(alone));
      }),
      { numRuns: 200 },
    );
  });

  it("returns 0 instead of overflowing a too-small output, and never writes past it", () => {
    fc.assert(
      fc.property(anyBytes, fc.nat(), (input, cut) => {
        const full = compress(input);
        if (full === null) return;
        const limit = cut % (full.length + 1);
        const packed = compress(input, limit);
        if (packed !== null) expect(hex(packed)).toBe(hex(full));
      }),
      { numRuns: 300 },
    );
  });

  it("reports an output too small to decompress into", () => {
    const packed = compress(latin1("hello hello hello hello"))!;
    expect(lzfDecompress(packed, 0, packed.length, new Uint8Array(10), 0, 10)).toBe(LZF_OUTPUT_TOO_SMALL);
  });

  it("reports truncated input and references before the output start", () => {
    expect(lzfDecompress(fromHex("05616263"), 0, 4, new Uint8Array(10), 0, 10)).toBe(LZF_CORRUPT_INPUT);
    expect(lzfDecompress(fromHex("00612001"), 0, 4, new Uint8Array(10), 0, 10)).toBe(LZF_CORRUPT_INPUT);
    expect(lzfDecompress(fromHex("0061e0"), 0, 3, new Uint8Array(10), 0, 10)).toBe(LZF_CORRUPT_INPUT);
  });

  it("never reads or writes outside its ranges on random input", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat({ max: 600 }), (input, outLength) => {
        const out = new Uint8Array(outLength + 8).fill(SENTINEL);
        const n = lzfDecompress(input, 0, input.length, out, 4, outLength);
        expect(n).toBeGreaterThanOrEqual(LZF_CORRUPT_INPUT);
        expect(n).toBeLessThanOrEqual(outLength);
        for (let i = 0; i < 4; i++) expect(out[i]).toBe(SENTINEL);
        for (let i = 4 + outLength; i < out.length; i++) expect(out[i]).toBe(SENTINEL);
      }),
      { numRuns: 1000 },
    );
  });
});
