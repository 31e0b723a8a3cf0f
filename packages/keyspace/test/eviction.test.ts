import { describe, expect, it } from "vitest";
import type { EvictionPolicy, Keyspace } from "../src/index.js";
import { b, get, manualKeyspace, set } from "./utils/fixtures.js";

const MB = 1024 * 1024;

/** Writes a key the way a command does: reserve room first, refuse with OOM if there is none. */
function write(ks: Keyspace, db: number, key: string, value: Buffer, deadline = 0): boolean {
  const charge =
    ks.stringCharge(key.length, value.length, deadline > 0) + ks.db(db).growthCharge(1, deadline > 0 ? 1 : 0);
  if (!ks.reserve(charge)) return false;
  set(ks.db(db), key, value, deadline);
  return true;
}

const ALL_POLICIES: EvictionPolicy[] = [
  "allkeys-lru",
  "allkeys-lfu",
  "allkeys-random",
  "volatile-lru",
  "volatile-lfu",
  "volatile-random",
  "volatile-ttl",
];

describe("eviction", () => {
  for (const policy of ALL_POLICIES) {
    it(`${policy}: usage never exceeds maxmemory while 10x the limit is written`, () => {
      const { ks, clock } = manualKeyspace({ maxmemory: 2 * MB, maxmemoryPolicy: policy });
      const value = Buffer.alloc(1000, 1);
      const volatile = policy.startsWith("volatile");
      let written = 0;
      for (let i = 0; written < 20 * MB; i++) {
        // Under volatile-* policies a few persistent keys must survive everything.
        const persistent = volatile && i % 50 === 0 && i < 500;
        const ok = write(ks, i % 3, `key:${i}`, value, persistent || !volatile ? 0 : clock.now + 60_000 + i);
        expect(ok).toBe(true);
        written += value.length;
        expect(ks.usedMemory).toBeLessThanOrEqual(2 * MB);
        if (i % 1000 === 0) clock.now += 1000;
      }
      expect(ks.stats.evictedKeys).toBeGreaterThan(10_000);
      if (volatile) for (let i = 0; i < 500; i += 50) expect(get(ks.db(i % 3), `key:${i}`)).not.toBeNull();
    });
  }

  it("noeviction refuses writes once the limit is reached", () => {
    const { ks } = manualKeyspace({ maxmemory: MB, maxmemoryPolicy: "noeviction" });
    const value = Buffer.alloc(1000);
    let refused = -1;
    for (let i = 0; i < 5000; i++) {
      if (!write(ks, 0, `k${i}`, value)) {
        refused = i;
        break;
      }
    }
    expect(refused).toBeGreaterThan(500);
    expect(ks.freeMemoryIfNeeded()).toBe(true); // within the limit: commands that free memory still run
    expect(ks.stats.evictedKeys).toBe(0);
  });

  it("volatile policies refuse writes when only persistent keys are left", () => {
    const { ks } = manualKeyspace({ maxmemory: MB, maxmemoryPolicy: "volatile-lru" });
    const value = Buffer.alloc(1000);
    let refused = false;
    for (let i = 0; i < 5000 && !refused; i++) refused = !write(ks, 0, `k${i}`, value);
    expect(refused).toBe(true);
    expect(ks.stats.evictedKeys).toBe(0);
  });

  it("allkeys-lru evicts the keys idle the longest", () => {
    const { ks, clock } = manualKeyspace({ maxmemory: 4 * MB, maxmemoryPolicy: "allkeys-lru", maxmemorySamples: 10 });
    const value = Buffer.alloc(500);
    for (let i = 0; i < 4000; i++) write(ks, 0, `old:${i}`, value);
    clock.now += 20_000;
    ks.cron();
    // Touch the even keys: they become recent.
    for (let i = 0; i < 4000; i += 2) get(ks.db(0), `old:${i}`);
    clock.now += 20_000;
    ks.cron();
    for (let i = 0; i < 6000; i++) write(ks, 0, `new:${i}`, value);
    let evenSurvivors = 0;
    let oddSurvivors = 0;
    for (let i = 0; i < 4000; i++) {
      if (get(ks.db(0), `old:${i}`) === null) continue;
      if (i % 2 === 0) evenSurvivors++;
      else oddSurvivors++;
    }
    expect(ks.stats.evictedKeys).toBeGreaterThan(1000);
    expect(evenSurvivors).toBeGreaterThan(oddSurvivors * 3);
  });

  it("allkeys-lfu keeps frequently used keys", () => {
    const { ks } = manualKeyspace({ maxmemory: 4 * MB, maxmemoryPolicy: "allkeys-lfu", maxmemorySamples: 10 });
    const value = Buffer.alloc(500);
    for (let i = 0; i < 4000; i++) write(ks, 0, `k:${i}`, value);
    for (let round = 0; round < 100; round++) for (let i = 0; i < 400; i++) get(ks.db(0), `k:${i}`);
    for (let i = 0; i < 6000; i++) write(ks, 0, `new:${i}`, value);
    let hotSurvivors = 0;
    for (let i = 0; i < 400; i++) if (get(ks.db(0), `k:${i}`) !== null) hotSurvivors++;
    expect(ks.stats.evictedKeys).toBeGreaterThan(3000);
    expect(hotSurvivors).toBeGreaterThan(380);
  });

  it("volatile-ttl evicts the nearest deadlines first", () => {
    const { ks, clock } = manualKeyspace({ maxmemory: MB, maxmemoryPolicy: "volatile-ttl" });
    const value = Buffer.alloc(1000);
    // Deadlines get nearer as i grows.
    for (let i = 0; i < 600; i++) write(ks, 0, `k:${i}`, value, clock.now + 1_000_000 - i * 100);
    for (let i = 0; i < 400; i++) write(ks, 0, `persistent:${i}`, value);
    expect(ks.stats.evictedKeys).toBeGreaterThan(100);
    const survivors: number[] = [];
    for (let i = 0; i < 600; i++) if (get(ks.db(0), `k:${i}`) !== null) survivors.push(i);
    // The survivors are exactly the keys with the latest deadlines.
    expect(survivors).toEqual(Array.from({ length: survivors.length }, (_, i) => i));
  });

  it("lowering maxmemory evicts down to the new limit on the next check", () => {
    const { ks } = manualKeyspace({ maxmemory: 0, maxmemoryPolicy: "allkeys-random", maxmemoryEvictionTenacity: 100 });
    const value = Buffer.alloc(1000);
    for (let i = 0; i < 3000; i++) write(ks, 0, `k${i}`, value);
    ks.maxmemory = MB;
    expect(ks.usedMemory).toBeGreaterThan(MB);
    expect(ks.freeMemoryIfNeeded()).toBe(true);
    expect(ks.usedMemory).toBeLessThanOrEqual(MB);
    ks.maxmemoryPolicy = "noeviction";
    ks.maxmemory = MB / 2;
    expect(ks.freeMemoryIfNeeded()).toBe(false);
  });

  it("counts external bytes (client buffers) against maxmemory, as Redis counts them", () => {
    const { ks } = manualKeyspace({
      maxmemory: 2 * MB,
      maxmemoryPolicy: "allkeys-random",
      maxmemoryEvictionTenacity: 100,
    });
    const value = Buffer.alloc(1000);
    for (let i = 0; i < 1000; i++) expect(write(ks, 0, `k${i}`, value)).toBe(true);
    const keys = ks.db(0).size;
    ks.externalBytes = MB; // a subscriber's backlog, say
    expect(ks.countedMemory).toBe(ks.usedMemory + MB);
    expect(ks.freeMemoryIfNeeded()).toBe(true);
    expect(ks.countedMemory).toBeLessThanOrEqual(2 * MB);
    expect(ks.db(0).size).toBeLessThan(keys);
    // Under noeviction the same backlog makes writes fail instead.
    ks.maxmemoryPolicy = "noeviction";
    ks.externalBytes = 2 * MB;
    expect(ks.freeMemoryIfNeeded()).toBe(false);
    expect(write(ks, 0, "more", value)).toBe(false);
    ks.externalBytes = 0;
    expect(write(ks, 0, "more", value)).toBe(true);
  });

  it("fires the hooks with the evicted key", () => {
    const { ks } = manualKeyspace({ maxmemory: MB, maxmemoryPolicy: "allkeys-random" });
    const events = new Set<string>();
    ks.onNotify = (type, event, _db, key, off, len) =>
      events.add(
        `${type}:${event}:${Buffer.from(key.subarray(off, off + len))
          .toString()
          .slice(0, 2)}`,
      );
    const value = Buffer.alloc(1000);
    for (let i = 0; i < 3000; i++) write(ks, 0, `k${i}`, value);
    expect(events.has("e:evicted:k1") || events.has("e:evicted:k2")).toBe(true);
    void b;
  });
});
