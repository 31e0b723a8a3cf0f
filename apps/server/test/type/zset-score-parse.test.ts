import { describe, expect, it } from "vitest";
import { string2d } from "../../src/commands/support/numbers.js";
import { string2dFast } from "../../src/commands/zset/decimalScore.js";

const bytes = (s: string): Uint8Array => Buffer.from(s, "latin1");

/** The fast path must give exactly `string2d`'s double (and NaN where it refuses), byte for byte. */
function same(text: string): void {
  const b = bytes(text);
  const fast = string2dFast(b, 0, b.length);
  const slow = string2d(b, 0, b.length);
  if (Number.isNaN(slow)) expect(fast, text).toBeNaN();
  else expect(Object.is(fast, slow), `${text}: ${fast} vs ${slow}`).toBe(true);
}

describe("score parsing fast path (string2dFast)", () => {
  it("agrees with string2d on edge cases", () => {
    const cases = [
      "",
      "+",
      "-",
      ".",
      "0",
      "-0",
      "+0",
      "-0.0",
      "0.",
      ".5",
      "-.5",
      "1.",
      "00012",
      "007.5000",
      "1.5",
      "-1.5",
      "15.000000012345",
      "40.000000099999",
      "123456789012345",
      "1234567890123456",
      "9007199254740993",
      "0.1",
      "0.3",
      "2.675",
      "1e5",
      "1E-3",
      "inf",
      "-inf",
      "+Inf",
      "nan",
      "0x1p3",
      " 1",
      "1 ",
      "1..2",
      "1.2.3",
      "--1",
      "+-1",
      "1a",
      "0.0000000000000000000001",
      "0.00000000000000000000001",
      "1.00000000000000000000000",
      "12345.6789012345",
      "99999999999999.9",
      "0.000000000000001",
      "-9999999999999999999",
      "1.7976931348623157e308",
    ];
    for (const c of cases) same(c);
  });

  it("agrees with string2d on random decimals", () => {
    let seed = 12345;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let k = 0; k < 20000; k++) {
      let s = ["", "-", "+"][next(3)]!;
      const intDigits = next(12);
      for (let i = 0; i < intDigits; i++) s += String(next(10));
      if (next(3) > 0) {
        s += ".";
        const fracDigits = next(20);
        for (let i = 0; i < fracDigits; i++) s += String(next(10));
      }
      same(s);
    }
  });
});
