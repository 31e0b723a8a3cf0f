import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Crc64, crc64, crc64Bytewise } from "../src/crc64.js";
import { latin1 } from "./utils/bytes.js";

describe("crc64", () => {
  it('gives Redis\'s test vector: crc64(0, "123456789") = 0xe9c6d914c4b8d9ca', () => {
    expect(crc64(latin1("123456789"))).toBe(0xe9c6d914c4b8d9can);
  });

  it("is 0 for no bytes", () => {
    expect(crc64(new Uint8Array(0))).toBe(0n);
  });

  it("agrees with the byte-at-a-time table algorithm on any bytes and range (slice-by-8)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const start = bytes.length === 0 ? 0 : a % bytes.length;
        const end = start + (bytes.length === 0 ? 0 : b % (bytes.length - start + 1));
        expect(crc64(bytes, start, end)).toBe(crc64Bytewise(bytes, start, end));
      }),
      { numRuns: 500 },
    );
  });

  it("gives the same CRC fed in pieces as in one go", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(), { maxLength: 6 }), (bytes, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y);
        const crc = new Crc64();
        let from = 0;
        for (const p of [...points, bytes.length]) {
          crc.update(bytes, from, p);
          from = p;
        }
        expect(crc.value()).toBe(crc64(bytes));
      }),
    );
  });

  it("writes itself little-endian and recognises those 8 bytes", () => {
    const crc = new Crc64().update(latin1("123456789"));
    const out = new Uint8Array(10);
    crc.writeLE(out, 1);
    expect(Buffer.from(out.subarray(1, 9)).toString("hex")).toBe("cad9b8c414d9c6e9");
    expect(crc.equalsLE(out, 1)).toBe(true);
    out[8] = out[8]! ^ 1;
    expect(crc.equalsLE(out, 1)).toBe(false);
  });
});
