import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RdbType } from "../src/constants.js";
import { dumpIntegerString, dumpString, openDumpPayload, verifyDumpPayload } from "../src/dumpPayload.js";
import { RdbFormatError } from "../src/RdbFormatError.js";
import { RdbOutput } from "../src/RdbOutput.js";
import { RdbReader } from "../src/RdbReader.js";
import { anyBytes } from "./utils/arbitraries.js";
import { fromHex, hex, latin1 } from "./utils/bytes.js";

function dump(bytes: Uint8Array): Uint8Array {
  const out = new RdbOutput(1);
  dumpString(out, bytes, 0, bytes.length);
  return out.view();
}

describe("DUMP payloads", () => {
  it("frame a value as type, value, version 10 little-endian and CRC64 little-endian", () => {
    // redis-cli SET k a && redis-cli DUMP k (Redis 7.0.15)
    expect(hex(dump(latin1("a")))).toBe("0001610a00bffeef9b8f367db4");
  });

  it("dump an integer like its decimal string", () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })), (v) => {
        const out = new RdbOutput(1);
        dumpIntegerString(out, v);
        expect(hex(out.view())).toBe(hex(dump(latin1(v.toString()))));
      }),
    );
  });

  it("verify their own payloads and return the RDB version", () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        const payload = dump(bytes);
        expect(verifyDumpPayload(payload)).toBe(10);
      }),
      { numRuns: 100 },
    );
  });

  it("fail verification when any bit is flipped", () => {
    fc.assert(
      fc.property(anyBytes, fc.nat(), fc.nat({ max: 7 }), (bytes, at, bit) => {
        const payload = dump(bytes).slice();
        const i = at % payload.length;
        payload[i] = payload[i]! ^ (1 << bit);
        // A flip in the version byte may still give a valid version, but then the CRC differs.
        expect(verifyDumpPayload(payload)).toBe(-1);
      }),
      { numRuns: 300 },
    );
  });

  it("reject payloads shorter than the footer and versions newer than allowed", () => {
    expect(verifyDumpPayload(new Uint8Array(9))).toBe(-1);
    const out = new RdbOutput(1);
    dumpString(out, latin1("x"), 0, 1);
    const payload = out.view();
    expect(verifyDumpPayload(payload, 0, payload.length, { maxVersion: 9 })).toBe(-1);
  });

  it("accept older versions and, when asked, skip the checksum", () => {
    const payload = fromHex("0001610900" + "0000000000000000");
    expect(verifyDumpPayload(payload)).toBe(-1);
    expect(verifyDumpPayload(payload, 0, payload.length, { skipChecksum: true })).toBe(9);
  });

  it("verify a payload in the middle of a larger buffer", () => {
    const payload = dump(latin1("hello"));
    const framed = new Uint8Array(payload.length + 6);
    framed.set(payload, 3);
    expect(verifyDumpPayload(framed, 3, 3 + payload.length)).toBe(10);
  });

  it("open a payload at its type byte and read the value", () => {
    const payload = dump(latin1("hello world"));
    const reader = new RdbReader();
    expect(openDumpPayload(reader, payload)).toBe(RdbType.String);
    expect(Buffer.from(reader.readStringCopy()).toString()).toBe("hello world");
  });

  it("refuse a payload whose type byte is not an object type", () => {
    expect(() => openDumpPayload(new RdbReader(), fromHex("08000a00"))).toThrow(RdbFormatError);
    expect(() => openDumpPayload(new RdbReader(), fromHex("fe000a00"))).toThrow(RdbFormatError);
  });
});
