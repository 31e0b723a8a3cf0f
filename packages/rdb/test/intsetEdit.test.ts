import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  IntsetEncoding,
  intsetAdd,
  intsetAddSize,
  intsetBlobLen,
  intsetEncoding,
  intsetEncodingOf,
  intsetFind,
  intsetGet,
  intsetGetBigInt,
  intsetLen,
  intsetNew,
  intsetRemove,
  intsetRemoveSize,
  intsetSearch,
  intsetValidateIntegrity,
  writeIntset,
} from "../src/intset/index.js";
import { RdbOutput } from "../src/RdbOutput.js";
import { hex } from "./utils/bytes.js";
import { int64 } from "./utils/encodingBoundaries.js";
import { fuzzRuns } from "./utils/fuzzRuns.js";

type Op = { kind: "add"; value: bigint } | { kind: "remove"; value: bigint } | { kind: "removeMember"; at: number };
type Mode = "inPlace" | "copy";

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("add" as const), value: int64 }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("remove" as const), value: int64 }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("removeMember" as const), at: fc.nat() }) },
);

const SAFE = 2n ** 53n - 1n;
/** The value as callers pass it: a number when safe (a bigint when `preferBigInt`). */
const asInt = (v: bigint, preferBigInt: boolean): number | bigint =>
  preferBigInt || v > SAFE || v < -SAFE ? v : Number(v);

function expected(sorted: bigint[], encoding: IntsetEncoding): string {
  const out = new RdbOutput(16);
  writeIntset(out, sorted, encoding);
  return hex(out.view());
}

const PREFIX = 3;

function run(ops: [Op, Mode, number][]): void {
  let buf = new Uint8Array(PREFIX + 8).fill(0xee);
  let off = PREFIX;
  intsetNew(buf, off);
  const model = new Set<bigint>();
  let encoding: IntsetEncoding = IntsetEncoding.Int16; // Redis widens, never narrows
  for (const [o, mode, slack] of ops) {
    const sortedBefore = [...model].sort((a, b) => (a < b ? -1 : 1));
    const value = o.kind === "removeMember" ? sortedBefore[o.at % Math.max(1, sortedBefore.length)] : o.value;
    if (value === undefined) continue;
    const arg = asInt(value, slack % 2 === 1);
    const adding = o.kind === "add";
    const changes = adding ? !model.has(value) : model.has(value);
    const size = adding ? intsetAddSize(buf, off, arg) : intsetRemoveSize(buf, off, arg);
    const edit = adding ? intsetAdd : intsetRemove;
    let changed: boolean;
    if (mode === "inPlace") {
      if (buf.length < off + size) {
        const grown = new Uint8Array(PREFIX + size + slack).fill(0xee);
        grown.set(buf.subarray(off, off + intsetBlobLen(buf, off)), PREFIX);
        buf = grown;
        off = PREFIX;
      }
      changed = edit(buf, off, arg);
    } else {
      const dstOff = PREFIX + (slack % 5);
      const dst = new Uint8Array(dstOff + size + slack).fill(0xee);
      const before = buf.slice();
      changed = edit(buf, off, arg, dst, dstOff);
      expect(hex(buf)).toBe(hex(before));
      buf = dst;
      off = dstOff;
    }
    expect(changed).toBe(changes);
    if (adding) {
      model.add(value);
      if (intsetEncodingOf(value) > encoding) encoding = intsetEncodingOf(value);
    } else {
      model.delete(value);
    }
    const sorted = [...model].sort((a, b) => (a < b ? -1 : 1));
    expect(intsetBlobLen(buf, off)).toBe(size);
    expect(Array.from(buf.subarray(off - PREFIX, off))).toEqual([0xee, 0xee, 0xee]);
    expect(hex(buf.subarray(off, off + size))).toBe(expected(sorted, encoding));
    expect(intsetEncoding(buf, off)).toBe(encoding);
    expect(intsetLen(buf, off)).toBe(sorted.length);
    expect(intsetValidateIntegrity(buf, off, size)).toBe(sorted.length > 0); // Redis rejects empty intsets
    for (let i = 0; i < sorted.length; i++) {
      expect(intsetGetBigInt(buf, off, i)).toBe(sorted[i]);
      expect(intsetGet(buf, off, i)).toBe(Number(sorted[i]));
    }
    for (const probe of [value, value + 1n, value - 1n, sorted[slack % Math.max(1, sorted.length)] ?? 0n]) {
      if (probe > 2n ** 63n - 1n || probe < -(2n ** 63n)) continue;
      const at = sorted.indexOf(probe);
      const insertAt = sorted.filter((v) => v < probe).length;
      expect(intsetFind(buf, off, asInt(probe, false))).toBe(at >= 0);
      expect(intsetSearch(buf, off, asInt(probe, true))).toBe(at >= 0 ? at : -insertAt - 1);
    }
  }
}

describe("intset in-place edits", () => {
  it("match a sorted-set model and Redis's bytes (encoding widened, never narrowed)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(op, fc.constantFrom<Mode>("inPlace", "copy"), fc.nat({ max: 24 })), { maxLength: 40 }),
        run,
      ),
      { numRuns: fuzzRuns(80) },
    );
  });

  it("widens as SADD does: negatives first, positives last, then sorted inserts", () => {
    const buf = new Uint8Array(64);
    intsetNew(buf, 0);
    for (const v of [5, -3, 70000, -5000000000n, 1]) {
      const size = intsetAddSize(buf, 0, v);
      expect(intsetAdd(buf, 0, v)).toBe(true);
      expect(intsetBlobLen(buf, 0)).toBe(size);
    }
    expect(intsetAdd(buf, 0, 1)).toBe(false);
    expect(hex(buf.subarray(0, intsetBlobLen(buf, 0)))).toBe(
      "08000000" +
        "05000000" +
        "000efad5feffffff" +
        "fdffffffffffffff" +
        "0100000000000000" +
        "0500000000000000" +
        "7011010000000000",
    );
    expect(intsetRemove(buf, 0, -5000000000n)).toBe(true);
    expect(intsetEncoding(buf, 0)).toBe(IntsetEncoding.Int64);
  });

  it("refuses targets without room, moves within one array, and non-int64 values", () => {
    const buf = new Uint8Array(10);
    intsetNew(buf, 0);
    expect(() => intsetAdd(buf, 0, 70000)).toThrow(RangeError); // needs 8 + 4 bytes
    expect(() => intsetAdd(buf, 0, 1, buf, 1)).toThrow(RangeError);
    expect(() => intsetAdd(buf, 0, 2 ** 53)).toThrow(RangeError);
    expect(() => intsetAdd(buf, 0, 2n ** 63n)).toThrow(RangeError);
  });
});
