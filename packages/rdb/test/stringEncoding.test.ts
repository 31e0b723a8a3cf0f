import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RdbStringEncoding } from "../src/constants.js";
import { RdbFormatError } from "../src/RdbFormatError.js";
import { RdbOutput } from "../src/RdbOutput.js";
import { RdbReader } from "../src/RdbReader.js";
import { maxEncodedStringSize, writeIntegerString, writeLzfBlob, writeString } from "../src/stringEncoding.js";
import { anyBytes } from "./utils/arbitraries.js";
import { fromHex, hex, latin1 } from "./utils/bytes.js";

function encode(text: string | Uint8Array, compress = true): string {
  const bytes = typeof text === "string" ? latin1(text) : text;
  const out = new RdbOutput(1);
  writeString(out, bytes, 0, bytes.length, compress);
  return hex(out.view());
}

describe("RDB strings", () => {
  it("encodes canonical integers of at most 11 bytes that fit int32 as int8/16/32", () => {
    expect(encode("0")).toBe("c000");
    expect(encode("-128")).toBe("c080");
    expect(encode("128")).toBe("c18000");
    expect(encode("-32769")).toBe("c2ff7fffff");
    expect(encode("-1234567890")).toBe("c22efd69b6");
    expect(encode("2147483648")).toBe(`0a${hex(latin1("2147483648"))}`);
  });

  it("stores non-canonical integers verbatim", () => {
    for (const s of ["01", "+1", "-0", " 1", "1.5", "00"]) expect(encode(s), s).toBe(`0${s.length}${hex(latin1(s))}`);
  });

  it("compresses only strings over 20 bytes, and only when LZF saves 4 bytes", () => {
    expect(encode("a".repeat(20))).toBe(`14${"61".repeat(20)}`);
    expect(encode("a".repeat(21))).toBe("c30615016161e00a00");
    expect(encode("a".repeat(21), false)).toBe(`15${"61".repeat(21)}`);
    const incompressible = "abcdefghijklmnopqrstuvwxyz";
    expect(encode(incompressible)).toBe(`1a${hex(latin1(incompressible))}`);
  });

  it("writes an integer exactly as it writes its canonical decimal form", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
        (v) => {
          const out = new RdbOutput(1);
          writeIntegerString(out, v);
          expect(hex(out.view())).toBe(encode(v.toString()));
        },
      ),
    );
  });

  it("reads back any bytes it writes, compressed or not", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(anyBytes, fc.boolean()), { maxLength: 4 }), (items) => {
        const out = new RdbOutput(16);
        for (const [bytes, compress] of items) writeString(out, bytes, 0, bytes.length, compress);
        const reader = new RdbReader(out.buffer, 0, out.length);
        for (const [bytes] of items) {
          reader.readString();
          expect(hex(reader.stringBytes.subarray(reader.stringStart, reader.stringEnd))).toBe(hex(bytes));
        }
        expect(reader.remaining).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it("never writes more than maxEncodedStringSize", () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        const out = new RdbOutput(1);
        writeString(out, bytes, 0, bytes.length);
        expect(out.length).toBeLessThanOrEqual(maxEncodedStringSize(bytes.length));
      }),
      { numRuns: 300 },
    );
  });

  it("returns raw strings as views of the source, without copying", () => {
    const source = fromHex("0568656c6c6f");
    const reader = new RdbReader(source);
    reader.readString();
    expect(reader.stringEncoding).toBe(RdbStringEncoding.Raw);
    expect(reader.stringBytes).toBe(source);
    expect([reader.stringStart, reader.stringEnd]).toEqual([1, 6]);
  });

  it("reports the integer of int-encoded strings and renders its digits", () => {
    const reader = new RdbReader(fromHex("c22efd69b6c0ff"));
    reader.readString();
    expect(reader.stringEncoding).toBe(RdbStringEncoding.Int32);
    expect(reader.integer).toBe(-1234567890);
    expect(Buffer.from(reader.readStringCopy()).toString()).toBe("-1");
    expect(reader.integer).toBe(-1);
  });

  it("writes pre-compressed blobs that read back as their original bytes", () => {
    const out = new RdbOutput(1);
    writeLzfBlob(out, fromHex("016161e00a00"), 0, 6, 21);
    expect(hex(out.view())).toBe("c30615016161e00a00");
    expect(Buffer.from(new RdbReader(out.view()).readStringCopy()).toString()).toBe("a".repeat(21));
  });

  it("rejects truncated strings, unknown encodings and corrupt LZF data", () => {
    for (const bytes of [
      "05616263",
      "c0",
      "c1ff",
      "c2ffffff",
      "c4",
      "c3",
      "c30515016161e0",
      "c3061501616120ff00",
      "c30615016161e00a",
    ]) {
      expect(() => new RdbReader(fromHex(bytes)).readString(), bytes).toThrow(RdbFormatError);
    }
  });

  it("loads an LZF string declared empty as empty whatever its data, as Redis does", () => {
    const reader = new RdbReader(fromHex("c30200ffff"));
    reader.readString();
    expect(reader.stringEnd - reader.stringStart).toBe(0);
  });
});
