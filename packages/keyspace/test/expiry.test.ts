import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Keyspace, stringAppend } from "../src/index.js";
import { b, get, manualKeyspace, set } from "./utils/fixtures.js";

describe("expiry", () => {
  it("a key is readable until its deadline and gone right after (now > deadline)", () => {
    const { ks, clock } = manualKeyspace();
    const db = ks.db(0);
    set(db, "k", "v", clock.now + 100);
    clock.now += 100;
    expect(get(db, "k")).toBe("v");
    clock.now += 1;
    expect(get(db, "k")).toBeNull();
    expect(db.size).toBe(0);
    expect(ks.stats.expiredKeys).toBe(1);
  });

  it("never returns an expired key, and active expiry reclaims every due key (model test)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant("set" as const), key: fc.nat(60), ttl: fc.integer({ min: -1, max: 500 }) }),
            fc.record({ kind: fc.constant("expire" as const), key: fc.nat(60), ttl: fc.integer({ min: 1, max: 500 }) }),
            fc.record({ kind: fc.constant("persist" as const), key: fc.nat(60) }),
            fc.record({ kind: fc.constant("append" as const), key: fc.nat(60), n: fc.nat(80) }),
            fc.record({ kind: fc.constant("get" as const), key: fc.nat(60) }),
            fc.record({ kind: fc.constant("del" as const), key: fc.nat(60) }),
            fc.record({ kind: fc.constant("tick" as const), ms: fc.nat(120) }),
            fc.record({ kind: fc.constant("cycle" as const) }),
          ),
          { minLength: 20, maxLength: 400, size: "max" },
        ),
        (ops) => {
          const { ks, clock } = manualKeyspace();
          const db = ks.db(0);
          const model = new Map<string, { value: string; deadline: number }>();
          const live = (key: string) => {
            const e = model.get(key);
            if (e && e.deadline >= 0 && clock.now > e.deadline) model.delete(key);
            return model.get(key);
          };
          for (const o of ops) {
            if (o.kind === "tick") {
              clock.now += o.ms;
              continue;
            }
            if (o.kind === "cycle") {
              ks.activeExpireCycle(1000);
              for (const [k, e] of model) if (e.deadline >= 0 && clock.now > e.deadline) model.delete(k);
              expect(db.size).toBe(model.size);
              continue;
            }
            const key = `key:${o.key}`;
            const k = b(key);
            if (o.kind === "set") {
              const deadline = o.ttl < 0 ? -1 : clock.now + o.ttl + 1;
              set(db, key, `v${o.key}`, deadline < 0 ? 0 : deadline);
              model.set(key, { value: `v${o.key}`, deadline });
            } else if (o.kind === "expire") {
              const ref = db.lookupWrite(k, 0, k.length);
              expect(ref >= 0).toBe(live(key) !== undefined);
              if (ref >= 0) {
                db.setExpire(ref, clock.now + o.ttl);
                model.get(key)!.deadline = clock.now + o.ttl;
              }
            } else if (o.kind === "persist") {
              const ref = db.lookupWrite(k, 0, k.length);
              const e = live(key);
              if (ref >= 0) {
                expect(db.removeExpire(ref)).toBe(e!.deadline >= 0);
                e!.deadline = -1;
              }
            } else if (o.kind === "append") {
              const ref = db.lookupWrite(k, 0, k.length);
              const e = live(key);
              if (ref >= 0) {
                stringAppend(db, ref, Buffer.alloc(o.n, 0x61), 0, o.n);
                e!.value += "a".repeat(o.n);
              }
            } else if (o.kind === "get") {
              expect(get(db, key)).toBe(live(key)?.value ?? null);
            } else {
              expect(db.delete(k, 0, k.length)).toBe(live(key) !== undefined);
              model.delete(key);
            }
            for (const [, e] of model) void e;
          }
          // Every key the model holds is readable with its value and deadline.
          for (const [key, e] of model) {
            if (e.deadline >= 0 && clock.now > e.deadline) continue;
            expect(get(db, key)).toBe(e.value);
          }
          let volatile = 0;
          for (const [, e] of model) if (e.deadline >= 0) volatile++;
          ks.activeExpireCycle(1000);
          for (const [k, e] of model) if (e.deadline >= 0 && clock.now > e.deadline) model.delete(k);
          volatile = 0;
          for (const [, e] of model) if (e.deadline >= 0) volatile++;
          expect(db.size).toBe(model.size);
          expect(db.expires).toBe(volatile);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("fires the hooks for keys the keyspace expires on its own", () => {
    const { ks, clock } = manualKeyspace();
    const events: string[] = [];
    ks.onKeyModified = (dbi, key, off, len) => events.push(`mod ${dbi} ${Buffer.from(key.subarray(off, off + len))}`);
    ks.onNotify = (type, event, dbi, key, off, len) =>
      events.push(`${type} ${event} ${dbi} ${Buffer.from(key.subarray(off, off + len))}`);
    set(ks.db(2), "lazy", "v", clock.now + 10);
    set(ks.db(3), "active", "v", clock.now + 10);
    expect(events).toEqual(["n new 2 lazy", "n new 3 active"]);
    events.length = 0;
    clock.now += 11;
    expect(get(ks.db(2), "lazy")).toBeNull();
    expect(ks.activeExpireCycle()).toBe(1);
    expect(events).toEqual([
      "mod 2 lazy",
      "x expired 2 lazy",
      "m keymiss 2 lazy",
      "mod 3 active",
      "x expired 3 active",
    ]);
  });

  it("the timer removes keys within milliseconds of their deadline", async () => {
    const ks = new Keyspace();
    try {
      const db = ks.db(0);
      const start = Date.now();
      for (let i = 0; i < 200; i++) set(db, `k${i}`, "v", start + 20 + (i % 40));
      expect(db.expires).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(db.size).toBe(0);
      expect(ks.stats.expiredKeys).toBe(200);
    } finally {
      ks.close();
    }
  });
});
