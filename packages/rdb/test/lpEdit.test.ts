import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ListpackEntry,
  LP_AFTER,
  LP_BEFORE,
  lpAppend,
  lpAppendInteger,
  lpBytes,
  lpCompare,
  lpDelete,
  lpDeleteRange,
  lpDeleteRangeWithEntry,
  lpDeleteSize,
  lpFind,
  lpFirst,
  lpGetBigInt,
  lpGetValue,
  lpInsert,
  lpInsertInteger,
  lpInsertIntegerSize,
  lpInsertSize,
  lpLast,
  lpLength,
  lpNew,
  lpNext,
  lpPrepend,
  lpPrependInteger,
  lpPrev,
  lpReplace,
  lpReplaceInteger,
  lpReplaceIntegerSize,
  lpReplaceSize,
  lpSafeToAdd,
  lpSeek,
  lpValidateIntegrity,
  validateListpack,
} from "../src/listpack/index.js";
import { ListpackBuilder } from "../src/listpack/ListpackBuilder.js";
import { RdbOutput } from "../src/RdbOutput.js";
import { hex, latin1 } from "./utils/bytes.js";
import { buildListpack, type Entry } from "./utils/dumpModel.js";
import { int64, listpackString } from "./utils/encodingBoundaries.js";
import { fuzzRuns } from "./utils/fuzzRuns.js";
import { normaliseEntry, showEntry } from "./utils/listpackModel.js";

type Op =
  | { kind: "insert"; at: number; after: boolean; value: Uint8Array }
  | { kind: "insertInt"; at: number; after: boolean; value: bigint }
  | { kind: "append" | "prepend"; value: Uint8Array }
  | { kind: "appendInt" | "prependInt"; value: bigint }
  | { kind: "replace"; at: number; value: Uint8Array }
  | { kind: "replaceInt"; at: number; value: bigint }
  | { kind: "delete"; at: number }
  | { kind: "deleteRange"; index: number; num: number }
  | { kind: "deleteFrom"; at: number; num: number };

/** Where an edit writes: in place (growing the buffer first when short), or into a new target. */
type Mode = "inPlace" | "copy";

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("insert" as const),
      at: fc.nat(),
      after: fc.boolean(),
      value: listpackString,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("insertInt" as const), at: fc.nat(), after: fc.boolean(), value: int64 }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constantFrom("append" as const, "prepend" as const), value: listpackString }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constantFrom("appendInt" as const, "prependInt" as const), value: int64 }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), value: listpackString }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("replaceInt" as const), at: fc.nat(), value: int64 }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("deleteRange" as const),
      index: fc.integer({ min: -12, max: 12 }),
      num: fc.nat({ max: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("deleteFrom" as const), at: fc.nat(), num: fc.nat({ max: 4 }) }),
  },
);

/** The integer as the edit functions take it: a number when safe (sometimes still a bigint). */
const asInt = (v: bigint, preferBigInt: boolean): number | bigint =>
  preferBigInt || v > 2n ** 53n - 1n || v < 1n - 2n ** 53n ? v : Number(v);

const entry = new ListpackEntry();

/** The element at `p` as a model entry. */
function entryAt(bytes: Uint8Array, p: number): Entry {
  lpGetValue(bytes, p, entry);
  if (!entry.isInteger) return bytes.slice(entry.stringStart, entry.stringEnd);
  const exact = lpGetBigInt(bytes, p);
  if (entry.integerIsSafe) expect(entry.integer).toBe(Number(exact));
  else expect(Number.isSafeInteger(Number(exact))).toBe(false);
  return exact;
}

/** Checks that the listpack at `bytes[off]` holds exactly `model`, read every way there is. */
function checkListpack(bytes: Uint8Array, off: number, model: Entry[]): void {
  const size = lpBytes(bytes, off);
  const lp = bytes.subarray(off, off + size);
  expect(hex(lp)).toBe(hex(buildListpack(model))); // (b) Redis's bytes for these elements
  expect(validateListpack(bytes, off, off + size)).toBe(model.length); // (c)
  expect(lpValidateIntegrity(bytes, off, size)).toBe(true);
  expect(lpLength(bytes, off)).toBe(model.length);
  const want = model.map(showEntry);
  const forward: string[] = [];
  for (let p = lpFirst(bytes, off); p >= 0; p = lpNext(bytes, off, p)) forward.push(showEntry(entryAt(bytes, p)));
  expect(forward).toEqual(want); // (a) in order
  const backward: string[] = [];
  for (let p = lpLast(bytes, off); p >= 0; p = lpPrev(bytes, off, p)) backward.push(showEntry(entryAt(bytes, p)));
  expect(backward).toEqual([...want].reverse()); // (a) reverse order
  for (let i = 0; i < model.length; i += 1 + (model.length >> 2)) {
    expect(showEntry(entryAt(bytes, lpSeek(bytes, off, i)))).toBe(want[i]);
    expect(showEntry(entryAt(bytes, lpSeek(bytes, off, i - model.length)))).toBe(want[i]);
  }
  expect(lpSeek(bytes, off, model.length)).toBe(-1);
  expect(lpSeek(bytes, off, -model.length - 1)).toBe(-1);
}

const PREFIX = 5; // sentinel bytes before the listpack that no edit may touch

/** Runs `ops` against a model, checking the listpack and the returned positions after each. */
function run(ops: [Op, Mode, number][]): void {
  let buf = new Uint8Array(PREFIX + 7).fill(0xee);
  let off = PREFIX;
  lpNew(buf, off);
  const model: Entry[] = [];
  checkListpack(buf, off, model);
  for (const [o, mode, slack] of ops) {
    const n = model.length;
    const index = "at" in o ? (n === 0 ? 0 : o.at % n) : 0;
    // Positions are kept relative to the listpack: the grow path below moves it (p - off + newOff).
    const pRel = n === 0 ? -1 : lpSeek(buf, off, index) - off;
    const p = off + pRel;
    const value = "value" in o ? o.value : 0n;
    const s = value instanceof Uint8Array ? value : latin1(value.toString());
    let size: number | undefined; // the total after the edit, when a size step exists
    let expectAt: number | undefined; // model index of the returned position (-1: none)
    let apply: (dst: Uint8Array, dstOff: number) => number;
    switch (o.kind) {
      case "insert":
      case "insertInt": {
        const v = o.value;
        const where = o.after && n > 0 ? LP_AFTER : LP_BEFORE;
        const atRel = n === 0 ? lpBytes(buf, off) - 1 : pRel; // an empty list: before the terminator
        const to = n === 0 ? 0 : where === LP_AFTER ? index + 1 : index;
        size =
          typeof v === "bigint"
            ? lpInsertIntegerSize(buf, off, asInt(v, slack % 2 === 0))
            : lpInsertSize(buf, off, v, 0, v.length);
        apply = (dst, dstOff) =>
          typeof v === "bigint"
            ? lpInsertInteger(buf, off, off + atRel, where, asInt(v, slack % 2 === 0), dst, dstOff)
            : lpInsert(buf, off, off + atRel, where, v, 0, v.length, dst, dstOff);
        model.splice(to, 0, normaliseEntry(v));
        expectAt = to;
        break;
      }
      case "append":
      case "prepend":
        size = lpInsertSize(buf, off, o.value, 0, o.value.length);
        apply = (dst, dstOff) =>
          (o.kind === "append" ? lpAppend : lpPrepend)(buf, off, o.value, 0, o.value.length, dst, dstOff);
        expectAt = o.kind === "append" ? n : 0;
        model.splice(expectAt, 0, normaliseEntry(o.value));
        break;
      case "appendInt":
      case "prependInt":
        size = lpInsertIntegerSize(buf, off, o.value);
        apply = (dst, dstOff) =>
          (o.kind === "appendInt" ? lpAppendInteger : lpPrependInteger)(buf, off, asInt(o.value, false), dst, dstOff);
        expectAt = o.kind === "appendInt" ? n : 0;
        model.splice(expectAt, 0, o.value);
        break;
      case "replace":
      case "replaceInt": {
        if (n === 0) continue;
        const v = o.value;
        size =
          typeof v === "bigint" ? lpReplaceIntegerSize(buf, off, p, v) : lpReplaceSize(buf, off, p, v, 0, v.length);
        apply = (dst, dstOff) =>
          typeof v === "bigint"
            ? lpReplaceInteger(buf, off, off + pRel, asInt(v, false), dst, dstOff)
            : lpReplace(buf, off, off + pRel, v, 0, v.length, dst, dstOff);
        model[index] = normaliseEntry(v);
        expectAt = index;
        break;
      }
      case "delete":
        if (n === 0) continue;
        size = lpDeleteSize(buf, off, p);
        apply = (dst, dstOff) => lpDelete(buf, off, off + pRel, dst, dstOff);
        model.splice(index, 1);
        expectAt = index < model.length ? index : -1;
        break;
      case "deleteFrom":
        if (n === 0) continue;
        apply = (dst, dstOff) => lpDeleteRangeWithEntry(buf, off, off + pRel, o.num, dst, dstOff);
        model.splice(index, o.num);
        expectAt = index < model.length ? index : -1;
        break;
      case "deleteRange": {
        const from = o.index < 0 ? n + o.index : o.index;
        const inRange = from >= 0 && from < n;
        const removed = inRange ? Math.min(o.num, n - from) : 0;
        apply = (dst, dstOff) => {
          expect(lpDeleteRange(buf, off, o.index, o.num, dst, dstOff)).toBe(removed);
          return -2;
        };
        if (inRange) model.splice(from, o.num);
        break;
      }
    }
    const need = size ?? lpBytes(buf, off);
    let pos: number;
    if (mode === "inPlace") {
      if (buf.length < off + need) {
        // The caller's realloc: a larger allocation elsewhere, the listpack copied to it.
        const newOff = PREFIX + (slack % 3);
        const grown = new Uint8Array(newOff + need + slack).fill(0xee);
        grown.set(buf.subarray(off, off + lpBytes(buf, off)), newOff);
        buf = grown;
        off = newOff;
      }
      pos = apply(buf, off);
    } else {
      const dstOff = PREFIX + (slack % 7);
      const dst = new Uint8Array(dstOff + need + slack).fill(0xee);
      const before = buf.slice();
      pos = apply(dst, dstOff);
      expect(hex(buf)).toBe(hex(before)); // the source is left as it was
      buf = dst;
      off = dstOff;
    }
    if (size !== undefined) expect(lpBytes(buf, off)).toBe(size);
    expect(Array.from(buf.subarray(off - PREFIX, off))).toEqual(new Array<number>(PREFIX).fill(0xee));
    checkListpack(buf, off, model);
    if (expectAt !== undefined) {
      if (expectAt < 0) expect(pos).toBe(-1);
      else expect(pos).toBe(lpSeek(buf, off, expectAt));
    }
    // lpFind: the first element equal to a probe, and with skip 1 only at even indexes (hash fields).
    const probe = model.length > 0 && slack % 2 === 0 ? model[slack % model.length]! : normaliseEntry(s);
    const probeBytes = typeof probe === "bigint" ? latin1(probe.toString()) : probe;
    const first = lpFirst(buf, off);
    const findAt = (skip: number): number => {
      const q = first < 0 ? -1 : lpFind(buf, off, first, probeBytes, 0, probeBytes.length, skip);
      return q < 0 ? -1 : indexOf(buf, off, q);
    };
    const equal = model.map((e) => showEntry(e) === showEntry(probe));
    expect(findAt(0)).toBe(equal.indexOf(true));
    expect(findAt(1)).toBe(equal.findIndex((eq, i) => eq && i % 2 === 0));
    for (let q = first, i = 0; q >= 0; q = lpNext(buf, off, q), i++)
      expect(lpCompare(buf, q, probeBytes, 0, probeBytes.length)).toBe(equal[i]);
  }
}

function indexOf(bytes: Uint8Array, off: number, p: number): number {
  let i = 0;
  for (let q = lpFirst(bytes, off); q >= 0; q = lpNext(bytes, off, q), i++) if (q === p) return i;
  return -1;
}

describe("listpack in-place edits", () => {
  it("match a plain model and Redis's from-scratch bytes after every step", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(op, fc.constantFrom<Mode>("inPlace", "copy"), fc.nat({ max: 40 })), { maxLength: 30 }),
        run,
      ),
      { numRuns: fuzzRuns(60) },
    );
  });
});

describe("listpack in-place edits, by example", () => {
  it("stores canonical integers with integer encodings and look-alikes as strings (lpEncodeGetType)", () => {
    const buf = new Uint8Array(64);
    lpNew(buf, 0);
    for (const text of ["12", "012", "-0", "+1", "-4096", "9223372036854775808"]) {
      const v = latin1(text);
      expect(lpInsertSize(buf, 0, v, 0, v.length)).toBeLessThanOrEqual(buf.length);
      lpAppend(buf, 0, v, 0, v.length);
    }
    expect(hex(buf.subarray(0, lpBytes(buf, 0)))).toBe(
      "2e000000" +
        "0600" +
        "0c01" +
        "8330313204" +
        "822d3003" +
        "822b3103" +
        "d00002" +
        "9339323233333732303336383534373735383038" +
        "14" +
        "ff",
    );
  });

  it("keeps the count unknown at 65535 as lpInsert does, and lpLength writes it back when it fits", () => {
    const out = new RdbOutput(1 << 17);
    const builder = new ListpackBuilder(out).begin();
    for (let i = 0; i < 65534; i++) builder.appendInteger(i % 100);
    const built = builder.finish();
    const buf = new Uint8Array(built.length + 16);
    buf.set(built, 0);
    expect(lpLength(buf, 0)).toBe(65534);
    lpAppendInteger(buf, 0, 7);
    expect(buf[4]! | (buf[5]! << 8)).toBe(65535); // 65535 elements: "unknown" from now on
    expect(lpLength(buf, 0)).toBe(65535);
    expect(lpGetBigInt(buf, lpSeek(buf, 0, -1))).toBe(7n); // walks from the tail
    lpPrependInteger(buf, 0, 8);
    lpDelete(buf, 0, lpFirst(buf, 0));
    lpDelete(buf, 0, lpFirst(buf, 0));
    expect(buf[4]! | (buf[5]! << 8)).toBe(65535); // deletions do not count while unknown
    expect(lpDeleteRange(buf, 0, -3, 10)).toBe(3); // walks: the count is unknown
    expect(lpLength(buf, 0)).toBe(65531);
    expect(buf[4]! | (buf[5]! << 8)).toBe(65531); // recounted and written back
    expect(validateListpack(buf, 0, lpBytes(buf, 0))).toBe(65531);
  });

  it("refuses targets without room, a move within one array, and integers beyond int64", () => {
    const buf = new Uint8Array(12);
    lpNew(buf, 0);
    const big = latin1("x".repeat(10));
    expect(() => lpAppend(buf, 0, big, 0, big.length)).toThrow(RangeError);
    expect(() => lpAppendInteger(buf, 0, 1, buf, 1)).toThrow(RangeError);
    expect(() => lpAppendInteger(buf, 0, 2 ** 53)).toThrow(RangeError);
    expect(() => lpAppendInteger(buf, 0, 2n ** 63n)).toThrow(RangeError);
    expect(hex(buf.subarray(0, 7))).toBe("070000000000ff"); // untouched
    expect(lpSafeToAdd(buf, 0, 2 ** 30 - 7)).toBe(true);
    expect(lpSafeToAdd(buf, 0, 2 ** 30 - 6)).toBe(false);
  });
});
