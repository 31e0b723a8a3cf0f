import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatMemoryForRewrite,
  formatPercentile,
  memtoull,
  string2d,
  string2ll,
  strtollWhole,
} from "../src/config/numbers.js";

describe("string2ll (integer options)", () => {
  it("accepts plain decimal integers in 64-bit range", () => {
    expect(string2ll("0")).toBe(0n);
    expect(string2ll("-42")).toBe(-42n);
    expect(string2ll("9223372036854775807")).toBe(9223372036854775807n);
    expect(string2ll("-9223372036854775808")).toBe(-9223372036854775808n);
  });

  it("rejects signs, leading zeros, spaces, overflow and the empty string", () => {
    for (const bad of ["+5", "007", "-0", " 5", "5 ", "", "1e3", "9223372036854775808", "0x10"]) {
      expect(string2ll(bad), bad).toBeNull();
    }
  });

  it("round-trips every 64-bit integer", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (n) => string2ll(n.toString()) === n),
    );
  });
});

describe("memtoull (memory options)", () => {
  it("knows Redis's units, in any case", () => {
    expect(memtoull("5")).toBe(5n);
    expect(memtoull("5b")).toBe(5n);
    expect(memtoull("1k")).toBe(1000n);
    expect(memtoull("1KB")).toBe(1024n);
    expect(memtoull("2m")).toBe(2_000_000n);
    expect(memtoull("2mb")).toBe(2n * 1024n * 1024n);
    expect(memtoull("1G")).toBe(1_000_000_000n);
    expect(memtoull("1gb")).toBe(1024n ** 3n);
  });

  it("reads no digits as zero and allows leading zeros, like Redis 7.0", () => {
    expect(memtoull("")).toBe(0n);
    expect(memtoull("mb")).toBe(0n);
    expect(memtoull("007")).toBe(7n);
  });

  it("rejects signs, fractions and unknown units", () => {
    for (const bad of ["-1", "+1", "1.5gb", "1tb", "1 mb", "abc"]) expect(memtoull(bad), bad).toBeNull();
  });

  it("saturates the digits at 2^64-1 and wraps the product", () => {
    expect(memtoull("99999999999999999999")).toBe((1n << 64n) - 1n);
    expect(memtoull("18446744073709551615kb")).toBe((((1n << 64n) - 1n) * 1024n) % (1n << 64n));
  });

  it("multiplies by the unit for any safe count", () => {
    const units: [string, bigint][] = [
      ["", 1n],
      ["k", 1000n],
      ["kb", 1024n],
      ["mb", 1048576n],
      ["gb", 1073741824n],
    ];
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.constantFrom(...units),
        (n, [unit, mul]) => memtoull(`${n}${unit}`) === BigInt(n) * mul,
      ),
    );
  });
});

describe("string2d and the percentile printer", () => {
  it("parses what strtod parses, whole", () => {
    expect(string2d("99.9")).toBe(99.9);
    expect(string2d("1e1")).toBe(10);
    expect(string2d(".5")).toBe(0.5);
    expect(string2d("1.")).toBe(1);
    expect(string2d("+5")).toBe(5);
    expect(string2d("0x10")).toBe(16);
    expect(string2d("inf")).toBe(Infinity);
    for (const bad of ["", " 5", "5 ", "nan", "abc", "1e400"]) expect(string2d(bad), bad).toBeNull();
  });

  it("prints %f trimmed of trailing zeros", () => {
    expect(formatPercentile(50)).toBe("50");
    expect(formatPercentile(99.9)).toBe("99.9");
    expect(formatPercentile(99.99)).toBe("99.99");
    expect(formatPercentile(0.1234567)).toBe("0.123457");
    expect(formatPercentile(-0)).toBe("-0");
  });
});

describe("config rewrite number formats", () => {
  it("uses the largest of gb, mb, kb that divides the value", () => {
    expect(formatMemoryForRewrite(0)).toBe("0");
    expect(formatMemoryForRewrite(1000)).toBe("1000");
    expect(formatMemoryForRewrite(2048)).toBe("2kb");
    expect(formatMemoryForRewrite(64 * 1024 * 1024)).toBe("64mb");
    expect(formatMemoryForRewrite(3 * 1024 ** 3)).toBe("3gb");
    expect(formatMemoryForRewrite(9223372036854775807n)).toBe("9223372036854775807");
  });

  it("strtoll accepts what C accepts: blanks, signs, leading zeros, and the empty string as 0", () => {
    expect(strtollWhole(" +03")).toBe(3);
    expect(strtollWhole("-1")).toBe(-1);
    expect(strtollWhole("")).toBe(0);
    expect(strtollWhole("1 ")).toBeNull();
    expect(strtollWhole("x")).toBeNull();
  });
});
