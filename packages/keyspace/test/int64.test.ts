import * as int64 from "@nedis/resp-codec/int64";
import { describe, expect, it } from "vitest";
import * as keyspace from "../src/index.js";

// The behaviour is tested where it lives: packages/resp-codec/test/int64.test.ts.
describe("int64 in the keyspace", () => {
  it("is the codec's one implementation, under the names the server imports", () => {
    for (const name of [
      "BEYOND_SAFE",
      "LLONG_MAX",
      "LLONG_MIN",
      "intTextLength",
      "isLongLong",
      "parseLongLong",
      "parseLongLongBig",
      "writeInt",
    ] as const) {
      expect(keyspace[name], name).toBe(int64[name]);
    }
  });

  it("keeps the int encoding's rule: canonical int64 text only", () => {
    const isInt = (s: string): boolean => keyspace.isLongLong(Buffer.from(s), 0, s.length);
    expect(["0", "-1", "9223372036854775807", "-9223372036854775808"].map(isInt)).toEqual([true, true, true, true]);
    expect(["01", "-0", "+1", " 1", "9223372036854775808"].map(isInt)).toEqual([false, false, false, false, false]);
  });
});
