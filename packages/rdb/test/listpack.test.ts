import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ListpackBuilder } from "../src/listpack/ListpackBuilder.js";
import { ListpackReader, validateListpack } from "../src/listpack/ListpackReader.js";
import { backlenSize, putBacklen, readBacklen } from "../src/listpack/listpackFormat.js";
import { RdbFormatError } from "../src/RdbFormatError.js";
import { RdbOutput } from "../src/RdbOutput.js";
import { fromHex, hex, latin1 } from "./utils/bytes.js";
import { buildListpack, type Entry, readListpack } from "./utils/dumpModel.js";
import { INT64_MAX, INT64_MIN } from "./utils/encodingBoundaries.js";
import { normaliseEntry } from "./utils/listpackModel.js";

const entry: fc.Arbitrary<Entry> = fc.oneof(
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
  fc.bigInt({ min: -5000n, max: 5000n }),
  fc.uint8Array({ maxLength: 70 }),
  fc.uint8Array({ minLength: 4090, maxLength: 4200 }),
);

const one = (e: Entry): string => hex(buildListpack([e]));

describe("listpack", () => {
  it("encodes integers with Redis's smallest encoding at each boundary", () => {
    expect(one(0n)).toBe("0900000001000001ff");
    expect(one(127n)).toBe("0900000001007f01ff");
    expect(one(128n)).toBe("0a0000000100c08002ff");
    expect(one(-4096n)).toBe("0a0000000100d00002ff");
    expect(one(4096n)).toBe("0b0000000100f1001003ff");
    expect(one(-32769n)).toBe("0c0000000100f2ff7fff04ff");
    expect(one(8388608n)).toBe("0d0000000100f30000800005ff");
    expect(one(-2147483649n)).toBe("110000000100f4ffffff7fffffffff09ff");
  });

  it("encodes strings with 6-, 12- and 32-bit lengths and multi-byte backlens", () => {
    const lp = buildListpack([latin1("x".repeat(63)), latin1("y".repeat(64)), latin1("z".repeat(4096))]);
    const reader = new ListpackReader().reset(lp);
    const seen: [number, number][] = [];
    while (reader.next()) seen.push([lp[reader.entryStart]!, reader.entryEnd - reader.entryStart]);
    expect(seen).toEqual([
      [0x80 | 63, 1 + 63 + 1],
      [0xe0, 2 + 64 + 1],
      [0xf0, 5 + 4096 + 2],
    ]);
  });

  it("turns canonical integer strings into integers, like lpAppend", () => {
    expect(
      readListpack(buildListpack([latin1("12"), latin1("012"), latin1("-0"), latin1("9223372036854775808")])).map(
        (e) => (typeof e === "bigint" ? e : Buffer.from(e).toString()),
      ),
    ).toEqual([12n, "012", "-0", "9223372036854775808"]);
  });

  it("reads back what it builds", () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 30 }), (entries) => {
        const show = (e: Entry): string => (typeof e === "bigint" ? `int:${e}` : hex(e));
        expect(readListpack(buildListpack(entries)).map(show)).toEqual(entries.map(normaliseEntry).map(show));
      }),
      { numRuns: 200 },
    );
  });

  it("can keep an integer-looking string a string", () => {
    const b = new ListpackBuilder().begin();
    b.appendStringEntry(latin1("42"), 0, 2);
    expect(hex(b.finish())).toBe("0b000000010082343203ff");
  });

  it("caps the header count at 65535 and still counts entries when walking", () => {
    const b = new ListpackBuilder(new RdbOutput(1 << 18)).begin();
    for (let i = 0; i < 70000; i++) b.appendInteger(i % 100);
    const lp = b.finish();
    expect(lp[4]! | (lp[5]! << 8)).toBe(65535);
    expect(validateListpack(lp)).toBe(70000);
  });

  it("writes and reads backlens at Redis's size boundaries", () => {
    for (const size of [1, 127, 128, 16382, 16383, 2097150, 2097151, 268435454, 268435455, 2 ** 32 - 1]) {
      const buf = new Uint8Array(8);
      const end = putBacklen(buf, 1, size);
      expect(end - 1, `size ${size}`).toBe(backlenSize(size));
      expect(readBacklen(buf, end - 1, 1)).toBe(size);
    }
  });

  it("builds in the middle of an output, after other bytes", () => {
    const out = new RdbOutput(4);
    out.writeBytes(latin1("prefix"));
    const b = new ListpackBuilder(out).begin();
    b.appendString(latin1("abc"), 0, 3);
    const lp = b.finish();
    expect(hex(lp)).toBe(hex(buildListpack([latin1("abc")])));
    expect(Buffer.from(out.view().subarray(0, 6)).toString()).toBe("prefix");
  });

  it("rejects bad headers, bad terminators, wrong counts and broken entries", () => {
    const good = buildListpack([latin1("ab"), 300n]);
    expect(validateListpack(good)).toBe(2);
    const broken = (patch: (b: Uint8Array) => void): number => {
      const b = good.slice();
      patch(b);
      return validateListpack(b);
    };
    expect(broken((b) => (b[0] = b[0]! + 1))).toBe(-1); // total bytes
    expect(broken((b) => (b[4] = 3))).toBe(-1); // count
    expect(broken((b) => (b[b.length - 1] = 0))).toBe(-1); // terminator
    expect(broken((b) => (b[9] = 9))).toBe(-1); // backlen of "ab"
    expect(broken((b) => (b[6] = 0xf5))).toBe(-1); // unknown encoding
    expect(validateListpack(fromHex("0600000000"))).toBe(-1); // shorter than header + terminator
    expect(validateListpack(fromHex("070000000000ff"))).toBe(0);
  });

  it("never fails other than with RdbFormatError on mutated listpacks", () => {
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 4 }),
        (entries, edits) => {
          const lp = buildListpack(entries).slice();
          for (const [at, v] of edits) lp[at % lp.length] = v;
          try {
            const reader = new ListpackReader().reset(lp);
            while (reader.next());
          } catch (error) {
            expect(error).toBeInstanceOf(RdbFormatError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
