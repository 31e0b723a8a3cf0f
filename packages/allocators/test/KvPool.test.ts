import { describe, expect, it } from "vitest";
import {
  InvalidHandleError,
  isOutOfMemory,
  type KvHandle,
  KvPool,
  LARGE_OBJECT_OVERHEAD,
  OUT_OF_MEMORY,
} from "../src/kv-pool/index.js";

function allocOk(pool: KvPool, size: number): KvHandle {
  const handle = pool.alloc(size);
  if (isOutOfMemory(handle)) throw new Error(`unexpected OUT_OF_MEMORY for ${size}`);
  return handle;
}

function reallocOk(pool: KvPool, handle: KvHandle, size: number): KvHandle {
  const moved = pool.realloc(handle, size);
  if (isOutOfMemory(moved)) throw new Error(`unexpected OUT_OF_MEMORY for ${size}`);
  return moved;
}

function fill(pool: KvPool, handle: KvHandle, seed: number): void {
  const page = pool.pageOf(handle);
  const offset = pool.offsetOf(handle);
  for (let i = 0; i < pool.sizeOf(handle); i++) page[offset + i] = (seed + i * 7) & 0xff;
}

function expectFilled(pool: KvPool, handle: KvHandle, seed: number, length = pool.sizeOf(handle)): void {
  const bytes = pool.view(handle);
  for (let i = 0; i < length; i++) if (bytes[i] !== ((seed + i * 7) & 0xff)) throw new Error(`byte ${i} differs`);
}

describe("KvPool size classes", () => {
  it("grows classes by about 1.25 from 16 bytes up to exactly one page, 8-byte aligned", () => {
    const pool = new KvPool();
    const sizes = pool.stats().classes.map((c) => c.slotSize);
    expect(sizes[0]).toBe(16);
    expect(sizes[sizes.length - 1]).toBe(pool.pageSize);
    for (let i = 1; i < sizes.length; i++) {
      const ratio = (sizes[i] as number) / (sizes[i - 1] as number);
      expect(sizes[i]! % 8).toBe(0);
      expect(ratio).toBeGreaterThan(1);
      // The geometric part stays near the factor; only the last page fractions (1/4, 1/3, 1/2, 1) step further.
      if ((sizes[i] as number) <= pool.pageSize / 8) expect(ratio).toBeLessThanOrEqual(1.5);
    }
  });

  it("leaves no page tail unused by any class", () => {
    for (const c of new KvPool().stats().classes)
      expect(c.slotsPerPage * c.slotSize).toBeGreaterThan(1048576 - 8 * c.slotsPerPage - 1);
  });

  it("puts a request exactly at a class boundary in that class and one byte more in the next", () => {
    const pool = new KvPool({ largeObjectThreshold: 1 << 20 });
    const sizes = pool.stats().classes.map((c) => c.slotSize);
    for (let k = 0; k < sizes.length; k++) {
      const size = sizes[k] as number;
      expect(pool.usableSizeFor(size)).toBe(size);
      const at = allocOk(pool, size);
      expect(pool.usableSize(at)).toBe(size);
      expect(pool.sizeOf(at)).toBe(size);
      if (k + 1 < sizes.length) {
        const above = allocOk(pool, size + 1);
        expect(pool.usableSize(above)).toBe(sizes[k + 1]);
        expect(pool.sizeOf(above)).toBe(size + 1);
        pool.free(above);
      }
      pool.free(at);
    }
  });

  it("gives zero-size allocations a distinct live handle in the smallest class", () => {
    const pool = new KvPool();
    const a = allocOk(pool, 0);
    const b = allocOk(pool, 0);
    expect(a).not.toBe(b);
    expect(pool.sizeOf(a)).toBe(0);
    expect(pool.view(a).length).toBe(0);
    expect(pool.usableSize(a)).toBe(16);
    expect(pool.stats().requestedBytes).toBe(0);
    expect(pool.usedBytes).toBe(32);
  });

  it("never issues handle 0, so zero-filled storage can mean 'no handle'", () => {
    const pool = new KvPool({ pageSize: 4096 });
    for (let i = 0; i < 1000; i++) expect(allocOk(pool, i % 300)).toBeGreaterThan(0);
    expect(allocOk(pool, 10_000)).toBeGreaterThan(0);
  });

  it("rejects sizes that are not integers in 0..2^32-1 with a RangeError", () => {
    const pool = new KvPool();
    for (const size of [-1, 1.5, Number.NaN, 2 ** 32]) expect(() => pool.alloc(size)).toThrow(RangeError);
  });

  it("rejects page sizes and growth factors it cannot encode", () => {
    expect(() => new KvPool({ pageSize: 3000 })).toThrow(RangeError);
    expect(() => new KvPool({ pageSize: 1 << 25 })).toThrow(RangeError);
    expect(() => new KvPool({ growthFactor: 1 })).toThrow(RangeError);
    expect(() => new KvPool({ minSlotSize: 12 })).toThrow(RangeError);
  });
});

describe("KvPool typed-array entry points", () => {
  it("allocInto stores the handle in the caller's array and reports out-of-memory without touching it", () => {
    const pool = new KvPool({ budget: 32 });
    const out = new Float64Array(4);
    expect(pool.allocInto(16, out, 2)).toBe(true);
    expect(pool.isLive(out[2]!)).toBe(true);
    expect(pool.allocInto(5000, out, 3)).toBe(false);
    expect(pool.allocInto(17, out, 3)).toBe(false);
    expect(out[3]).toBe(0);
    pool.budget = 0;
    expect(pool.allocInto(5000, out, 3)).toBe(true);
    expect(pool.sizeOf(out[3] as KvHandle)).toBe(5000);
  });

  it("bytesAt and bytesOf locate slab and large allocations without a view", () => {
    const pool = new KvPool({ pageSize: 4096 });
    const handles = new Float64Array(2);
    pool.allocInto(10, handles, 0);
    pool.allocInto(5000, handles, 1);
    for (let i = 0; i < 2; i++) {
      const handle = handles[i] as KvHandle;
      expect(pool.bytesAt(handles, i)).toBe(pool.pageOf(handle));
      expect([pool.lastOffset, pool.lastLength]).toEqual([pool.offsetOf(handle), pool.sizeOf(handle)]);
      expect(pool.bytesOf(handle)).toBe(pool.pageOf(handle));
      expect(pool.lastLength).toBe(i === 0 ? 10 : 5000);
    }
    const checked = new KvPool({ checkAccess: true });
    checked.allocInto(1, handles, 0);
    checked.freeAt(handles, 0);
    expect(() => checked.bytesAt(handles, 0)).toThrow(InvalidHandleError);
  });

  it("freeAt frees the handle stored in the array and refuses it a second time", () => {
    const pool = new KvPool();
    const handles = new Float64Array(2);
    pool.allocInto(10, handles, 0);
    pool.freeAt(handles, 0);
    expect(pool.liveAllocations).toBe(0);
    expect(() => pool.freeAt(handles, 0)).toThrow(InvalidHandleError);
    expect(() => pool.freeAt(handles, 1)).toThrow(InvalidHandleError);
  });
});

describe("KvPool large objects", () => {
  it("serves page-size values from a slab and bigger ones from their own buffer", () => {
    const pool = new KvPool({ pageSize: 4096 });
    const page = allocOk(pool, 4096);
    expect(pool.usableSize(page)).toBe(4096);
    expect(pool.stats().largeObjects).toBe(0);
    const big = allocOk(pool, 4097);
    const charge = 4104 + LARGE_OBJECT_OVERHEAD;
    expect(pool.usableSize(big)).toBe(charge);
    expect(pool.offsetOf(big)).toBe(0);
    expect(pool.pageOf(big).length).toBe(4104);
    expect(pool.stats()).toMatchObject({ largeObjects: 1, largeBytes: charge, usedBytes: 4096 + charge });
  });

  it("holds a 512 MB value like a Redis string at its limit", () => {
    const pool = new KvPool({ budget: 600 * 2 ** 20 });
    const h = allocOk(pool, 512 * 2 ** 20);
    const bytes = pool.pageOf(h);
    bytes[512 * 2 ** 20 - 1] = 42;
    expect(pool.view(h)[512 * 2 ** 20 - 1]).toBe(42);
    expect(pool.sizeOf(h)).toBe(512 * 2 ** 20);
    pool.free(h);
    expect(pool.usedBytes).toBe(0);
  });

  it("reallocs across the large-object boundary in both directions, keeping the bytes", () => {
    const pool = new KvPool({ pageSize: 4096 });
    let h = allocOk(pool, 3000);
    fill(pool, h, 5);
    let grown = pool.realloc(h, 9000);
    if (isOutOfMemory(grown)) throw new Error("oom");
    expect(pool.isLive(h)).toBe(false);
    expect(pool.stats().largeObjects).toBe(1);
    expectFilled(pool, grown, 5, 3000);
    fill(pool, grown, 9);
    h = grown;
    grown = pool.realloc(h, 4096);
    if (isOutOfMemory(grown)) throw new Error("oom");
    expect(pool.stats().largeObjects).toBe(0);
    expectFilled(pool, grown, 9, 4096);
    const small = pool.realloc(grown, 10);
    if (isOutOfMemory(small)) throw new Error("oom");
    expectFilled(pool, small, 9, 10);
    expect(pool.usedBytes).toBe(16);
    expect(pool.requestedBytes).toBe(10);
  });

  it("resizes a large object in place when its capacity does not change", () => {
    const pool = new KvPool({ pageSize: 4096 });
    const h = allocOk(pool, 5000);
    const buffer = pool.pageOf(h);
    const resized = pool.realloc(h, 4998);
    if (isOutOfMemory(resized)) throw new Error("oom");
    expect(pool.pageOf(resized)).toBe(buffer);
    expect(pool.isLive(h)).toBe(false);
    expect(pool.sizeOf(resized)).toBe(4998);
  });
});

describe("KvPool budget", () => {
  it("returns OUT_OF_MEMORY exactly past the budget and fills it to the last byte", () => {
    const pool = new KvPool({ budget: 64 });
    const handles = [allocOk(pool, 16), allocOk(pool, 16), allocOk(pool, 16)];
    expect(pool.alloc(17)).toBe(OUT_OF_MEMORY);
    const last = allocOk(pool, 16);
    expect(pool.usedBytes).toBe(64);
    expect(pool.alloc(0)).toBe(OUT_OF_MEMORY);
    pool.free(last);
    expect(isOutOfMemory(pool.alloc(1))).toBe(false);
    expect(handles).toHaveLength(3);
  });

  it("treats budget 0 as unlimited", () => {
    const pool = new KvPool({ budget: 0, pageSize: 4096 });
    for (let i = 0; i < 10_000; i++) allocOk(pool, 64);
    expect(pool.usedBytes).toBe(640_000);
  });

  it("keeps allocations when the budget is lowered below use, failing new ones until frees catch up", () => {
    const pool = new KvPool({ budget: 1000 });
    const handles = Array.from({ length: 10 }, () => allocOk(pool, 80));
    pool.budget = 500;
    expect(pool.bytesOverBudget).toBe(300);
    expect(pool.alloc(1)).toBe(OUT_OF_MEMORY);
    expect(handles.every((h) => pool.isLive(h))).toBe(true);
    for (const h of handles.slice(0, 5)) pool.free(h);
    expect(pool.bytesOverBudget).toBe(0);
    expect(isOutOfMemory(pool.alloc(16))).toBe(false);
    pool.budget = 0;
    expect(pool.bytesOverBudget).toBe(0);
  });

  it("lets a realloc shrink while over budget and refuses growth past it, leaving the old allocation", () => {
    const pool = new KvPool({ budget: 200 });
    const a = allocOk(pool, 80);
    const b = allocOk(pool, 80);
    fill(pool, b, 3);
    const refused = pool.realloc(b, 130);
    expect(refused).toBe(OUT_OF_MEMORY);
    expect(pool.isLive(b)).toBe(true);
    expectFilled(pool, b, 3);
    pool.budget = 100;
    const shrunk = pool.realloc(b, 10);
    expect(isOutOfMemory(shrunk)).toBe(false);
    expect(pool.usedBytes).toBe(80 + 16);
    expect(pool.isLive(a)).toBe(true);
  });

  it("charges external memory to the same budget", () => {
    const pool = new KvPool({ budget: 100 });
    expect(pool.tryChargeExternal(80)).toBe(true);
    expect(pool.tryChargeExternal(30)).toBe(false);
    expect(pool.alloc(24)).toBe(OUT_OF_MEMORY);
    allocOk(pool, 16);
    pool.adjustExternal(50);
    expect(pool.usedBytes).toBe(146);
    expect(pool.bytesOverBudget).toBe(46);
    expect(() => pool.adjustExternal(-200)).toThrow(RangeError);
    pool.adjustExternal(-130);
    expect(pool.stats()).toMatchObject({ externalBytes: 0, usedBytes: 16 });
  });

  it("rejects a budget that is not a non-negative integer", () => {
    const pool = new KvPool();
    expect(() => {
      pool.budget = -1;
    }).toThrow(RangeError);
    expect(() => new KvPool({ budget: 1.5 })).toThrow(RangeError);
  });
});

describe("KvPool handle misuse", () => {
  it("throws InvalidHandleError on a double free", () => {
    const pool = new KvPool();
    const h = allocOk(pool, 10);
    pool.free(h);
    expect(() => pool.free(h)).toThrow(InvalidHandleError);
  });

  it("catches a stale handle whose slot was reused, in free, realloc, view and isLive", () => {
    const pool = new KvPool();
    const stale = allocOk(pool, 10);
    const offset = pool.offsetOf(stale);
    pool.free(stale);
    const reused = allocOk(pool, 10);
    expect(pool.offsetOf(reused)).toBe(offset);
    expect(reused).not.toBe(stale);
    expect(pool.isLive(stale)).toBe(false);
    expect(() => pool.free(stale)).toThrow(InvalidHandleError);
    expect(() => pool.realloc(stale, 4)).toThrow(InvalidHandleError);
    expect(() => pool.view(stale)).toThrow(InvalidHandleError);
    expect(() => pool.usableSize(stale)).toThrow(InvalidHandleError);
    expect(pool.isLive(reused)).toBe(true);
  });

  it("detects a stale handle through 127 reuses of its slot", () => {
    const pool = new KvPool();
    const stale = allocOk(pool, 10);
    pool.free(stale);
    for (let i = 0; i < 127; i++) {
      const h = allocOk(pool, 10);
      expect(h).not.toBe(stale);
      expect(pool.isLive(stale)).toBe(false);
      pool.free(h);
    }
  });

  it("invalidates the old handle of an in-place realloc", () => {
    const pool = new KvPool();
    const h = allocOk(pool, 20);
    const same = pool.realloc(h, 22);
    if (isOutOfMemory(same)) throw new Error("oom");
    expect(pool.offsetOf(same)).toBe(pool.offsetOf(h));
    expect(pool.isLive(h)).toBe(false);
    expect(() => pool.free(h)).toThrow(InvalidHandleError);
  });

  it("catches stale handles to a page that moved to another class", () => {
    const pool = new KvPool({ pageSize: 4096, retainedFreePages: 1 });
    const first = Array.from({ length: 256 }, () => allocOk(pool, 16));
    const spare = allocOk(pool, 16);
    for (const h of first) pool.free(h);
    const moved = allocOk(pool, 2048);
    expect(pool.stats().classes.find((c) => c.slotSize === 2048)?.pages).toBe(1);
    for (const h of first) expect(pool.isLive(h)).toBe(false);
    expect(pool.isLive(moved)).toBe(true);
    expect(pool.isLive(spare)).toBe(true);
  });

  it("catches a stale handle after its page was dropped and a new page took its number", () => {
    const pool = new KvPool({ pageSize: 4096, retainedFreePages: 0 });
    let h = allocOk(pool, 25);
    const dead: KvHandle[] = [];
    for (let i = 0; i < 3; i++) {
      dead.push(h);
      const next = pool.realloc(h, 25);
      if (isOutOfMemory(next)) throw new Error("oom");
      h = next;
    }
    dead.push(h);
    pool.clear();
    const fresh = allocOk(pool, 25);
    expect(pool.offsetOf(fresh)).toBe(0);
    for (const d of dead) {
      expect(d).not.toBe(fresh);
      expect(pool.isLive(d)).toBe(false);
    }
  });

  it("rejects OUT_OF_MEMORY, 0 and garbage numbers as handles", () => {
    const pool = new KvPool();
    allocOk(pool, 1);
    for (const bad of [OUT_OF_MEMORY, 0, 1, 0.5, 2 ** 53, Number.NaN]) {
      expect(pool.isLive(bad)).toBe(false);
      expect(() => pool.free(bad as KvHandle)).toThrow(InvalidHandleError);
    }
  });

  it("checks the raw accessors only in checkAccess mode", () => {
    const checked = new KvPool({ checkAccess: true });
    const a = allocOk(checked, 10);
    checked.free(a);
    expect(() => checked.pageOf(a)).toThrow(InvalidHandleError);
    expect(() => checked.offsetOf(a)).toThrow(InvalidHandleError);
    expect(() => checked.sizeOf(a)).toThrow(InvalidHandleError);
    const fast = new KvPool();
    const b = allocOk(fast, 10);
    fast.free(b);
    expect(fast.sizeOf(b)).toBe(10);
  });

  it("bounds-checks write", () => {
    const pool = new KvPool();
    const h = allocOk(pool, 4);
    pool.write(h, Uint8Array.of(1, 2), 2);
    expect([...pool.view(h).subarray(2)]).toEqual([1, 2]);
    expect(() => pool.write(h, Uint8Array.of(1, 2), 3)).toThrow(RangeError);
  });
});

describe("KvPool pages", () => {
  it("moves a page that stayed empty to the class that needs one instead of growing", () => {
    const pool = new KvPool({ pageSize: 4096, retainedFreePages: 0 });
    const small = Array.from({ length: 256 * 3 }, () => allocOk(pool, 16));
    expect(pool.stats().pages).toBe(3);
    for (const h of small) pool.free(h);
    // Two pages left the class at once (dropped: none retained); the last stays as its standby.
    expect(pool.stats().pages).toBe(1);
    // The standby has just emptied: the first request passes it over (its second chance)…
    allocOk(pool, 1000);
    expect(pool.stats().pages).toBe(2);
    // …the next one, finding it still empty, takes it.
    allocOk(pool, 2000);
    const stats = pool.stats();
    expect(stats.pages).toBe(2);
    expect(stats.classes[0]?.pages).toBe(0);
  });

  it("does not turn pages over while values grow through classes one step at a time", () => {
    // A set gaining members one by one (SADD of ten) reallocates its entry through several
    // classes per command; each class's page empties and refills every time.
    const pool = new KvPool({ pageSize: 4096, retainedFreePages: 0 });
    const kept: number[] = [];
    for (let key = 0; key < 2000; key++) {
      let h = allocOk(pool, 16);
      for (let size = 24; size <= 200; size += 16) h = reallocOk(pool, h, size);
      kept.push(h);
    }
    const stats = pool.stats();
    // About one assignment per page ever needed (the final class's pages, one per middle class);
    // taking each middle class's fresh standby page made it ~8 per value (16,100 here).
    expect(stats.pageAssignments).toBeLessThan(2 * stats.pages);
    expect(kept.length).toBe(2000);
  });

  it("retains up to retainedFreePages empty pages and drops the rest", () => {
    const pool = new KvPool({ pageSize: 4096, retainedFreePages: 2 });
    const handles = Array.from({ length: 256 * 5 }, () => allocOk(pool, 16));
    for (const h of handles) pool.free(h);
    expect(pool.stats()).toMatchObject({ pages: 3, freePages: 2 });
    pool.retainedFreePages = 0;
    expect(pool.stats()).toMatchObject({ pages: 1, freePages: 0 });
  });

  it("refills holes in full pages before touching emptier ones", () => {
    const pool = new KvPool({ pageSize: 4096 });
    const handles = Array.from({ length: 512 }, () => allocOk(pool, 16));
    const firstPage = pool.pageOf(handles[0]!);
    pool.free(handles[3]!);
    const refill = allocOk(pool, 16);
    expect(pool.pageOf(refill)).toBe(firstPage);
  });

  it("reports stats that add up", () => {
    const pool = new KvPool({ pageSize: 4096 });
    const a = allocOk(pool, 10);
    allocOk(pool, 100);
    allocOk(pool, 5000);
    pool.free(a);
    const stats = pool.stats();
    expect(stats.liveAllocations).toBe(2);
    expect(stats.requestedBytes).toBe(5100);
    expect(stats.usedBytes).toBe(104 + 5000 + LARGE_OBJECT_OVERHEAD);
    expect(stats.heldBytes).toBe(stats.pages * 4096 + stats.largeBytes + stats.metadataBytes);
    expect(stats.fragmentationRatio).toBeCloseTo(stats.heldBytes / stats.usedBytes);
    const cls = stats.classes.find((c) => c.slotSize === 104);
    expect(cls).toMatchObject({ pages: 1, liveSlots: 1, usedBytes: 104, freeSlots: cls!.slotsPerPage - 1 });
  });

  it("clear frees everything and makes every old handle stale", () => {
    const pool = new KvPool({ pageSize: 4096 });
    const handles = [allocOk(pool, 10), allocOk(pool, 3000), allocOk(pool, 9000)];
    pool.tryChargeExternal(7);
    pool.clear();
    expect(pool.stats()).toMatchObject({ liveAllocations: 0, requestedBytes: 0, usedBytes: 7, largeObjects: 0 });
    for (const h of handles) expect(pool.isLive(h)).toBe(false);
    const again = allocOk(pool, 10);
    expect(handles).not.toContain(again);
  });
});
