import * as int64 from "@nedis/resp-codec/int64";
import { describe, expect, it } from "vitest";
import * as canonical from "../src/canonicalInteger.js";
import { latin1 } from "./utils/bytes.js";

// The behaviour is tested where it lives: packages/resp-codec/test/int64.test.ts.
describe("canonicalInteger", () => {
  it("is the codec's one implementation of string2ll and the integer writer", () => {
    expect(canonical.parseCanonicalInteger).toBe(int64.parseCanonicalInteger);
    expect(canonical.writeDecimal).toBe(int64.writeDecimal);
    expect(canonical.isInt64).toBe(int64.isInt64);
  });

  it("gives numbers when safe, bigints beyond, null for non-canonical text", () => {
    const parse = (s: string): number | bigint | null => canonical.parseCanonicalInteger(latin1(s), 0, s.length);
    expect(["12", "-9223372036854775808", "012", "+1"].map(parse)).toEqual([12, -(2n ** 63n), null, null]);
  });
});
