import { describe, expect, it } from "vitest";
import { addLongDouble, formatDouble, formatLongDouble, incrByFloat, parseLongDouble } from "../src/index.js";

describe("formatDouble prints like Redis 7.0's addReplyDouble (%.17g)", () => {
  // Pairs taken from redis-server 7.0.15 (ZADD then ZSCORE).
  const seen: [number, string][] = [
    [1.1, "1.1000000000000001"],
    [0.1, "0.10000000000000001"],
    [3, "3"],
    [-0, "-0"],
    [1e20, "1e+20"],
    [1.5e-7, "1.4999999999999999e-07"],
    [2 ** -25, "2.9802322387695312e-08"], // an exact tie: glibc rounds to even, toExponential up
    [123456789012345678, "1.2345678901234568e+17"],
    [1e-5, "1.0000000000000001e-05"],
    [0.0001, "0.0001"],
    [1e17, "1e+17"],
    [1e16, "10000000000000000"],
    [2 ** 56, "72057594037927936"],
    [5e-324, "4.9406564584124654e-324"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
    [NaN, "nan"],
  ];
  for (const [value, text] of seen) {
    it(`prints ${value} as ${text}`, () => expect(formatDouble(value)).toBe(text));
  }
});

describe("incrByFloat computes in 80-bit long double like INCRBYFLOAT", () => {
  // [stored value or null, increment, reply] from redis-server 7.0.15.
  const seen: [string | null, string, string][] = [
    ["10.5", "0.1", "10.6"],
    [null, "5.0e3", "5000"],
    ["0.1", "0.2", "0.3"],
    ["3", "-0.3", "2.7"],
    [null, "1e-4940", "0"],
    [null, "0x1.8p1", "3"],
    [null, "-1e-20", "0"],
    ["-0", "-0", "0"],
  ];
  for (const [current, increment, text] of seen) {
    it(`${current ?? "(none)"} + ${increment} = ${text}`, () => {
      expect(incrByFloat(current, increment)).toEqual({ ok: true, text });
    });
  }

  it("prints huge sums in full, as %.17Lf does", () => {
    const r = incrByFloat("1e300", "0");
    expect(r.ok && r.text.startsWith("1000000000000000000008997324079559193870523944273290747938260")).toBe(true);
    expect(r.ok && r.text.length).toBe(301);
  });

  it("refuses what string2ld refuses", () => {
    for (const bad of ["", " 1", "1 ", "abc", "1e", ".", "0x", "nan", "1e-5000", "1e5000", "1.5\0", "1".repeat(5120)]) {
      expect(parseLongDouble(bad), JSON.stringify(bad)).toBeNull();
      expect(incrByFloat(null, bad)).toEqual({ ok: false, error: "ERR value is not a valid float" });
    }
    expect(incrByFloat("x", "1")).toEqual({ ok: false, error: "ERR value is not a valid float" });
  });

  it("reports NaN and infinite results with Redis's error", () => {
    expect(incrByFloat(null, "inf")).toEqual({ ok: false, error: "ERR increment would produce NaN or Infinity" });
    expect(incrByFloat("1.18e4932", "1.18e4932")).toEqual({
      ok: false,
      error: "ERR increment would produce NaN or Infinity",
    });
    const sum = addLongDouble(parseLongDouble("inf")!, parseLongDouble("-inf")!);
    expect(sum.kind).toBe("nan");
  });

  it("accepts bytes as well as strings", () => {
    expect(incrByFloat(Buffer.from("1.5"), new Uint8Array(Buffer.from("2.25")))).toEqual({ ok: true, text: "3.75" });
    expect(formatLongDouble(parseLongDouble("-1.25")!)).toBe("-1.25");
  });
});
