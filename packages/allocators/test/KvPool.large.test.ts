import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_LARGE_OBJECT_THRESHOLD,
  isOutOfMemory,
  type KvHandle,
  KvPool,
  LARGE_OBJECT_OVERHEAD,
  type OutOfMemory,
} from "../src/kv-pool/index.js";
import { fuzzRuns } from "./utils/fuzzRuns.js";

const MiB = 1 << 20;

function ok(result: KvHandle | OutOfMemory): KvHandle {
  if (isOutOfMemory(result)) throw new Error("unexpected OUT_OF_MEMORY");
  return result;
}

/** Allocates `size` bytes and checks that the charge (what `usedBytes` grows by) is within 5% of it. */
function expectChargeWithinBound(pool: KvPool, size: number): void {
  const before = pool.usedBytes;
  const handle = ok(pool.alloc(size));
  const charged = pool.usedBytes - before;
  expect(charged).toBe(pool.usableSize(handle));
  expect(charged).toBe(pool.usableSizeFor(size));
  expect(charged).toBeGreaterThanOrEqual(size + LARGE_OBJECT_OVERHEAD);
  if (charged > 1.05 * size) throw new Error(`${size} bytes charged ${charged}`);
  expect(pool.pageOf(handle).length).toBeGreaterThanOrEqual(size);
  pool.free(handle);
  expect(pool.usedBytes).toBe(before);
}

describe("KvPool large-object threshold", () => {
  it("sends requests above 16 KiB to buffers of their own by default", () => {
    const pool = new KvPool();
    expect(pool.maxSlabSize).toBe(DEFAULT_LARGE_OBJECT_THRESHOLD);
    const slab = ok(pool.alloc(DEFAULT_LARGE_OBJECT_THRESHOLD));
    expect(pool.stats().largeObjects).toBe(0);
    const large = ok(pool.alloc(DEFAULT_LARGE_OBJECT_THRESHOLD + 1));
    expect(pool.stats().largeObjects).toBe(1);
    expect(pool.offsetOf(large)).toBe(0);
    pool.free(slab);
    pool.free(large);
    expect(pool.usedBytes).toBe(0);
  });

  it("takes the threshold as an option, at most a page", () => {
    expect(new KvPool({ largeObjectThreshold: 4096 }).maxSlabSize).toBe(4096);
    expect(new KvPool({ pageSize: 8192 }).maxSlabSize).toBe(8192);
    expect(() => new KvPool({ largeObjectThreshold: 1023 })).toThrow(RangeError);
    expect(() => new KvPool({ pageSize: 8192, largeObjectThreshold: 8193 })).toThrow(RangeError);
    expect(() => new KvPool({ largeObjectThreshold: 5000.5 })).toThrow(RangeError);
  });

  it("charges every size from the threshold to 4 MiB within 5% (overhead included)", () => {
    const pool = new KvPool();
    let worst = 0;
    for (let size = pool.maxSlabSize + 1; size <= 4 * MiB; size += 97) {
      const charge = pool.usableSizeFor(size);
      worst = Math.max(worst, charge / size);
    }
    expect(worst).toBeLessThanOrEqual(1.05);
    for (let size = pool.maxSlabSize + 1; size <= 4 * MiB; size += 65_537) expectChargeWithinBound(pool, size);
    for (const size of [16_385, 131_071, 131_072, 131_073, 600_000, MiB, MiB + 1, 4 * MiB]) {
      expectChargeWithinBound(pool, size);
    }
  });

  it("charges random large sizes within 5%", () => {
    const pool = new KvPool();
    fc.assert(
      fc.property(fc.integer({ min: pool.maxSlabSize + 1, max: 4 * MiB }), (size) => {
        expectChargeWithinBound(pool, size);
      }),
      { numRuns: fuzzRuns(60) },
    );
  });

  it("charges a realloc between large sizes exactly like a fresh allocation", () => {
    const pool = new KvPool();
    let h = ok(pool.alloc(600_000));
    for (const size of [700_000, 650_000, 20_000, 2 * MiB, 16_000, 600_000]) {
      h = ok(pool.realloc(h, size));
      expect(pool.usedBytes).toBe(pool.usableSizeFor(size));
      expect(pool.sizeOf(h)).toBe(size);
    }
  });
});

describe("KvPool.grow", () => {
  it("grows a value by small steps with O(n) bytes copied and capacity within the growth factor", () => {
    const pool = new KvPool();
    let h = ok(pool.alloc(0));
    let copied = 0;
    let moves = 0;
    let worst = 0;
    const step = 100;
    for (let size = step; size <= 2 * MiB; size += step) {
      const before = pool.pageOf(h);
      const offset = pool.offsetOf(h);
      const next = ok(pool.grow(h, size));
      if (pool.pageOf(next) !== before || pool.offsetOf(next) !== offset) {
        moves++;
        copied += size - step;
      }
      h = next;
      if (size > pool.maxSlabSize) worst = Math.max(worst, pool.usableSize(h) / size);
    }
    expect(copied).toBeLessThan(6 * 2 * MiB);
    expect(moves).toBeLessThan(60);
    expect(worst).toBeLessThanOrEqual(1.25 + 0.05);
    // An exact realloc at the end gives the headroom back.
    h = ok(pool.realloc(h, 2 * MiB));
    expect(pool.usableSize(h)).toBeLessThanOrEqual(1.05 * 2 * MiB);
  });

  it("keeps the bytes and the accounting while growing and shrinking", () => {
    const pool = new KvPool();
    let h = ok(pool.alloc(10_000));
    pool.pageOf(h).fill(7, pool.offsetOf(h), pool.offsetOf(h) + 10_000);
    h = ok(pool.grow(h, 40_000));
    expect(
      pool
        .view(h)
        .subarray(0, 10_000)
        .every((b) => b === 7),
    ).toBe(true);
    expect(pool.usedBytes).toBe(pool.usableSize(h));
    expect(pool.stats().largeBytes).toBe(pool.usableSize(h));
    h = ok(pool.grow(h, 41_000));
    expect(pool.pageOf(h).length).toBe(50_000);
    const buffer = pool.pageOf(h);
    h = ok(pool.grow(h, 49_999));
    expect(pool.pageOf(h)).toBe(buffer);
    expect(
      pool
        .view(h)
        .subarray(0, 10_000)
        .every((b) => b === 7),
    ).toBe(true);
    expect(pool.requestedBytes).toBe(49_999);
    expect(pool.usedBytes).toBe(50_000 + LARGE_OBJECT_OVERHEAD);
    pool.free(h);
    expect(pool.usedBytes).toBe(0);
    expect(pool.stats().largeBytes).toBe(0);
  });

  it("fits exactly instead of failing when the headroom would pass the budget", () => {
    const pool = new KvPool({ budget: 100_000 + LARGE_OBJECT_OVERHEAD });
    let h = ok(pool.alloc(90_000));
    h = ok(pool.grow(h, 99_000));
    expect(pool.usableSize(h)).toBe(pool.usableSizeFor(99_000));
    expect(isOutOfMemory(pool.grow(h, 100_008))).toBe(true);
    expect(pool.sizeOf(h)).toBe(99_000);
  });
});

describe("KvPool large-object numbers", () => {
  it("numbers large objects past the in-page field (2^13 bits with 4 KiB pages), handles intact", () => {
    const pool = new KvPool({ pageSize: 4096, checkAccess: true });
    const handles: KvHandle[] = [];
    for (let i = 0; i < 10_000; i++) {
      const h = ok(pool.alloc(4097 + (i % 7)));
      pool.pageOf(h)[0] = i & 0xff;
      pool.pageOf(h)[4096] = (i >> 8) & 0xff;
      handles.push(h);
    }
    expect(new Set(handles).size).toBe(10_000);
    for (const [i, h] of handles.entries()) {
      expect(pool.sizeOf(h)).toBe(4097 + (i % 7));
      const bytes = pool.view(h);
      expect(bytes[0]! | (bytes[4096]! << 8)).toBe(i & 0xffff);
    }
    const resized = ok(pool.realloc(handles[9999]!, 9000));
    expect(pool.view(resized)[0]).toBe(9999 & 0xff);
    handles[9999] = resized;
    for (const h of handles) pool.free(h);
    for (const h of handles) expect(pool.isLive(h)).toBe(false);
    expect(pool.usedBytes).toBe(0);
    expect(pool.stats().largeObjects).toBe(0);
  });
});
