import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { startTarget } from "./utils/target.js";

const LIMIT = 10 * 1024 * 1024;
const VALUE = Buffer.alloc(10 * 1024, 0x61);
const TOTAL = 100 * 1024 * 1024;
const BATCH = 8;
const PERSISTENT = 40;

async function infoField(r: Redis, section: string, field: string): Promise<number> {
  const text = await r.info(section);
  const m = new RegExp(`^${field}:(\\d+)`, "m").exec(text);
  if (m === null) throw new Error(`no ${field} in INFO ${section}`);
  return Number(m[1]);
}

/**
 * maxmemory 10mb and 100 MB of 10 KB values written in small pipelines: after every batch
 * used_memory stays within 1% of the limit; volatile-* policies evict only keys with a TTL.
 */
describe("maxmemory eviction", () => {
  const policies = [
    "allkeys-lru",
    "allkeys-lfu",
    "allkeys-random",
    "volatile-lru",
    "volatile-lfu",
    "volatile-random",
    "volatile-ttl",
  ];
  for (const policy of policies) {
    it(`${policy} keeps used_memory within 1% of maxmemory while 10x the limit is written`, async () => {
      const target = await startTarget([
        ["maxmemory", ["10mb"]],
        ["maxmemory-policy", [policy]],
      ]);
      try {
        const r = target.client();
        const volatile = policy.startsWith("volatile");
        let worst = 0;
        let i = 0;
        for (let written = 0; written < TOTAL; ) {
          const p = r.pipeline();
          for (let b = 0; b < BATCH; b++, i++, written += VALUE.length) {
            if (volatile && i >= PERSISTENT) p.set(`key:${i}`, VALUE, "EX", 3600 + i);
            else p.set(`key:${i}`, VALUE);
          }
          const results = await p.exec();
          for (const [err] of results!) expect(err).toBeNull();
          worst = Math.max(worst, await infoField(r, "memory", "used_memory"));
        }
        expect(worst).toBeLessThanOrEqual(LIMIT * 1.01);
        expect(await infoField(r, "stats", "evicted_keys")).toBeGreaterThan(5000);
        if (volatile) {
          for (let k = 0; k < PERSISTENT; k++) expect(await r.exists(`key:${k}`)).toBe(1);
        }
        expect(await r.dbsize()).toBeGreaterThan(300);
      } finally {
        await target.stop();
      }
    });
  }

  for (const policy of ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"]) {
    // Redis's own maxmemory.tcl test: 100 KB above the empty server, half the keys volatile, then
    // as many volatile writes again. The key index may not grow past the limit, but that must
    // not turn writes into OOM errors (Redis's dictExpandAllowed lets the table fill up instead).
    it(`${policy} with 100 KB of room evicts only volatile keys and refuses no write`, async () => {
      const target = await startTarget([["maxmemory-policy", [policy]]]);
      try {
        const r = target.client();
        const limit = (await infoField(r, "memory", "used_memory")) + 100 * 1024;
        await r.config("SET", "maxmemory", String(limit));
        let n = 0;
        for (;;) {
          if (n % 2 === 1) await r.setex(`key:${n}`, 10_000, "x");
          else await r.set(`key:${n}`, "x");
          if ((await infoField(r, "memory", "used_memory")) + 4096 > limit) break;
          n++;
        }
        expect(n).toBeGreaterThan(10);
        const refused: string[] = [];
        for (let j = 0; j < n; j++)
          await r.setex(`foo:${j}`, 10_000, "x").catch((err: Error) => refused.push(err.message));
        expect(refused).toEqual([]);
        expect(await infoField(r, "memory", "used_memory")).toBeLessThan(limit + 4096);
        for (let j = 0; j < n; j += 2) expect(await r.exists(`key:${j}`)).toBe(1);
      } finally {
        await target.stop();
      }
    });
  }

  it("noeviction refuses writes with the OOM error once the limit is reached; reads and deletes still work", async () => {
    const target = await startTarget([
      ["maxmemory", ["10mb"]],
      ["maxmemory-policy", ["noeviction"]],
    ]);
    try {
      const r = target.client();
      let error: Error | null = null;
      for (let i = 0; i < 2000 && error === null; i++) {
        try {
          await r.set(`key:${i}`, VALUE);
        } catch (err) {
          error = err as Error;
        }
      }
      expect(error?.message).toBe("OOM command not allowed when used memory > 'maxmemory'.");
      expect(await r.get("key:0")).toBe(VALUE.toString());
      expect(await r.del("key:0", "key:1", "key:2")).toBe(3);
      expect(await infoField(r, "stats", "evicted_keys")).toBe(0);
    } finally {
      await target.stop();
    }
  });

  it("CONFIG SET maxmemory lower evicts down to the new limit", async () => {
    const target = await startTarget([["maxmemory-policy", ["allkeys-random"]]]);
    try {
      const r = target.client();
      const p = r.pipeline();
      for (let i = 0; i < 1500; i++) p.set(`key:${i}`, VALUE);
      await p.exec();
      await r.config("SET", "maxmemory", "5mb");
      // Redis evicts on the next command; nedis also in the background.
      await r.set("trigger", "1");
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await infoField(r, "memory", "used_memory")).toBeLessThanOrEqual(5 * 1024 * 1024 * 1.01);
      expect(await r.dbsize()).toBeLessThan(600);
    } finally {
      await target.stop();
    }
  });
});
