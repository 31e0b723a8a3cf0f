import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FixedPool, InvalidHandleError, POOL_FULL, type PoolHandle } from "../src/fixed-pool/index.js";
import { fuzzRuns, fuzzTimeout } from "./utils/fuzzRuns.js";

type Op =
  | { kind: "acquire" }
  | { kind: "release"; pick: number }
  | { kind: "releaseStale"; pick: number }
  | { kind: "setLimit"; limit: number };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: "acquire" as const }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("release" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("releaseStale" as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("setLimit" as const), limit: fc.integer({ min: 0, max: 12 }) }),
  },
);

describe("FixedPool against a reference model", () => {
  it(
    "refuses exactly at the limit, keeps live handles distinct, and never resolves a stale one",
    () => {
      fc.assert(
        fc.property(fc.array(opArbitrary, { maxLength: 200 }), fc.integer({ min: 0, max: 8 }), (ops, initialLimit) => {
          const pool = new FixedPool({ limit: initialLimit, create: (index) => ({ index, owner: -1 }) });
          let limit = initialLimit;
          let capacity = initialLimit;
          const live: PoolHandle[] = [];
          const dead: PoolHandle[] = [];
          let serial = 0;
          const owners = new Map<PoolHandle, number>();
          for (const op of ops) {
            switch (op.kind) {
              case "acquire": {
                const handle = pool.acquire();
                expect(handle === POOL_FULL).toBe(live.length >= limit);
                if (handle === POOL_FULL) break;
                expect(live).not.toContain(handle);
                const item = pool.get(handle)!;
                expect(item.index).toBe(pool.indexOf(handle));
                item.owner = ++serial;
                owners.set(handle, serial);
                live.push(handle);
                break;
              }
              case "release": {
                if (live.length === 0) break;
                const [handle] = live.splice(op.pick % live.length, 1);
                pool.release(handle!);
                dead.push(handle!);
                break;
              }
              case "releaseStale": {
                if (dead.length === 0) break;
                const stale = dead[op.pick % dead.length]!;
                expect(() => pool.release(stale)).toThrow(InvalidHandleError);
                break;
              }
              case "setLimit":
                pool.setLimit(op.limit);
                limit = op.limit;
                capacity = Math.max(capacity, op.limit);
                break;
            }
            // Every live handle reaches its own item, untouched by anyone else.
            for (const handle of live) expect(pool.get(handle)!.owner).toBe(owners.get(handle));
            for (const handle of dead) {
              expect(pool.get(handle)).toBeUndefined();
              expect(pool.isLive(handle)).toBe(false);
            }
            const visited: PoolHandle[] = [];
            pool.forEach((_, handle) => visited.push(handle));
            expect(visited.sort((a, b) => a - b)).toEqual([...live].sort((a, b) => a - b));
            expect(pool.stats()).toMatchObject({
              live: live.length,
              limit,
              capacity,
              available: Math.max(0, limit - live.length),
            });
          }
        }),
        { numRuns: fuzzRuns(300) },
      );
    },
    fuzzTimeout(300, 200),
  );
});
