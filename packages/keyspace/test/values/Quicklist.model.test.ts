import { type KvHandle, KvPool } from "@nedis/allocators/kv-pool";
import { lpBytes, lpLength, lpValidateIntegrity } from "@nedis/rdb/listpack";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Quicklist, type QuicklistAllocator } from "../../src/values/list/Quicklist.js";

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array): string => String.fromCharCode(...b);

function filled(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = 97 + ((seed + i) % 26);
  return out;
}

const LOOK_ALIKES = [
  "",
  "0",
  "-0",
  "012",
  "+1",
  "1.0",
  " 1",
  "-1",
  "127",
  "128",
  "4095",
  "-4096",
  "-4097",
  "8388607",
  "8388608",
  "-2147483648",
  "9007199254740993",
  "9223372036854775807",
  "9223372036854775808",
  "-9223372036854775808",
  "-9223372036854775809",
].map(latin1);

const element: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 70 }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(0, 1, 63, 64, 127, 128, 4095, 4096, 5000, 9000), fc.nat(25))
      .map(([n, seed]) => filled(n, seed)),
  },
  { weight: 2, arbitrary: fc.integer().map((n) => latin1(String(n))) },
  { weight: 1, arbitrary: fc.bigInt(-(1n << 63n), (1n << 63n) - 1n).map((n) => latin1(String(n))) },
  { weight: 2, arbitrary: fc.constantFrom(...LOOK_ALIKES) },
);

type Op =
  | { k: "pushHead" | "pushTail"; e: Uint8Array }
  | { k: "popHead" | "popTail" }
  | { k: "index"; i: number }
  | { k: "set" | "before" | "after"; i: number; e: Uint8Array }
  | { k: "del"; i: number; n: number };

const index = fc.integer({ min: -1000, max: 1000 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant("pushTail" as const), e: element }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("pushHead" as const), e: element }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constantFrom("popHead" as const, "popTail" as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("index" as const), i: index }) },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constantFrom("set" as const, "before" as const, "after" as const),
      i: index,
      e: element,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant("del" as const), i: index, n: fc.integer({ min: -2, max: 40 }) }),
  },
);

/** Maps a raw index into [-len-2, len+1] so that most land in range. */
function pick(raw: number, len: number): number {
  const span = 2 * len + 4;
  return (((raw % span) + span) % span) - (len + 2);
}

function resolve(i: number, len: number): number {
  const abs = i < 0 ? len + i : i;
  return abs >= 0 && abs < len ? abs : -1;
}

function current(ql: Quicklist): string {
  return ql.valueIsInteger ? String(ql.valueInteger) : text(ql.valueBytes.subarray(ql.valueStart, ql.valueEnd));
}

const LIMITS: Record<number, number> = { [-1]: 4096, [-2]: 8192, [-3]: 16384, [-4]: 32768, [-5]: 65536 };

/**
 * `slack`: bytes a multi-element node may pass its limit by. Pushes and merges stay within 4
 * (Redis's merge estimate subtracts 11 where a merge saves 7); a split that takes the new element
 * (LINSERT in a full node's middle) may add one element more, and LSET checks nothing in 7.0.
 */
function check(ql: Quicklist, model: string[], fill: number, slack: number, threshold: number): void {
  expect(ql.length).toBe(model.length);
  const forward: string[] = [];
  if (ql.seek(0, true)) while (ql.next()) forward.push(current(ql));
  expect(forward).toEqual(model);
  const backward: string[] = [];
  if (ql.seek(-1, false)) while (ql.next()) backward.push(current(ql));
  expect(backward).toEqual([...model].reverse());
  let total = 0;
  for (let i = 0; i < ql.nodeCount; i++) {
    const count = ql.nodeElements(i);
    const size = ql.nodeSize(i);
    expect(count).toBeGreaterThan(0);
    total += count;
    if (ql.nodeIsPlain(i)) {
      expect(count).toBe(1);
      expect(size).toBeGreaterThanOrEqual(threshold);
      continue;
    }
    const page = ql.nodePage(i);
    const off = ql.nodeOffset(i);
    expect(lpValidateIntegrity(page, off, size)).toBe(true);
    expect(lpBytes(page, off)).toBe(size);
    expect(lpLength(page, off)).toBe(count);
    if (count > 1) {
      if (fill > 0) expect(count).toBeLessThanOrEqual(fill);
      if (slack >= 0) expect(size).toBeLessThanOrEqual((fill < 0 ? (LIMITS[fill] as number) : 8192) + slack);
    }
  }
  expect(total).toBe(model.length);
}

/**
 * The pool with the keyspace allocator's growth slack (listAllocators.ts): most pushes and pops
 * then edit an end node within its allocation (the in-place paths), the rest reallocate.
 */
function slackAllocator(pool: KvPool): QuicklistAllocator {
  return {
    alloc: (size) => pool.alloc(size),
    realloc: (handle, size) => {
      const capacity = pool.sizeOf(handle as KvHandle);
      if (size <= capacity && size * 2 >= capacity) return handle;
      return pool.realloc(handle as KvHandle, size > capacity ? Math.max(size, capacity + (capacity >>> 1)) : size);
    },
    free: (handle) => pool.free(handle as KvHandle),
    pageOf: (handle) => pool.pageOf(handle as KvHandle),
    offsetOf: (handle) => pool.offsetOf(handle as KvHandle),
    sizeOf: (handle) => pool.sizeOf(handle as KvHandle),
  };
}

function run(ops: Op[], fill: number, threshold: number, slack = false): void {
  const pool = new KvPool({ checkAccess: true });
  const start = pool.usedBytes;
  const ql = new Quicklist(slack ? slackAllocator(pool) : pool, fill, threshold);
  const model: string[] = [];
  let sets = false;
  let inserted = 0;
  for (const o of ops) {
    const len = model.length;
    switch (o.k) {
      case "pushHead":
        ql.pushHead(o.e, 0, o.e.length);
        model.unshift(text(o.e));
        break;
      case "pushTail":
        ql.pushTail(o.e, 0, o.e.length);
        model.push(text(o.e));
        break;
      case "popHead":
      case "popTail": {
        const ok = o.k === "popHead" ? ql.popHead() : ql.popTail();
        expect(ok).toBe(len > 0);
        if (ok) expect(current(ql)).toBe(o.k === "popHead" ? model.shift() : model.pop());
        break;
      }
      case "index": {
        const i = pick(o.i, len);
        const at = resolve(i, len);
        expect(ql.index(i)).toBe(at >= 0);
        if (at >= 0) expect(current(ql)).toBe(model[at]);
        break;
      }
      case "set":
      case "before":
      case "after": {
        const i = pick(o.i, len);
        const at = resolve(i, len);
        const e = o.e;
        const done =
          o.k === "set"
            ? ql.replaceAtIndex(i, e, 0, e.length)
            : o.k === "before"
              ? ql.insertBefore(i, e, 0, e.length)
              : ql.insertAfter(i, e, 0, e.length);
        expect(done).toBe(at >= 0);
        if (at < 0) break;
        if (o.k === "set") {
          model[at] = text(e);
          sets = true;
        } else {
          model.splice(o.k === "before" ? at : at + 1, 0, text(e));
          inserted = Math.max(inserted, e.length + 16);
        }
        break;
      }
      case "del": {
        const i = pick(o.i, len);
        const at = resolve(i, len);
        const done = ql.delRange(i, o.n);
        const expected = o.n > 0 && at >= 0;
        expect(done).toBe(expected);
        if (expected) model.splice(at, i >= 0 ? o.n : Math.min(o.n, -i));
        break;
      }
    }
    check(ql, model, fill, sets ? -1 : 4 + inserted, threshold);
  }
  expect(ql.memoryUsage()).toBeGreaterThan(0);
  // RDB load: the same nodes appended one by one (quicklistAppendListpack / AppendPlainNode).
  const copy = new Quicklist(pool, fill, threshold);
  for (let i = 0; i < ql.nodeCount; i++) {
    const page = ql.nodePage(i);
    const off = ql.nodeOffset(i);
    if (ql.nodeIsPlain(i)) copy.appendPlainNode(page, off, ql.nodeSize(i));
    else copy.appendListpackNode(page, off, ql.nodeSize(i));
  }
  check(copy, model, fill, -1, threshold);
  copy.free();
  ql.free();
  expect(ql.length).toBe(0);
  expect(pool.usedBytes).toBe(start);
}

describe("Quicklist against a JS array model", () => {
  for (const fill of [-2, -1, -5, 1, 5, 128]) {
    it(`keeps contents, valid listpacks and fill ${fill}'s limits`, () => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 60 }), (ops) => run(ops, fill, 1 << 30)),
        { numRuns: 60 },
      );
    });
  }

  for (const fill of [-2, 5]) {
    it(`keeps contents with nodes grown in place (allocations with slack, fill ${fill})`, () => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 60 }), (ops) => run(ops, fill, 1 << 30, true)),
        { numRuns: 60 },
      );
    });
  }

  it("puts elements at or over packed_threshold in plain nodes (threshold 4096)", () => {
    for (const fill of [-2, 3]) {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 60 }), (ops) => run(ops, fill, 4096)),
        { numRuns: 60 },
      );
    }
  });

  it("cuts nodes where quicklist.c does: fill 5 → 5 elements a node, -1 → 4 KB", () => {
    const pool = new KvPool();
    const ql = new Quicklist(pool, 5);
    for (let i = 0; i < 12; i++) ql.pushTail(latin1(`v${i}`), 0, 2 + (i >= 10 ? 1 : 0));
    expect([0, 1, 2].map((i) => ql.nodeElements(i))).toEqual([5, 5, 2]);
    ql.free();
    const big = new Quicklist(pool, -1);
    const e = filled(100, 0);
    // 4096 / (100 + 8 estimate): a node takes elements while size + 108 <= 4096.
    for (let i = 0; i < 100; i++) big.pushTail(e, 0, e.length);
    expect(big.nodeElements(0)).toBe(39);
    big.free();
    expect(pool.usedBytes).toBe(0);
  });
});
