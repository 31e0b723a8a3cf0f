import { isUint32 } from "../shared/bits.js";

/** Construction options of a {@link KvPool}. */
export interface KvPoolOptions {
  /**
   * Most bytes that may be in use at once (see `KvPool.usedBytes`); 0 means unlimited, like
   * Redis's `maxmemory 0`. Changeable later through `KvPool.budget`. Default 0.
   */
  budget?: number;
  /** Bytes per page: a power of two from 4 KiB to 16 MiB. Default 1 MiB. */
  pageSize?: number;
  /** Ratio between consecutive size classes, from 1.05 to 2. Default 1.25. */
  growthFactor?: number;
  /** Smallest slot in bytes: a multiple of 8 from 8 to 1024. Default 16. */
  minSlotSize?: number;
  /**
   * Requests above this many bytes get a buffer of their own (charged their length rounded up,
   * plus ~450 bytes of per-object overhead: within 3.5% of the request from the default up) instead of a slab slot
   * (up to 25% larger than the request with the default growth factor). From 1024 to `pageSize`.
   * Default 16 KiB, or `pageSize` when smaller.
   */
  largeObjectThreshold?: number;
  /**
   * Pages that no class uses but that keep their buffer for quick reuse; pages freed beyond this
   * are dropped so the memory can return to the system. Default 4.
   */
  retainedFreePages?: number;
  /**
   * Debug mode: `pageOf`, `offsetOf` and `sizeOf` also verify that the handle is live and throw
   * `InvalidHandleError` otherwise (they are unchecked by default because they are the hot path).
   * Default false.
   */
  checkAccess?: boolean;
}

/** Per-class numbers of {@link KvPoolStats}. */
export interface KvPoolClassStats {
  /** Class index (the order of slot sizes). */
  readonly index: number;
  /** Bytes per slot. */
  readonly slotSize: number;
  /** Slots carved from one page. */
  readonly slotsPerPage: number;
  /** Pages owned by the class. */
  readonly pages: number;
  /** Slots currently allocated. */
  readonly liveSlots: number;
  /** Slots of the class's pages that are not allocated. */
  readonly freeSlots: number;
  /** `liveSlots * slotSize`. */
  readonly usedBytes: number;
}

/** A snapshot of a {@link KvPool}'s accounting, exact at the time of the call. */
export interface KvPoolStats {
  /** The budget in bytes, 0 when unlimited. */
  readonly budget: number;
  /** Bytes in use: slot sizes of live slab allocations + large-object capacity + external charges. */
  readonly usedBytes: number;
  /** Sum of the lengths requested for live allocations. */
  readonly requestedBytes: number;
  /** Bytes charged through `tryChargeExternal`/`adjustExternal`. */
  readonly externalBytes: number;
  /** Live allocations (slab and large). */
  readonly liveAllocations: number;
  /** Bytes of page size. */
  readonly pageSize: number;
  /** Pages holding a buffer: assigned to a class or retained free. */
  readonly pages: number;
  /** Pages holding a buffer that no class owns. */
  readonly freePages: number;
  /** Live large objects. */
  readonly largeObjects: number;
  /** Bytes reserved by live large objects. */
  readonly largeBytes: number;
  /** Bytes of the per-slot state tables (1 byte per slot of every assigned page). */
  readonly metadataBytes: number;
  /** Times a page was given to a size class since the pool was made (page turnover). */
  readonly pageAssignments: number;
  /** Bytes the pool holds: pages + large objects + state tables. */
  readonly heldBytes: number;
  /**
   * `heldBytes / (usedBytes - externalBytes)`: 1.0 means every held byte is handed out; 1 when
   * nothing is allocated. Compare with Redis's `allocator_frag_ratio`.
   */
  readonly fragmentationRatio: number;
  /** Per size class, ascending by slot size. */
  readonly classes: readonly KvPoolClassStats[];
}

/**
 * Default `largeObjectThreshold`. A buffer of its own costs ~450 bytes beyond its length (see
 * `LARGE_OBJECT_OVERHEAD`): 2.8% just above 16 KiB, 5% near 9 KiB; slab classes waste up to 25%
 * (11% on average) at every size. From 16 KiB up an object of its own is the cheaper home, and a
 * buffer this size is made and freed in ~1–3 µs, on a par with copying the value in.
 */
export const DEFAULT_LARGE_OBJECT_THRESHOLD = 16 * 1024;

/** `options` with defaults applied, validated (throws `RangeError`). The budget is checked by the pool. */
export function resolveKvPoolOptions(
  options: KvPoolOptions,
): Required<
  Pick<KvPoolOptions, "pageSize" | "growthFactor" | "minSlotSize" | "retainedFreePages" | "largeObjectThreshold">
> {
  const pageSize = options.pageSize ?? 1 << 20;
  const growthFactor = options.growthFactor ?? 1.25;
  const minSlotSize = options.minSlotSize ?? 16;
  const retainedFreePages = options.retainedFreePages ?? 4;
  if (!isUint32(pageSize) || pageSize < 4096 || pageSize > 1 << 24 || (pageSize & (pageSize - 1)) !== 0) {
    throw new RangeError(`pageSize must be a power of two from 4096 to 16777216, got ${pageSize}`);
  }
  if (!(growthFactor >= 1.05 && growthFactor <= 2)) {
    throw new RangeError(`growthFactor must be from 1.05 to 2, got ${growthFactor}`);
  }
  if (!isUint32(minSlotSize) || minSlotSize < 8 || minSlotSize > 1024 || minSlotSize % 8 !== 0) {
    throw new RangeError(`minSlotSize must be a multiple of 8 from 8 to 1024, got ${minSlotSize}`);
  }
  if (!isUint32(retainedFreePages)) throw new RangeError(`retainedFreePages must be a non-negative integer`);
  const largeObjectThreshold = options.largeObjectThreshold ?? Math.min(DEFAULT_LARGE_OBJECT_THRESHOLD, pageSize);
  if (!isUint32(largeObjectThreshold) || largeObjectThreshold < 1024 || largeObjectThreshold > pageSize) {
    throw new RangeError(`largeObjectThreshold must be an integer from 1024 to pageSize, got ${largeObjectThreshold}`);
  }
  return { pageSize, growthFactor, minSlotSize, retainedFreePages, largeObjectThreshold };
}
