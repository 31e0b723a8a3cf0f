import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HashTable } from "../src/index/HashTable.js";
import { allKeys, b, del, get, manualKeyspace, set } from "./utils/fixtures.js";

type Op =
  | { kind: "set"; key: number; value: number }
  | { kind: "del"; key: number }
  | { kind: "get"; key: number }
  | { kind: "cron" };

const op = (keys: number): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({ kind: fc.constant("set" as const), key: fc.nat(keys), value: fc.nat(1_000_000) }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("del" as const), key: fc.nat(keys) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("get" as const), key: fc.nat(keys) }) },
    { weight: 1, arbitrary: fc.constant({ kind: "cron" as const }) },
  );

/** Keys of varied lengths, including ones with the 4-byte length header. */
const keyName = (k: number) => (k % 17 === 0 ? `long:${"x".repeat(130)}:${k}` : `k:${k}`);

describe("key index", () => {
  it("agrees with a Map under random sets, deletes and lookups across grows and shrinks", () => {
    fc.assert(
      fc.property(fc.array(op(400), { minLength: 1, maxLength: 3000, size: "max" }), (ops) => {
        const { ks } = manualKeyspace();
        const db = ks.db(0);
        const model = new Map<string, string>();
        for (const o of ops) {
          if (o.kind === "set") {
            const key = keyName(o.key);
            set(db, key, String(o.value));
            model.set(key, String(o.value));
          } else if (o.kind === "del") {
            const key = keyName(o.key);
            expect(del(db, key)).toBe(model.delete(key));
          } else if (o.kind === "get") {
            const key = keyName(o.key);
            expect(get(db, key)).toBe(model.get(key) ?? null);
          } else {
            ks.cron();
          }
          expect(db.size).toBe(model.size);
        }
        expect(allKeys(db).sort()).toEqual([...model.keys()].sort());
        for (const [k, v] of model) expect(get(db, k)).toBe(v);
      }),
      { numRuns: 40 },
    );
  });

  it("waits to grow while a new table would pass maxmemory, up to its hard limit, and stays right", () => {
    // The fixtures write without reserving, so a 1-byte maxmemory only says "no room to grow".
    const { ks } = manualKeyspace({ maxmemory: 1, maxmemoryPolicy: "allkeys-lru" });
    const db = ks.db(0);
    const sizes = new Set<number>();
    let fullest = 0;
    for (let i = 0; i < 5_000; i++) {
      set(db, `key:${i}`, `v${i}`);
      const table = db.index.main;
      sizes.add(table.size);
      if (!db.index.resizing) fullest = Math.max(fullest, table.count / table.size);
      expect(db.growthCharge(1, 0) === 0).toBe(db.index.resizing || table.count + 1 <= table.hardMaxCount);
    }
    // Growth still happens once a table reaches its hard limit (98.4% for small tables).
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(8192);
    expect(fullest).toBeGreaterThan(0.9);
    for (let i = 0; i < 5_000; i += 7) expect(get(db, `key:${i}`)).toBe(`v${i}`);
    for (let i = 0; i < 5_000; i += 3) expect(del(db, `key:${i}`)).toBe(true);
    for (let i = 0; i < 5_000; i++) expect(get(db, `key:${i}`)).toBe(i % 3 === 0 ? null : `v${i}`);
    // With room again, growth happens at 75% as usual.
    ks.maxmemory = 0;
    for (let i = 5_000; i < 20_000; i++) set(db, `key:${i}`, `v${i}`);
    expect(db.index.main.count / db.index.main.size).toBeLessThanOrEqual(0.75);
  });

  it("never lets a table fill up: the hard limit leaves empty records at every size", () => {
    for (let size = 16; size <= 1 << 20; size *= 2) {
      const t = new HashTable(size);
      expect(t.hardMaxCount).toBeGreaterThanOrEqual(t.maxCount);
      expect(size - t.hardMaxCount).toBeGreaterThanOrEqual(4);
    }
  });

  it("grows incrementally: the old table drains while inserts continue", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(0);
    let sawResize = false;
    for (let i = 0; i < 20_000; i++) {
      set(db, `key:${i}`, `v${i}`);
      if (db.index.resizing) sawResize = true;
    }
    expect(sawResize).toBe(true);
    for (let i = 0; i < 20_000; i += 97) expect(get(db, `key:${i}`)).toBe(`v${i}`);
    expect(db.size).toBe(20_000);
  });

  it("shrinks a sparse table from the cron and keeps every key", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(0);
    for (let i = 0; i < 10_000; i++) set(db, `key:${i}`, "v");
    for (let i = 0; i < 10_000; i++) if (i % 50 !== 0) del(db, `key:${i}`);
    const before = db.index.main.size;
    for (let i = 0; i < 200 && (db.index.resizing || db.index.main.size === before); i++) ks.cron();
    while (db.index.resizing) ks.cron();
    expect(db.index.main.size).toBeLessThan(before);
    expect(db.size).toBe(200);
    for (let i = 0; i < 10_000; i += 50) expect(get(db, `key:${i}`)).toBe("v");
  });

  it("charges its tables to the pool as external memory and releases them on flush", () => {
    const { ks } = manualKeyspace();
    const empty = ks.usedMemory;
    const db = ks.db(3);
    for (let i = 0; i < 5000; i++) set(db, `key:${i}`, "value");
    expect(ks.usedMemory - empty).toBeGreaterThan(5000 * 16);
    db.flush();
    expect(ks.usedMemory).toBe(empty);
  });

  it("a SCAN returns every key present for the whole scan, even while the table grows and shrinks", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.array(fc.tuple(fc.integer({ min: -6000, max: 6000 }), fc.nat(30)), { minLength: 1, maxLength: 50 }),
        (initial, steps) => {
          const { ks } = manualKeyspace();
          const db = ks.db(0);
          for (let i = 0; i < initial; i++) set(db, `stable:${i}`, "v");
          let churn = 0;
          const seen = new Set<string>();
          let cursor = 0;
          let calls = 0;
          let stepIndex = 0;
          do {
            cursor = db.index.scan(cursor, (handle) => seen.add(db.keyCopy(handle).toString("latin1")));
            if (++calls % 32 !== 0) continue;
            // Every few SCAN calls, add or remove many other keys (grows), then let the cron
            // drain and shrink the table.
            const [delta, crons] = steps[stepIndex++ % steps.length]!;
            if (delta > 0) for (let i = 0; i < delta && churn < 12_000; i++) set(db, `churn:${churn++}`, "c");
            else for (let i = 0; i < -delta && churn > 0; i++) del(db, `churn:${--churn}`);
            for (let i = 0; i < crons; i++) ks.cron();
          } while (cursor !== 0);
          for (let i = 0; i < initial; i++) if (!seen.has(`stable:${i}`)) return false;
          return true;
        },
      ),
      { numRuns: 12 },
    );
  });

  it("finds keys whose bytes sit anywhere in a larger buffer", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(0);
    set(db, "needle", "found");
    const haystack = b("....needle....");
    const ref = db.lookupRead(haystack, 4, 6);
    expect(ref).toBeGreaterThanOrEqual(0);
  });
});

describe("retired tables", () => {
  it("a big table gives its memory back in steps and then stays empty", async () => {
    const { HashTable } = await import("../src/index/HashTable.js");
    const table = new HashTable(1 << 16); // 1 MB of records
    table.insert(7, 0, 42);
    expect(table.reclaimable).toBe(true);
    expect(table.reclaim(512 * 1024)).toBe(false);
    expect(table.reclaim(512 * 1024)).toBe(true);
    expect(table.reclaimable).toBe(false);
    expect(table.reclaim(1)).toBe(true);
    expect(new HashTable(1 << 10).reclaimable).toBe(false); // small tables are left to the GC
  });

  it("tables left behind by growth are reclaimed by inserts and cron, and every key stays readable", () => {
    const { ks } = manualKeyspace();
    const db = ks.db(0);
    // The table doubles to 8 MB at the 196,608th key; the 4 MB one drains into it.
    for (let i = 0; i < 200_000; i++) set(db, `grow:${i}`, "v");
    expect(db.index.resizing).toBe(true);
    db.index.migrate(Number.MAX_SAFE_INTEGER);
    expect(db.index.resizing).toBe(false);
    expect(db.index.reclaim(1 << 20)).toBe(true); // 3 of the 4 MB still to give back
    set(db, "one-more", "v"); // inserts give back 256 KB each
    let steps = 0;
    while (db.index.reclaim(256 * 1024)) steps++;
    expect(steps).toBe(10); // 4 MB − 1 MB − 256 KB, in 256 KB steps, the last one ending it
    ks.cron(); // nothing left: cron finds no work
    expect(db.index.reclaim(1 << 20)).toBe(false);
    for (let i = 0; i < 200_000; i += 997) expect(get(db, `grow:${i}`)).toBe("v");
    expect(db.size).toBe(200_001);
  });
});
