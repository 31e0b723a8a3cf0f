import { growInt32, isUint32 } from "../shared/bits.js";
import { InvalidHandleError } from "../shared/InvalidHandleError.js";

declare const poolHandleBrand: unique symbol;

/**
 * A slot of a {@link FixedPool}: `generation * 2^24 + index`, a non-negative safe integer. The
 * first handle of each slot equals its index. The generation changes on every release, so a
 * handle kept after its release never reaches the slot's next occupant.
 */
export type PoolHandle = number & { readonly [poolHandleBrand]: true };

/** The result of `acquire` on a pool that is at its limit. */
export type PoolFull = -1;

/** Returned by `acquire` when as many slots are live as the limit allows. */
export const POOL_FULL: PoolFull = -1;

/** Narrows an `acquire` result: true when it is {@link POOL_FULL}. */
export function isPoolFull(result: PoolHandle | PoolFull): result is PoolFull {
  return result === POOL_FULL;
}

/** Construction options of a {@link FixedPool}. */
export interface FixedPoolOptions<T> {
  /** Most slots live at once (changeable later with `setLimit`); at most 2^24. */
  limit: number;
  /** Makes the item of slot `index`; called once per slot, and it is reused after every release. */
  create: (index: number) => T;
  /** Called on release, to clear the item for its next user. */
  reset?: (item: T, index: number) => void;
  /** Create all items up front (default) or when each slot is first acquired. */
  preallocate?: boolean;
}

/** A snapshot of a {@link FixedPool}'s accounting. */
export interface FixedPoolStats {
  /** Slots with bookkeeping allocated (never shrinks). */
  readonly capacity: number;
  /** Most slots live at once. */
  readonly limit: number;
  /** Live slots (may exceed `limit` right after the limit was lowered). */
  readonly live: number;
  /** Slots that could be acquired now. */
  readonly available: number;
  /** Successful `acquire` calls since construction. */
  readonly acquires: number;
  /** `acquire` calls refused because the pool was full. */
  readonly rejections: number;
  /** Slots withdrawn for good because their generation reached its maximum. */
  readonly retiredSlots: number;
}

const INDEX_BITS = 24;
const INDEX_SCALE = 2 ** INDEX_BITS;
const INDEX_MASK = INDEX_SCALE - 1;
/** Highest generation: the handle stays below 2^53. */
const MAX_GENERATION = 2 ** (53 - INDEX_BITS) - 1;
/** Largest limit: the index field has 24 bits. */
export const MAX_POOL_LIMIT = INDEX_SCALE;

/**
 * A pool of reusable items with a hard maximum, such as client connections up to `maxclients`.
 *
 * `acquire` hands out a slot and its generation-checked {@link PoolHandle}; `release` returns it.
 * A released slot's generation advances, so a stale handle is refused (`get` returns undefined,
 * `release` throws) and can never reach the slot's next user. A slot whose generation would
 * overflow (after 2^29 reuses) is retired instead of reused, so the guarantee has no wrap-around.
 *
 * The limit can change at run time: raising it past the capacity grows the pool; lowering it
 * never drops live slots, it only refuses `acquire` until enough are released.
 *
 * Live slots are kept in a dense list, so iteration costs O(live), not O(capacity).
 */
export class FixedPool<T> {
  private items: (T | undefined)[] = [];
  private generation = new Int32Array(0);
  /** Position of each slot in `liveList`, or -1 when free. */
  private livePosition = new Int32Array(0);
  private liveList = new Int32Array(0);
  private live = 0;
  private freeList = new Int32Array(0);
  private freeCount = 0;
  private slots = 0;
  private maxLive: number;
  private acquireCount = 0;
  private rejectionCount = 0;
  private retired = 0;
  private readonly create: (index: number) => T;
  private readonly resetItem: ((item: T, index: number) => void) | undefined;
  private readonly preallocate: boolean;

  constructor(options: FixedPoolOptions<T>) {
    this.create = options.create;
    this.resetItem = options.reset;
    this.preallocate = options.preallocate ?? true;
    this.maxLive = FixedPool.checkLimit(options.limit);
    this.grow(this.maxLive);
  }

  /** Most slots live at once. */
  get limit(): number {
    return this.maxLive;
  }

  /** Slots with bookkeeping allocated. */
  get capacity(): number {
    return this.slots;
  }

  /** Live slots. */
  get liveCount(): number {
    return this.live;
  }

  /**
   * Changes the limit. Growing past the capacity adds slots; lowering it keeps every live slot
   * (acquire fails until `liveCount` drops below the new limit), like `CONFIG SET maxclients`.
   */
  setLimit(limit: number): void {
    this.maxLive = FixedPool.checkLimit(limit);
    if (limit > this.slots) this.grow(limit);
  }

  /** Takes a free slot, or returns {@link POOL_FULL} when `liveCount` has reached the limit. */
  acquire(): PoolHandle | PoolFull {
    if (this.live >= this.maxLive || this.freeCount === 0) {
      this.rejectionCount++;
      return POOL_FULL;
    }
    const index = this.freeList[--this.freeCount] as number;
    if (this.items[index] === undefined) this.items[index] = this.create(index);
    this.livePosition[index] = this.live;
    this.liveList[this.live++] = index;
    this.acquireCount++;
    return ((this.generation[index] as number) * INDEX_SCALE + index) as PoolHandle;
  }

  /** Returns a slot to the pool. Throws {@link InvalidHandleError} if the handle is not live. */
  release(handle: PoolHandle): void {
    const index = this.indexOf(handle);
    if (index < 0) throw new InvalidHandleError(handle, "not live in this pool (released already, or stale)");
    if (this.resetItem !== undefined) this.resetItem(this.items[index] as T, index);
    const position = this.livePosition[index] as number;
    const last = this.liveList[--this.live] as number;
    this.liveList[position] = last;
    this.livePosition[last] = position;
    this.livePosition[index] = -1;
    const generation = (this.generation[index] as number) + 1;
    if (generation > MAX_GENERATION) {
      this.retired++;
      return;
    }
    this.generation[index] = generation;
    this.freeList[this.freeCount++] = index;
  }

  /** The item of a live handle, or undefined for a stale or foreign one. */
  get(handle: PoolHandle): T | undefined {
    const index = this.indexOf(handle);
    return index < 0 ? undefined : this.items[index];
  }

  /** True when `handle` is live in this pool. */
  isLive(handle: number): boolean {
    return this.indexOf(handle) >= 0;
  }

  /**
   * The slot index of a live handle (for addressing typed-array records kept beside the pool),
   * or -1 when the handle is not live.
   */
  indexOf(handle: number): number {
    const index = handle & INDEX_MASK;
    if (!(handle >= 0) || index >= this.slots || (this.livePosition[index] as number) < 0) return -1;
    return (handle - index) / INDEX_SCALE === this.generation[index] ? index : -1;
  }

  /** The handle of the `position`-th live slot, `0 <= position < liveCount` (order is arbitrary). */
  handleAt(position: number): PoolHandle {
    if (!(position >= 0 && position < this.live))
      throw new RangeError(`position ${position} is outside 0..${this.live - 1}`);
    const index = this.liveList[position] as number;
    return ((this.generation[index] as number) * INDEX_SCALE + index) as PoolHandle;
  }

  /**
   * Calls `visit` for each live slot. The visited slot may be released from inside `visit`
   * (iteration runs from the end of the dense list); acquiring or releasing other slots during
   * the walk may skip or repeat items.
   */
  forEach(visit: (item: T, handle: PoolHandle) => void): void {
    for (let position = this.live - 1; position >= 0; position--) {
      if (position >= this.live) continue;
      const index = this.liveList[position] as number;
      visit(this.items[index] as T, ((this.generation[index] as number) * INDEX_SCALE + index) as PoolHandle);
    }
  }

  /** The live items (a snapshot of the live list is not taken; see `forEach` for mutation rules). */
  *values(): IterableIterator<T> {
    for (let position = this.live - 1; position >= 0; position--) {
      if (position < this.live) yield this.items[this.liveList[position] as number] as T;
    }
  }

  /** Accounting at this moment. */
  stats(): FixedPoolStats {
    return {
      capacity: this.slots,
      limit: this.maxLive,
      live: this.live,
      available: Math.max(0, Math.min(this.maxLive - this.live, this.freeCount)),
      acquires: this.acquireCount,
      rejections: this.rejectionCount,
      retiredSlots: this.retired,
    };
  }

  private grow(capacity: number): void {
    const old = this.slots;
    this.generation = growInt32(this.generation, capacity, 0);
    this.livePosition = growInt32(this.livePosition, capacity, -1);
    this.liveList = growInt32(this.liveList, capacity, 0);
    this.freeList = growInt32(this.freeList, capacity, 0);
    // Free slots are popped from the end: push new ones highest first so low indexes go out first.
    for (let index = capacity - 1; index >= old; index--) this.freeList[this.freeCount++] = index;
    for (let index = old; index < capacity; index++) this.items.push(this.preallocate ? this.create(index) : undefined);
    this.slots = capacity;
  }

  private static checkLimit(limit: number): number {
    if (!isUint32(limit) || limit > MAX_POOL_LIMIT)
      throw new RangeError(`limit must be an integer from 0 to ${MAX_POOL_LIMIT}, got ${limit}`);
    return limit;
  }
}
