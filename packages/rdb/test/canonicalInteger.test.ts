import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCanonicalInteger, writeDecimal } from "../src/canonicalInteger.js";
import { latin1 } from "./utils/bytes.js";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const parse = (s: string): number | bigint | null => {
  const b = latin1(s);
  return parseCanonicalInteger(b, 0, b.length);
};

/** What Redis's string2ll accepts, stated plainly: the round trip through int64 is identity. */
function reference(s: string): bigint | null {
  if (!/^-?[0-9]+$/.test(s)) return null;
  const v = BigInt(s);
  return v.toString() === s && v >= INT64_MIN && v <= INT64_MAX ? v : null;
}

describe("parseCanonicalInteger", () => {
  it("parses every int64 from its decimal form, as a number when safe and a bigint beyond", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), (v) => {
        const parsed = parse(v.toString());
        expect(BigInt(parsed!)).toBe(v);
        expect(typeof parsed).toBe(v >= -(2n ** 53n) + 1n && v <= 2n ** 53n - 1n ? "number" : "bigint");
      }),
    );
  });

  it("rejects what Redis's string2ll rejects", () => {
    for (const s of ["", "-", "+1", "01", "-0", "00", " 1", "1 ", "1.0", "1e3", "0x1", "9223372036854775808", "-9223372036854775809", "123456789012345678901"]) {
      expect(parse(s), s).toBeNull();
    }
  });

  it("agrees with the round-trip definition on digit-heavy strings", () => {
    const digits = fc.stringMatching(/^-?[0-9]{0,21}$/);
    fc.assert(
      fc.property(digits, (s) => {
        const expected = reference(s);
        const parsed = parse(s);
        expect(parsed === null ? null : BigInt(parsed)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("writes the decimal digits of numbers and bigints", () => {
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeInteger(), fc.bigInt({ min: INT64_MIN, max: INT64_MAX })), (v) => {
        const out = new Uint8Array(24);
        const n = writeDecimal(out, 2, v);
        expect(Buffer.from(out.subarray(2, 2 + n)).toString("latin1")).toBe(v.toString());
      }),
    );
  });
});
