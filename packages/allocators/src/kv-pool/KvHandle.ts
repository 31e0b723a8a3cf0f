declare const kvHandleBrand: unique symbol;

/**
 * An allocation in a {@link KvPool}: a plain non-negative safe integer, never 0, so it can be
 * stored in a `Float64Array` (or any number slot) and a zero-filled array means "no handle".
 *
 * Layout, from the least significant bit (widths depend on the pool's page size; shown for the
 * default 1 MiB page and 16-byte smallest class):
 *
 * | bits    | field                                             |
 * |---------|---------------------------------------------------|
 * | 0–20    | `slot << tailBits | tail` (tail = class size − requested length) |
 * | 21–26   | size class (the last code means "large object")   |
 * | 27–33   | generation of the slot (7 bits)                   |
 * | 34–52   | page index (large objects: their number is bits 34–52 then 0–20) |
 *
 * A handle read back from storage is re-branded with a cast: `table[i] as KvHandle`.
 */
export type KvHandle = number & { readonly [kvHandleBrand]: true };

/** The result of an allocation that would exceed the budget. */
export type OutOfMemory = -1;

/**
 * Returned by `alloc` and `realloc` instead of a handle when the request would exceed the
 * budget: free something (evict) and retry. Nothing was changed by the failed call.
 */
export const OUT_OF_MEMORY: OutOfMemory = -1;

/** Narrows an `alloc`/`realloc` result: true when it is {@link OUT_OF_MEMORY}. */
export function isOutOfMemory(result: KvHandle | OutOfMemory): result is OutOfMemory {
  return result === OUT_OF_MEMORY;
}
