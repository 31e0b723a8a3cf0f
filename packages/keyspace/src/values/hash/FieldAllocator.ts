import { type KvHandle, type KvPool, OUT_OF_MEMORY } from "@nedis/allocators/kv-pool";

/**
 * How a {@link FieldTable} gets and gives back the pool allocations of its entries. The keyspace
 * satisfies it with its `MemoryBudget` (commands reserve before they write, so these calls may
 * go past `maxmemory` but never fail half way) and the pool's `free`; tests use the pool alone
 * through {@link poolAllocator}. Neither call may return `OUT_OF_MEMORY`: they throw instead.
 */
export interface FieldAllocator {
  /** A new allocation of `size` bytes (contents unspecified). */
  alloc(size: number): KvHandle;
  /** Resizes an allocation keeping its first `min(old, size)` bytes; the old handle is dead afterwards. */
  realloc(handle: KvHandle, size: number): KvHandle;
  free(handle: KvHandle): void;
}

/** Allocates straight from `pool`, throwing `RangeError` when the pool refuses (budget or process). */
export function poolAllocator(pool: KvPool): FieldAllocator {
  return {
    alloc(size) {
      const handle = pool.alloc(size);
      if (handle === OUT_OF_MEMORY) throw new RangeError(`keyspace: cannot allocate a field entry of ${size} bytes`);
      return handle;
    },
    realloc(handle, size) {
      const moved = pool.realloc(handle, size);
      if (moved === OUT_OF_MEMORY) throw new RangeError(`keyspace: cannot grow a field entry to ${size} bytes`);
      return moved;
    },
    free(handle) {
      pool.free(handle);
    },
  };
}

/** The budget-aware allocator the keyspace gives its hashes and sets (`MemoryBudget` is one). */
export function budgetAllocator(
  budget: { alloc(size: number): KvHandle; realloc(handle: KvHandle, size: number): KvHandle },
  pool: KvPool,
): FieldAllocator {
  return {
    alloc: (size) => budget.alloc(size),
    realloc: (handle, size) => budget.realloc(handle, size),
    free: (handle) => pool.free(handle),
  };
}
