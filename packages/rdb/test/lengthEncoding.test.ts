import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodedLengthSize } from "../src/lengthEncoding.js";
import { RdbFormatError } from "../src/RdbFormatError.js";
import { RdbOutput } from "../src/RdbOutput.js";
import { RdbReader } from "../src/RdbReader.js";
import { writeLength } from "../src/stringEncoding.js";
import { fromHex, hex } from "./utils/bytes.js";

function encode(length: number): string {
  const out = new RdbOutput(1);
  writeLength(out, length);
  expect(out.length).toBe(encodedLengthSize(length));
  return hex(out.view());
}

describe("RDB length encoding", () => {
  it("uses 6 bits, 14 bits big-endian, 0x80 + 32 bits and 0x81 + 64 bits big-endian at Redis's boundaries", () => {
    expect(encode(0)).toBe("00");
    expect(encode(63)).toBe("3f");
    expect(encode(64)).toBe("4040");
    expect(encode(16383)).toBe("7fff");
    expect(encode(16384)).toBe("8000004000");
    expect(encode(0xffffffff)).toBe("80ffffffff");
    expect(encode(0x100000000)).toBe("810000000100000000");
    expect(encode(Number.MAX_SAFE_INTEGER)).toBe("81001fffffffffffff");
  });

  it("reads back every length it writes", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat({ max: 20000 }), fc.maxSafeNat())), (lengths) => {
        const out = new RdbOutput(4);
        for (const n of lengths) writeLength(out, n);
        const reader = new RdbReader(out.buffer, 0, out.length);
        for (const n of lengths) expect(reader.readLength()).toBe(n);
        expect(reader.remaining).toBe(0);
      }),
    );
  });

  it("rejects the unused length bytes 0x82–0xBF and truncated lengths", () => {
    for (const bytes of ["82", "bf", "40", "800000", "8100000000000000"]) {
      expect(() => new RdbReader(fromHex(bytes)).readLength(), bytes).toThrow(RdbFormatError);
    }
  });

  it("reads a special-encoding byte as its low 6 bits where a length is expected, as rdbLoadLen does", () => {
    expect(new RdbReader(fromHex("c5")).readLength()).toBe(5);
  });

  it("refuses 64-bit lengths beyond 2^53", () => {
    expect(() => new RdbReader(fromHex("810020000000000000")).readLength()).toThrow(RdbFormatError);
  });
});
