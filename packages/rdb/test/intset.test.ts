import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  IntsetEncoding,
  IntsetView,
  intsetEncodingOf,
  isValidIntset,
  writeIntset,
} from "../src/intset/intsetFormat.js";
import { RdbFormatError } from "../src/RdbFormatError.js";
import { RdbOutput } from "../src/RdbOutput.js";
import { fromHex, hex } from "./utils/bytes.js";

function build(values: (number | bigint)[]): Uint8Array {
  const out = new RdbOutput(1);
  writeIntset(out, values);
  return out.view().slice();
}

describe("intset", () => {
  it("uses the smallest encoding that holds every value", () => {
    expect(intsetEncodingOf(-32768)).toBe(IntsetEncoding.Int16);
    expect(intsetEncodingOf(32768)).toBe(IntsetEncoding.Int32);
    expect(intsetEncodingOf(-2147483649n)).toBe(IntsetEncoding.Int64);
    expect(hex(build([-7, 1, 2, 3]))).toBe("0200000004000000f9ff010002000300");
    expect(hex(build([1, 5000000000]))).toBe("0800000002000000010000000000000000f2052a01000000");
  });

  it("reads back sorted distinct int64 values", () => {
    const values = fc.uniqueArray(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), {
      minLength: 1,
      maxLength: 40,
    });
    fc.assert(
      fc.property(values, (vs) => {
        const sorted = [...vs].sort((a, b) => (a < b ? -1 : 1));
        const view = new IntsetView(build(sorted));
        expect(Array.from({ length: view.length }, (_, i) => view.getBigInt(i))).toEqual(sorted);
        for (let i = 0; i < view.length; i++) {
          if (sorted[i]! >= -(2n ** 53n) && sorted[i]! <= 2n ** 53n) expect(view.get(i)).toBe(Number(sorted[i]));
        }
      }),
    );
  });

  it("refuses unsorted input when writing", () => {
    expect(() => build([2, 1])).toThrow(RangeError);
    expect(() => build([1, 1])).toThrow(RangeError);
  });

  it("validates like intsetValidateIntegrity: encoding, size, not empty, ascending", () => {
    expect(isValidIntset(fromHex("02000000010000000500"))).toBe(true);
    expect(isValidIntset(fromHex("0300000001000000050000"))).toBe(false); // encoding 3
    expect(isValidIntset(fromHex("02000000020000000500"))).toBe(false); // size vs count
    expect(isValidIntset(fromHex("0200000000000000"))).toBe(false); // empty
    expect(isValidIntset(fromHex("020000000200000005000500"))).toBe(false); // duplicate
    expect(isValidIntset(fromHex("020000000200000005000400"), 0, 12, false)).toBe(true); // shallow
    expect(isValidIntset(fromHex("020000000200000005000400"))).toBe(false); // descending
    expect(() => new IntsetView(fromHex("0200000000000000"))).toThrow(RdbFormatError);
  });

  it("orders 64-bit values exactly when validating, beyond double precision", () => {
    const close = build([2n ** 60n, 2n ** 60n + 1n]);
    expect(isValidIntset(close)).toBe(true);
    const swapped = close.slice();
    swapped.set(close.subarray(16, 24), 8);
    swapped.set(close.subarray(8, 16), 16);
    expect(isValidIntset(swapped)).toBe(false);
  });
});
