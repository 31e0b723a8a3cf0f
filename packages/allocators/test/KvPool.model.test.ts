import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isOutOfMemory, type KvHandle, KvPool, LARGE_OBJECT_OVERHEAD, OUT_OF_MEMORY } from "../src/kv-pool/index.js";
import { fuzzRuns, fuzzTimeout } from "./utils/fuzzRuns.js";

/** A live allocation as the reference model sees it: its length and the bytes it must hold. */
interface ModelAllocation {
  handle: KvHandle;
  bytes: Uint8Array;
}

type Op =
  | { kind: "alloc"; size: number; seed: number; into: boolean }
  | { kind: "allocRest"; extra: number; seed: number; into: boolean }
  | { kind: "free"; pick: number; at: boolean }
  | { kind: "realloc"; pick: number; size: number; seed: number }
  | { kind: "budget"; bytes: number }
  | { kind: "budgetTight"; slack: number }
  | { kind: "external"; bytes: number }
  | { kind: "clear" };

const PAGE = 4096;

/** Sizes that stress the interesting places: tiny, class boundaries, one page, beyond a page. */
function sizeArbitrary(classSizes: readonly number[]): fc.Arbitrary<number> {
  const boundary = fc.constantFrom(...classSizes).chain((size) => fc.constantFrom(size - 1, size, size + 1));
  return fc.oneof(
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 64 }) },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 2100 }) },
    { weight: 3, arbitrary: boundary },
    { weight: 1, arbitrary: fc.integer({ min: PAGE - 8, max: 3 * PAGE }) },
  );
}

/** Unlimited, a multiple of 8 (so exact fits happen), or any byte count. */
const budgetArbitrary = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 5000 }).map((n) => n * 8),
  fc.integer({ min: 0, max: 40_000 }),
);

/**
 * Operations whose sizes mostly come from a small per-run palette, so that the same classes fill
 * pages, get holes and refill (where page-policy bugs show), with some fully random sizes.
 */
function opArbitrary(classSizes: readonly number[], palette: readonly number[]): fc.Arbitrary<Op> {
  const size = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...palette) },
    { weight: 1, arbitrary: sizeArbitrary(classSizes) },
  );
  const seed = fc.integer({ min: 0, max: 255 });
  return fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant("alloc" as const), size, seed, into: fc.boolean() }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("allocRest" as const),
        extra: fc.constantFrom(-8, 0, 1),
        seed,
        into: fc.boolean(),
      }),
    },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant("free" as const), pick: fc.nat(), at: fc.boolean() }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("realloc" as const), pick: fc.nat(), size, seed }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("budget" as const), bytes: budgetArbitrary }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("budgetTight" as const),
        slack: fc.constantFrom(...classSizes, PAGE + 8, 1, -64, -PAGE),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("external" as const), bytes: fc.integer({ min: -2000, max: 2000 }) }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: "clear" as const }) },
  );
}

/**
 * The reference's charge for `size` bytes: the smallest class that fits, or (above the page, the
 * large-object threshold of these pools) the size rounded to 8 plus the per-object overhead.
 */
function modelUsable(classSizes: readonly number[], size: number): number {
  if (size > PAGE) return Math.ceil(size / 8) * 8 + LARGE_OBJECT_OVERHEAD;
  for (const classSize of classSizes) if (classSize >= size) return classSize;
  throw new Error("unreachable");
}

function patternBytes(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (seed * 131 + i * 17) & 0xff;
  return bytes;
}

function writeBytes(pool: KvPool, handle: KvHandle, bytes: Uint8Array): void {
  pool.pageOf(handle).set(bytes, pool.offsetOf(handle));
}

function fail(message: string): never {
  throw new Error(message);
}

/** Every invariant the pool must satisfy against the model after each step (plain checks: fast). */
function checkAgainstModel(
  pool: KvPool,
  live: ModelAllocation[],
  dead: KvHandle[],
  classSizes: readonly number[],
  budget: number,
  external: number,
): void {
  const stats = pool.stats();
  let used = external;
  let requested = 0;
  let largeObjects = 0;
  let largeBytes = 0;
  const perClass = new Map<number, number>();
  for (const a of live) {
    const usable = modelUsable(classSizes, a.bytes.length);
    used += usable;
    requested += a.bytes.length;
    if (a.bytes.length > PAGE) {
      largeObjects++;
      largeBytes += usable;
    } else {
      perClass.set(usable, (perClass.get(usable) ?? 0) + 1);
    }
  }
  expect({
    used: stats.usedBytes,
    requested: stats.requestedBytes,
    live: stats.liveAllocations,
    external: stats.externalBytes,
    largeObjects: stats.largeObjects,
    largeBytes: stats.largeBytes,
  }).toEqual({
    used,
    requested,
    live: live.length,
    external,
    largeObjects,
    largeBytes,
  });
  if (stats.heldBytes !== stats.pages * PAGE + stats.largeBytes + stats.metadataBytes)
    fail("heldBytes does not add up");
  for (const cls of stats.classes) {
    const inClass = perClass.get(cls.slotSize) ?? 0;
    if (
      cls.liveSlots !== inClass ||
      cls.usedBytes !== inClass * cls.slotSize ||
      cls.freeSlots !== cls.pages * cls.slotsPerPage - inClass
    ) {
      fail(`class ${cls.slotSize}: ${JSON.stringify(cls)} but the model has ${inClass} live`);
    }
  }

  // No two live allocations overlap, and each reads back exactly what was written.
  const byPage = new Map<Uint8Array, [number, number][]>();
  for (const a of live) {
    if (!pool.isLive(a.handle)) fail(`live handle ${a.handle} reported dead`);
    if (pool.sizeOf(a.handle) !== a.bytes.length) fail(`sizeOf ${a.handle}`);
    const page = pool.pageOf(a.handle);
    const start = pool.offsetOf(a.handle);
    // A large object's usable size includes its overhead; its extent is its own buffer.
    const end = a.bytes.length > PAGE ? page.length : start + pool.usableSize(a.handle);
    if (end > page.length) fail(`allocation ${a.handle} runs past its page`);
    const ranges = byPage.get(page) ?? [];
    ranges.push([start, end]);
    byPage.set(page, ranges);
    for (let i = 0; i < a.bytes.length; i++)
      if (page[start + i] !== a.bytes[i]) fail(`byte ${i} of ${a.handle} changed`);
  }
  for (const ranges of byPage.values()) {
    ranges.sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < ranges.length; i++) if (ranges[i]![0] < ranges[i - 1]![1]) fail("two live allocations overlap");
  }
  for (const handle of dead) if (pool.isLive(handle)) fail(`dead handle ${handle} reported live`);
  if (budget !== 0 && Math.max(0, used - budget) !== pool.bytesOverBudget)
    fail("bytesOverBudget disagrees with the model");
}

function run(ops: readonly Op[], retainedFreePages: number, initialBudget: number): void {
  const pool = new KvPool({ pageSize: PAGE, budget: initialBudget, retainedFreePages, checkAccess: true });
  const classSizes = pool.stats().classes.map((c) => c.slotSize);
  const live: ModelAllocation[] = [];
  const dead: KvHandle[] = [];
  let budget = initialBudget;
  let external = 0;
  const used = (): number => live.reduce((sum, a) => sum + modelUsable(classSizes, a.bytes.length), 0) + external;
  for (const op of ops) {
    switch (op.kind) {
      case "alloc":
      case "allocRest": {
        // allocRest asks for exactly the bytes left under the budget (an exact fit when that is a
        // class size or above a page), a little less, or one byte more.
        const size =
          op.kind === "alloc"
            ? op.size
            : budget === 0
              ? 100
              : Math.max(0, Math.min(3 * PAGE, budget - used() + op.extra));
        const mustFail = budget !== 0 && used() + modelUsable(classSizes, size) > budget;
        const before = pool.stats().classes;
        let handle: KvHandle | typeof OUT_OF_MEMORY;
        if (op.into) {
          const out = new Float64Array(3).fill(7);
          const ok = pool.allocInto(size, out, 1);
          expect(out[1] === 7).toBe(!ok);
          handle = ok ? (out[1] as KvHandle) : OUT_OF_MEMORY;
        } else {
          handle = pool.alloc(size);
        }
        expect(isOutOfMemory(handle)).toBe(mustFail);
        if (isOutOfMemory(handle)) break;
        if (size <= PAGE) {
          // A class takes a new page only when every page it has is full.
          const cls = pool.stats().classes.find((c) => c.slotSize === modelUsable(classSizes, size))!;
          if (cls.pages > before[cls.index]!.pages) expect(cls.freeSlots).toBe(cls.slotsPerPage - 1);
        }
        const bytes = patternBytes(size, op.seed);
        writeBytes(pool, handle, bytes);
        live.push({ handle, bytes });
        break;
      }
      case "free": {
        if (live.length === 0) break;
        const [victim] = live.splice(op.pick % live.length, 1);
        if (op.at) pool.freeAt(Float64Array.of(0, victim!.handle), 1);
        else pool.free(victim!.handle);
        dead.push(victim!.handle);
        break;
      }
      case "realloc": {
        if (live.length === 0) break;
        const target = live[op.pick % live.length]!;
        const oldUsable = modelUsable(classSizes, target.bytes.length);
        const newUsable = modelUsable(classSizes, op.size);
        const mustFail = budget !== 0 && newUsable > oldUsable && used() - oldUsable + newUsable > budget;
        const handle = pool.realloc(target.handle, op.size);
        expect(handle === OUT_OF_MEMORY).toBe(mustFail);
        if (isOutOfMemory(handle)) break;
        const bytes = patternBytes(op.size, op.seed);
        const kept = Math.min(op.size, target.bytes.length);
        bytes.set(target.bytes.subarray(0, kept));
        expect(pool.view(handle).subarray(0, kept)).toEqual(target.bytes.subarray(0, kept));
        writeBytes(pool, handle, bytes);
        dead.push(target.handle);
        target.handle = handle;
        target.bytes = bytes;
        break;
      }
      case "budget":
        pool.budget = op.bytes;
        budget = op.bytes;
        break;
      case "budgetTight":
        // Leaves exactly `slack` bytes free, so the next fitting request is an exact fit (or puts
        // usage over the budget, as a lowered maxmemory does).
        budget = Math.max(0, used() + op.slack);
        pool.budget = budget;
        break;
      case "external": {
        if (op.bytes >= 0) {
          const mustFail = budget !== 0 && used() + op.bytes > budget;
          expect(pool.tryChargeExternal(op.bytes)).toBe(!mustFail);
          if (!mustFail) external += op.bytes;
        } else {
          const delta = Math.max(op.bytes, -external);
          pool.adjustExternal(delta);
          external += delta;
        }
        break;
      }
      case "clear":
        pool.clear();
        for (const a of live) dead.push(a.handle);
        live.length = 0;
        break;
    }
    checkAgainstModel(pool, live, dead, classSizes, budget, external);
  }
}

describe("KvPool against a reference model", () => {
  const classSizes = new KvPool({ pageSize: PAGE }).stats().classes.map((c) => c.slotSize);

  it(
    "keeps allocations disjoint and intact, stats exact, budget honoured, OOM exactly when due",
    () => {
      fc.assert(
        fc.property(
          fc
            .array(sizeArbitrary(classSizes), { minLength: 1, maxLength: 4 })
            .chain((palette) => fc.array(opArbitrary(classSizes, palette), { maxLength: 120 })),
          fc.integer({ min: 0, max: 3 }),
          budgetArbitrary,
          (ops, retained, budget) => run(ops, retained, budget),
        ),
        { numRuns: fuzzRuns(250) },
      );
    },
    fuzzTimeout(250, 400),
  );

  it(
    "never lets usage pass a budget that was never lowered",
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.boolean(), sizeArbitrary(classSizes)), { maxLength: 300 }),
          fc.integer({ min: 1, max: 30_000 }),
          (steps, budget) => {
            const pool = new KvPool({ pageSize: PAGE, budget });
            const handles: KvHandle[] = [];
            for (const [allocate, size] of steps) {
              if (allocate || handles.length === 0) {
                const h = pool.alloc(size);
                if (!isOutOfMemory(h)) handles.push(h);
              } else {
                pool.free(handles.pop()!);
              }
              expect(pool.usedBytes).toBeLessThanOrEqual(budget);
            }
          },
        ),
        { numRuns: fuzzRuns(150) },
      );
    },
    fuzzTimeout(150, 400),
  );
});
