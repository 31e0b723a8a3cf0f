import { describe, expect, it } from "vitest";
import { asciiEqualsLower } from "../src/index.js";

describe("asciiEqualsLower", () => {
  const b = Buffer.from("xxGeT-yy", "latin1");
  it("matches a byte range against a lowercase name, ignoring ASCII case", () => {
    expect(asciiEqualsLower(b, 2, 3, "get")).toBe(true);
    expect(asciiEqualsLower(b, 2, 3, "set")).toBe(false);
    expect(asciiEqualsLower(b, 2, 4, "get")).toBe(false);
  });
  it("folds only A–Z: other bytes must be equal", () => {
    // '-' (0x2d) | 0x20 is 0x2d, '[' (0x5b) is not folded to '{' (0x7b)
    expect(asciiEqualsLower(Buffer.from("["), 0, 1, "{")).toBe(false);
    expect(asciiEqualsLower(Buffer.from([0xc9]), 0, 1, "\u00e9")).toBe(false);
  });
});
