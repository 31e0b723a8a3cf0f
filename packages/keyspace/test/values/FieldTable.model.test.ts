import { KvPool } from "@nedis/allocators/kv-pool";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FIELD_TABLE_OVERHEAD, FieldTable } from "../../src/values/hash/FieldTable.js";

/** Field `i` of the universe: empty for 0, > 127 bytes for every 13th, otherwise short binary bytes. */
function fieldBytes(i: number): Uint8Array {
  if (i === 0) return new Uint8Array(0);
  const len = i % 13 === 0 ? 128 + (i % 200) : 1 + (i % 9);
  const out = new Uint8Array(len);
  for (let j = 0; j < len; j++) out[j] = (i * 31 + j * 97 + (j === 0 ? 0 : i >>> (8 * (j & 3)))) & 0xff;
  // Distinct prefix bytes make every index a distinct field.
  out[0] = i & 0xff;
  if (len > 1) out[1] = (i >>> 8) & 0xff;
  if (len === 1 && i > 0xff) return fieldBytes(i + 1000000);
  return out;
}

/** A value derived from a seed: mostly short, sometimes empty, sometimes past a 4 KiB page. */
function valueBytes(seed: number): Uint8Array {
  const len = seed % 41 === 0 ? 5000 + (seed % 300) : seed % 7 === 0 ? 0 : seed % 60;
  const out = new Uint8Array(len);
  for (let j = 0; j < len; j++) out[j] = (seed + j * 13) & 0xff;
  return out;
}

const hex = (b: Uint8Array, off = 0, len = b.length) => Buffer.from(b.buffer, b.byteOffset + off, len).toString("hex");

type Op =
  | { kind: "set"; i: number; seed: number }
  | { kind: "del"; i: number }
  | { kind: "find"; i: number }
  | { kind: "bulkSet"; from: number; n: number; seed: number; scanEvery: number }
  | { kind: "bulkDel"; from: number; n: number; scanEvery: number }
  | { kind: "scan"; steps: number }
  | { kind: "random" };

const FIELDS = 3000;
/** Inside bulk changes, one SCAN step after every this many (0: none), so steps fall mid-resize. */
const SCAN_EVERY = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 40 }));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("set" as const), i: fc.nat(FIELDS), seed: fc.nat(1e6) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("del" as const), i: fc.nat(FIELDS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("find" as const), i: fc.nat(FIELDS) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("bulkSet" as const),
      from: fc.nat(FIELDS),
      n: fc.integer({ min: 1, max: 1500 }),
      seed: fc.nat(1e6),
      scanEvery: SCAN_EVERY,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("bulkDel" as const),
      from: fc.nat(FIELDS),
      n: fc.integer({ min: 1, max: 2500 }),
      scanEvery: SCAN_EVERY,
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("scan" as const), steps: fc.integer({ min: 1, max: 64 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "random" as const }) },
);

function contents(t: FieldTable): Map<string, string> {
  const out = new Map<string, string>();
  t.forEach((x) => {
    const f = hex(x.fieldBuf, x.fieldOff, x.fieldLen);
    expect(out.has(f)).toBe(false);
    out.set(f, hex(x.valueBuf, x.valueOff, x.valueLen));
  });
  return out;
}

/** Bytes of a table record: hash and entry handle (CompactTable, stride 3). */
const RECORD_BYTES = 12;

describe("FieldTable against a Map", () => {
  it("agrees on contents, count, SCAN, random picks and memory across grows and shrinks", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), (ops) => {
        const pool = new KvPool({ pageSize: 4096, checkAccess: true });
        const start = pool.usedBytes;
        const t = new FieldTable(pool, { hashKey: [0x1234567, -0x7654321] });
        const model = new Map<string, string>();
        // The scan in progress: cursor, fields present since it started, fields it returned, fields ever present.
        let cursor = -1;
        let throughout = new Set<string>();
        let seen = new Set<string>();
        let ever = new Set<string>();
        let peak = 0;
        const setOne = (i: number, seed: number) => {
          const f = fieldBytes(i);
          const v = valueBytes(seed);
          const k = hex(f);
          expect(t.set(f, 0, f.length, v, 0, v.length)).toBe(!model.has(k));
          model.set(k, hex(v));
          ever.add(k);
        };
        const delOne = (i: number) => {
          const f = fieldBytes(i);
          const k = hex(f);
          expect(t.delete(f, 0, f.length)).toBe(model.delete(k));
          throughout.delete(k);
        };
        /** One step of the scan in progress (starting one if none); false when it completed. */
        const scanStep = (): boolean => {
          if (cursor < 0) {
            cursor = 0;
            throughout = new Set(model.keys());
            ever = new Set(model.keys());
            seen = new Set();
          }
          cursor = t.scan(cursor, (x) => {
            const f = hex(x.fieldBuf, x.fieldOff, x.fieldLen);
            expect(ever.has(f)).toBe(true);
            seen.add(f);
          });
          if (cursor !== 0) return true;
          for (const f of throughout) expect(seen.has(f)).toBe(true);
          cursor = -1;
          return false;
        };
        for (const op of ops) {
          switch (op.kind) {
            case "set":
              setOne(op.i, op.seed);
              break;
            case "del":
              delOne(op.i);
              break;
            case "find": {
              const f = fieldBytes(op.i);
              const slot = t.find(f, 0, f.length);
              const expected = model.get(hex(f));
              if (expected === undefined) {
                expect(slot).toBe(-1);
              } else {
                expect(slot).toBeGreaterThanOrEqual(0);
                t.load(slot);
                expect(hex(t.fieldBuf, t.fieldOff, t.fieldLen)).toBe(hex(f));
                expect(hex(t.valueBuf, t.valueOff, t.valueLen)).toBe(expected);
              }
              break;
            }
            case "bulkSet":
              for (let j = 0; j < op.n; j++) {
                setOne((op.from + j) % (FIELDS + 1), op.seed + j);
                if (op.scanEvery > 0 && j % op.scanEvery === 0) scanStep();
              }
              break;
            case "bulkDel":
              for (let j = 0; j < op.n; j++) {
                delOne((op.from + j) % (FIELDS + 1));
                if (op.scanEvery > 0 && j % op.scanEvery === 0) scanStep();
              }
              break;
            case "scan":
              for (let s = 0; s < op.steps; s++) if (!scanStep()) break;
              break;
            case "random": {
              const slot = t.randomSlot();
              if (model.size === 0) {
                expect(slot).toBe(-1);
              } else {
                t.load(slot);
                expect(model.get(hex(t.fieldBuf, t.fieldOff, t.fieldLen))).toBe(
                  hex(t.valueBuf, t.valueOff, t.valueLen),
                );
              }
              break;
            }
          }
          expect(t.count).toBe(model.size);
          peak = Math.max(peak, model.size);
          const heap = t.memoryUsage() - FIELD_TABLE_OVERHEAD;
          expect(heap).toBeGreaterThanOrEqual(RECORD_BYTES * model.size);
          // Two tables at most, each under 4 records per field the table ever held (or the minimum).
          expect(heap).toBeLessThanOrEqual(2 * RECORD_BYTES * 4 * Math.max(16, 2 ** Math.ceil(Math.log2(peak + 1))));
        }
        expect(contents(t)).toEqual(model);
        // Finish the scan in progress on a table that no longer changes.
        if (cursor >= 0) {
          do {
            cursor = t.scan(cursor, (x) => seen.add(hex(x.fieldBuf, x.fieldOff, x.fieldLen)));
          } while (cursor !== 0);
          for (const f of throughout) expect(seen.has(f)).toBe(true);
        }
        const owned = t.ownedBytes(0);
        expect(owned).toBeGreaterThanOrEqual(t.memoryUsage());
        expect(owned - t.memoryUsage()).toBe(pool.usedBytes - start);
        t.free();
        expect(t.count).toBe(0);
        expect(pool.usedBytes).toBe(start);
        expect(t.memoryUsage()).toBe(FIELD_TABLE_OVERHEAD + 16 * RECORD_BYTES);
      }),
      { numRuns: 25 },
    );
  });
});

describe("FieldTable", () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  const make = () => {
    const pool = new KvPool({ checkAccess: true });
    return { pool, t: new FieldTable(pool) };
  };

  it("keeps set members without values and replaces values in place or by reallocation", () => {
    const { pool, t } = make();
    const m = enc("member");
    expect(t.add(m, 0, m.length)).toBe(true);
    expect(t.add(m, 0, m.length)).toBe(false);
    t.load(t.find(m, 0, m.length));
    expect(t.valueLen).toBe(0);
    const v1 = enc("aaaa");
    const v2 = enc("b".repeat(500));
    expect(t.set(m, 0, m.length, v1, 0, v1.length)).toBe(false);
    t.load(t.find(m, 0, m.length));
    expect(hex(t.valueBuf, t.valueOff, t.valueLen)).toBe(hex(v1));
    expect(t.set(m, 0, m.length, v2, 0, v2.length)).toBe(false);
    t.load(t.find(m, 0, m.length));
    expect(t.valueLen).toBe(500);
    expect(pool.liveAllocations).toBe(1);
    expect(t.delete(m, 0, m.length)).toBe(true);
    expect(pool.liveAllocations).toBe(0);
  });

  it("shrinks once under 10% full and reports owned bytes from samples", () => {
    const { t } = make();
    for (let i = 0; i < 5000; i++) t.set(enc(`f${i}`), 0, enc(`f${i}`).length, enc("v"), 0, 1);
    const big = t.memoryUsage();
    expect(t.ownedBytes(5)).toBeGreaterThan(big + 5000 * 8);
    for (let i = 0; i < 4990; i++) t.delete(enc(`f${i}`), 0, enc(`f${i}`).length);
    expect(t.count).toBe(10);
    expect(t.memoryUsage()).toBeLessThan(big / 16);
  });

  it("returns every field present throughout a SCAN stepped through grows and shrinks", () => {
    const { t } = make();
    const key = (i: number) => enc(`s${i}`);
    for (let i = 0; i < 300; i++) t.add(key(i), 0, key(i).length);
    const seen = new Set<string>();
    let cursor = 0;
    let step = 0;
    let stepsWhileResizing = 0;
    let next = 300;
    do {
      if (t.resizing) stepsWhileResizing++;
      cursor = t.scan(cursor, (x) => seen.add(hex(x.fieldBuf, x.fieldOff, x.fieldLen)));
      // Grow to ~6000 fields, then delete back down past several shrinks; fields 0..99 stay.
      if (step < 60) {
        for (let j = 0; j < 100; j++, next++) t.add(key(next), 0, key(next).length);
      } else {
        for (let j = 0; j < 100 && next > 100; j++) {
          next--;
          t.delete(key(next), 0, key(next).length);
        }
      }
      step++;
    } while (cursor !== 0);
    expect(stepsWhileResizing).toBeGreaterThan(0);
    for (let i = 0; i < 100; i++) expect(seen.has(hex(key(i)))).toBe(true);
  });

  it("draws random entries about uniformly", () => {
    const { t } = make();
    const n = 40;
    for (let i = 0; i < n; i++) t.add(enc(`m${i}`), 0, enc(`m${i}`).length);
    const hits = new Map<string, number>();
    const draws = 20000;
    for (let d = 0; d < draws; d++) {
      t.load(t.randomSlot());
      const f = hex(t.fieldBuf, t.fieldOff, t.fieldLen);
      hits.set(f, (hits.get(f) ?? 0) + 1);
    }
    expect(hits.size).toBe(n);
    for (const c of hits.values()) {
      expect(c).toBeGreaterThan((draws / n) * 0.6);
      expect(c).toBeLessThan((draws / n) * 1.4);
    }
  });
});
