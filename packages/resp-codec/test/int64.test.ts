import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BEYOND_SAFE,
  intTextLength,
  isInt64,
  isLongLong,
  LLONG_MAX,
  LLONG_MIN,
  parseCanonicalInteger,
  parseInteger,
  parseLongLong,
  parseLongLongBig,
  writeDecimal,
  writeInt,
} from "../src/int64.js";

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const at = (s: string): [Buffer, number, number] => {
  // Surrounded by digits, so a parser reading past its range would notice.
  const b = Buffer.from(`77${s}77`, "latin1");
  return [b, 2, 2 + s.length];
};

/** What Redis's string2ll accepts, stated plainly: the round trip through int64 is identity. */
function reference(s: string): bigint | null {
  if (!/^-?[0-9]+$/.test(s)) return null;
  const v = BigInt(s);
  return v.toString() === s && v >= LLONG_MIN && v <= LLONG_MAX ? v : null;
}

const REJECTED = [
  "",
  "-",
  "+1",
  "01",
  "-0",
  "00",
  " 1",
  "1 ",
  "1.0",
  "1e3",
  "0x1",
  "--1",
  "9223372036854775808",
  "-9223372036854775809",
  "123456789012345678901",
  "99999999999999999999",
  "-99999999999999999999",
];

describe("string2ll", () => {
  it("agrees with the round-trip definition in every form", () => {
    const texts = fc.oneof(
      fc.stringMatching(/^-?[0-9]{0,21}$/),
      fc.bigInt({ min: LLONG_MIN, max: LLONG_MAX }).map(String),
      fc.constantFrom(
        ...REJECTED,
        "9223372036854775807",
        "-9223372036854775808",
        "9007199254740991",
        "9007199254740992",
        "-9007199254740991",
        "-9007199254740992",
      ),
    );
    fc.assert(
      fc.property(texts, (s) => {
        const expected = reference(s);
        const n = parseLongLong(...at(s));
        const safe = expected !== null && expected >= -SAFE && expected <= SAFE;
        expect(Number.isNaN(n)).toBe(expected === null);
        if (safe) expect(n).toBe(Number(expected));
        else if (expected !== null) expect(n).toBe(BEYOND_SAFE);
        expect(parseLongLongBig(...at(s))).toBe(expected);
        expect(isLongLong(...at(s))).toBe(expected !== null);
        const canonical = parseCanonicalInteger(...at(s));
        expect(canonical === null ? null : BigInt(canonical)).toBe(expected);
        if (canonical !== null) expect(typeof canonical).toBe(safe ? "number" : "bigint");
        const integer = parseInteger(...at(s));
        if (safe) expect(integer).toBe(Number(expected));
        else expect(integer).toBeNaN();
      }),
      { numRuns: 5000 },
    );
  });

  it("rejects what Redis's string2ll rejects", () => {
    for (const s of REJECTED) {
      expect(parseLongLong(...at(s)), s).toBeNaN();
      expect(parseCanonicalInteger(...at(s)), s).toBeNull();
    }
  });

  it("tells int64 values apart from the rest", () => {
    expect([LLONG_MAX, LLONG_MIN, 0n, 1, -(2 ** 53) + 1].map(isInt64)).toEqual([true, true, true, true, true]);
    expect([LLONG_MAX + 1n, LLONG_MIN - 1n, 2 ** 53, 1.5, NaN].map(isInt64)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe("writeInt, writeDecimal and intTextLength", () => {
  const text = (n: number): string => {
    const out = new Uint8Array(24);
    const len = writeInt(n, out, 2);
    return Buffer.from(out.subarray(2, 2 + len)).toString("latin1");
  };

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
    const edges = [
      0,
      2 ** 31 - 1,
      2 ** 31,
      -(2 ** 31),
      -(2 ** 31) - 1,
      2 ** 32,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
    ];
    for (let k = 1; k <= 15; k++) edges.push(10 ** k - 1, 10 ** k, 10 ** k + 1, -(10 ** k), -(10 ** k) + 1);
    for (const n of edges) {
      expect(text(n)).toBe(String(n));
      expect(intTextLength(n)).toBe(String(n).length);
      expect(parseLongLong(...at(String(n)))).toBe(n === 0 ? 0 : n);
    }
  });

  it("write the decimal digits of numbers and bigints", () => {
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeInteger(), fc.bigInt({ min: LLONG_MIN, max: LLONG_MAX })), (v) => {
        const out = new Uint8Array(24);
        const n = writeDecimal(out, 2, v);
        expect(Buffer.from(out.subarray(2, 2 + n)).toString("latin1")).toBe(v.toString());
      }),
    );
  });
});
