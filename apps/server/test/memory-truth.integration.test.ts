import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { useTarget } from "./utils/target.js";

/**
 * What a string costs: MEMORY USAGE against what used_memory really grows by, and the charge of
 * a large value against maxmemory. The figures are nedis's own (Redis reports jemalloc's size
 * classes and robj headers), so the figure tests run on nedis only; the APPEND test holds on both.
 */

const onNedisOnly = process.env.NEDIS_TEST_TARGET === "redis" || process.env.NEDIS_TEST_URL !== undefined;

async function usedMemory(r: Redis): Promise<number> {
  const info = await r.info("memory");
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1]);
}

/** `n` string keys `s<size>:<i>` of `size` bytes each, written in pipelines of 100. */
async function writeKeys(r: Redis, size: number, n: number): Promise<string[]> {
  const value = Buffer.alloc(size, 0x61);
  const keys = Array.from({ length: n }, (_, i) => `s${size}:${i}`);
  for (let i = 0; i < n; i += 100) {
    const batch = r.pipeline();
    for (const key of keys.slice(i, i + 100)) batch.set(key, value);
    await batch.exec();
  }
  return keys;
}

async function memoryUsageSum(r: Redis, keys: string[]): Promise<number> {
  let sum = 0;
  for (let i = 0; i < keys.length; i += 100) {
    const batch = r.pipeline();
    for (const key of keys.slice(i, i + 100)) batch.memory("USAGE", key);
    for (const [error, usage] of (await batch.exec()) ?? []) {
      if (error) throw error;
      sum += usage as number;
    }
  }
  return sum;
}

describe.skipIf(onNedisOnly)("nedis-only: MEMORY USAGE of strings is the memory they hold", () => {
  const target = useTarget();

  // Few keys of large values (the index does not grow for them), many of small ones (its growth
  // is part of what they cost, and MEMORY USAGE's index share must account for it).
  const cases: [size: number, keys: number][] = [
    [1, 2000],
    [10, 2000],
    [44, 2000],
    [100, 2000],
    [1000, 1000],
    [5000, 500],
    [16384, 200],
    [16385, 200],
    [20000, 100],
    [100_000, 40],
    [600_000, 8],
    [1 << 20, 6],
    [4 << 20, 3],
  ];

  for (const [size, n] of cases) {
    it(`${n} keys of ${size} bytes grow used_memory by their summed MEMORY USAGE, within 10%`, async () => {
      const r = target.client();
      await r.flushall();
      const before = await usedMemory(r);
      const keys = await writeKeys(r, size, n);
      const grown = (await usedMemory(r)) - before;
      const reported = await memoryUsageSum(r, keys);
      expect(Math.abs(reported - grown) / grown).toBeLessThanOrEqual(0.1);
      // And never far above the bytes the user stored (slab rounding and the index are the rest).
      if (size > 16384) expect(reported / n).toBeLessThanOrEqual(1.05 * (size + 16));
      await r.flushall();
    });
  }

  it("reports a 100-byte string near its bytes (104-byte slot and an index share, not 360)", async () => {
    const r = target.client();
    await r.flushall();
    await r.set("a", Buffer.alloc(100, 0x62));
    const usage = (await r.memory("USAGE", "a")) as number;
    expect(usage).toBeGreaterThanOrEqual(104 + 16);
    expect(usage).toBeLessThanOrEqual(160);
  });

  it("counts a volatile key's expiry record", async () => {
    const r = target.client();
    await r.flushall();
    await r.set("p", "v");
    await r.set("t", "v", "EX", 1000);
    const persistent = (await r.memory("USAGE", "p")) as number;
    expect((await r.memory("USAGE", "t")) as number).toBeGreaterThan(persistent);
  });

  it("charges a 600 KB string within 5% of its size against maxmemory", async () => {
    const r = target.client();
    await r.flushall();
    await r.config("SET", "maxmemory", "100mb");
    try {
      const before = await usedMemory(r);
      await r.set("big", Buffer.alloc(600_000, 0x63));
      const grown = (await usedMemory(r)) - before;
      expect(grown).toBeGreaterThanOrEqual(600_000);
      expect(grown).toBeLessThanOrEqual(600_000 * 1.05);
      const usage = (await r.memory("USAGE", "big")) as number;
      expect(usage).toBeLessThanOrEqual(600_000 * 1.05);
    } finally {
      await r.config("SET", "maxmemory", "0");
      await r.flushall();
    }
  });

  it("keeps a value grown by appends within the growth headroom, and gives it back on a SET of another length", async () => {
    const r = target.client();
    await r.flushall();
    const chunk = Buffer.alloc(1000, 0x64);
    for (let i = 0; i < 1000; i += 100) {
      const batch = r.pipeline();
      for (let j = 0; j < 100; j++) batch.append("grown", chunk);
      await batch.exec();
    }
    const usage = (await r.memory("USAGE", "grown")) as number;
    expect(usage).toBeLessThanOrEqual(1_000_000 * 1.3);
    // (A SET of the same length overwrites in place and keeps the buffer.)
    await r.set("grown", Buffer.alloc(999_999, 0x65));
    expect((await r.memory("USAGE", "grown")) as number).toBeLessThanOrEqual(999_999 * 1.05);
  });
});

describe("APPEND of many small chunks to a large string", () => {
  const target = useTarget();

  it("builds an 8 MB value from 8,000 appends of 1 KB, every byte in place", async () => {
    const r = target.client();
    const chunk = Buffer.alloc(1024);
    let total = 0;
    for (let i = 0; i < 8000; i += 500) {
      const batch = r.pipeline();
      for (let j = 0; j < 500; j++) {
        chunk.fill((i + j) & 0xff);
        batch.append("appended", Buffer.from(chunk));
      }
      const replies = (await batch.exec()) ?? [];
      total = replies[replies.length - 1]?.[1] as number;
    }
    expect(total).toBe(8000 * 1024);
    expect(await r.strlen("appended")).toBe(8000 * 1024);
    const sample = await r.getrangeBuffer("appended", 7999 * 1024, 7999 * 1024 + 3);
    expect([...sample]).toEqual([7999 & 0xff, 7999 & 0xff, 7999 & 0xff, 7999 & 0xff]);
    const middle = await r.getrangeBuffer("appended", 4321 * 1024 + 5, 4321 * 1024 + 5);
    expect(middle[0]).toBe(4321 & 0xff);
    await r.del("appended");
  }, 60_000);
});
