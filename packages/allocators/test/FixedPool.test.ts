import { describe, expect, it } from "vitest";
import { FixedPool, InvalidHandleError, isPoolFull, POOL_FULL, type PoolHandle } from "../src/fixed-pool/index.js";

interface Client {
  id: number;
  name: string;
}

function clientPool(limit: number, preallocate = true): FixedPool<Client> {
  return new FixedPool<Client>({
    limit,
    preallocate,
    create: (index) => ({ id: index, name: "" }),
    reset: (client) => {
      client.name = "";
    },
  });
}

function acquireOk<T>(pool: FixedPool<T>): PoolHandle {
  const handle = pool.acquire();
  if (isPoolFull(handle)) throw new Error("unexpected POOL_FULL");
  return handle;
}

describe("FixedPool", () => {
  it("hands out slots up to the limit, then POOL_FULL", () => {
    const pool = clientPool(3);
    const handles = [acquireOk(pool), acquireOk(pool), acquireOk(pool)];
    expect(handles).toEqual([0, 1, 2]);
    expect(pool.acquire()).toBe(POOL_FULL);
    expect(pool.stats()).toMatchObject({ live: 3, available: 0, acquires: 3, rejections: 1 });
  });

  it("reuses items and resets them on release", () => {
    const pool = clientPool(1);
    const first = acquireOk(pool);
    const item = pool.get(first)!;
    item.name = "alice";
    pool.release(first);
    const second = acquireOk(pool);
    expect(pool.get(second)).toBe(item);
    expect(item.name).toBe("");
  });

  it("never lets a stale handle reach the slot's next occupant (ABA)", () => {
    const pool = clientPool(1);
    const stale = acquireOk(pool);
    pool.release(stale);
    const fresh = acquireOk(pool);
    expect(pool.indexOf(fresh)).toBe(0);
    expect(fresh).not.toBe(stale);
    expect(pool.get(stale)).toBeUndefined();
    expect(pool.isLive(stale)).toBe(false);
    expect(pool.indexOf(stale)).toBe(-1);
    expect(() => pool.release(stale)).toThrow(InvalidHandleError);
    expect(pool.isLive(fresh)).toBe(true);
  });

  it("throws on a double release and on handles it never issued", () => {
    const pool = clientPool(2);
    const h = acquireOk(pool);
    pool.release(h);
    expect(() => pool.release(h)).toThrow(InvalidHandleError);
    for (const bad of [POOL_FULL, 5, 0.5, Number.NaN, 2 ** 60]) expect(pool.get(bad as PoolHandle)).toBeUndefined();
  });

  it("retires a slot whose generation is exhausted instead of wrapping it", () => {
    const pool = clientPool(1);
    const h = acquireOk(pool);
    // White-box: fast-forward the slot's generation to its maximum (2^29 - 1).
    (pool as unknown as { generation: Int32Array }).generation[0] = 2 ** 29 - 1;
    const last = (2 ** 29 - 1) * 2 ** 24;
    expect(pool.isLive(h)).toBe(false);
    expect(pool.isLive(last)).toBe(true);
    pool.release(last as PoolHandle);
    expect(pool.acquire()).toBe(POOL_FULL);
    expect(pool.stats()).toMatchObject({ retiredSlots: 1, live: 0, available: 0 });
    pool.setLimit(2);
    expect(acquireOk(pool)).toBe(1);
  });

  it("grows capacity when the limit is raised", () => {
    const pool = clientPool(1);
    acquireOk(pool);
    pool.setLimit(3);
    expect(pool.capacity).toBe(3);
    expect([acquireOk(pool), acquireOk(pool)].sort()).toEqual([1, 2]);
    expect(pool.acquire()).toBe(POOL_FULL);
  });

  it("keeps live slots when the limit is lowered and refuses acquire until enough are released", () => {
    const pool = clientPool(4);
    const handles = [acquireOk(pool), acquireOk(pool), acquireOk(pool), acquireOk(pool)];
    pool.setLimit(2);
    expect(handles.every((h) => pool.isLive(h))).toBe(true);
    expect(pool.stats()).toMatchObject({ live: 4, limit: 2, capacity: 4, available: 0 });
    pool.release(handles[0]!);
    pool.release(handles[1]!);
    expect(pool.acquire()).toBe(POOL_FULL);
    pool.release(handles[2]!);
    expect(isPoolFull(pool.acquire())).toBe(false);
  });

  it("iterates live slots only, and allows releasing the visited one", () => {
    const pool = clientPool(5);
    const handles = Array.from({ length: 5 }, () => acquireOk(pool));
    pool.release(handles[1]!);
    const seen: number[] = [];
    pool.forEach((client, handle) => {
      seen.push(client.id);
      if (client.id % 2 === 0) pool.release(handle);
    });
    expect(seen.sort()).toEqual([0, 2, 3, 4]);
    expect([...pool.values()].map((c) => c.id)).toEqual([3]);
    expect(pool.handleAt(0)).toBe(handles[3]);
    expect(() => pool.handleAt(1)).toThrow(RangeError);
  });

  it("creates items lazily when preallocate is false", () => {
    let created = 0;
    const pool = new FixedPool({ limit: 100, preallocate: false, create: (i) => ({ i, n: ++created }) });
    expect(created).toBe(0);
    const h = acquireOk(pool);
    expect(created).toBe(1);
    pool.release(h);
    acquireOk(pool);
    expect(created).toBe(1);
  });

  it("serves typed records through indexOf", () => {
    const pool = new FixedPool({ limit: 4, create: () => undefined });
    const lastSeen = new Float64Array(pool.capacity);
    const h = acquireOk(pool);
    lastSeen[pool.indexOf(h)] = 123;
    expect(lastSeen[0]).toBe(123);
  });

  it("rejects limits outside 0..2^24", () => {
    expect(() => clientPool(-1)).toThrow(RangeError);
    expect(() => clientPool(2 ** 24 + 1)).toThrow(RangeError);
    const pool = clientPool(0);
    expect(pool.acquire()).toBe(POOL_FULL);
  });
});
