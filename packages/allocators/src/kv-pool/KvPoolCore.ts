import { isUint32 } from "../shared/bits.js";
import { InvalidHandleError } from "../shared/InvalidHandleError.js";
import { type KvHandle, OUT_OF_MEMORY, type OutOfMemory } from "./KvHandle.js";
import { type KvPoolOptions, resolveKvPoolOptions } from "./KvPoolOptions.js";
import { LargeObjectTable, largeCapacityFor, largeChargeFor } from "./LargeObjectTable.js";
import { SizeClassTable } from "./SizeClassTable.js";
import { SlabPageTable } from "./SlabPageTable.js";

export const GEN_BITS = 7;
export const GEN_SCALE = 1 << GEN_BITS;
const GEN_MASK = GEN_SCALE - 1;

/**
 * The mechanics under {@link KvPool}: the handle bit layout, taking and returning slots, and
 * validating handles. Split from the public API so each file reads alone; not exported from
 * the package.
 */
export abstract class KvPoolCore {
  /** Bytes per page. */
  readonly pageSize: number;
  /** Requests above this many bytes take the large-object path (the `largeObjectThreshold` option). */
  readonly maxSlabSize: number;
  protected budgetBytes: number;
  protected used = 0;
  protected requested = 0;
  protected external = 0;
  protected liveCount = 0;
  /** Lower part of the handle of the slot `takeSlot` took last. */
  protected lastLo = 0;
  protected locatedOffset = 0;
  protected locatedLength = 0;
  protected readonly checkAccess: boolean;
  /** Ratio between size classes; also the headroom {@link KvPool.grow} gives a large object it moves. */
  protected readonly growthFactor: number;

  protected readonly classes: SizeClassTable;
  protected readonly sizes: Int32Array;
  protected readonly slotsPerPage: Int32Array;
  protected readonly tailBits: Int32Array;
  protected readonly tailMask: Int32Array;
  protected readonly largeClass: number;
  protected readonly fieldBits: number;
  protected readonly fieldMask: number;
  /** `2 ** fieldBits`: a large object's number continues from the in-page field into the page field. */
  protected readonly fieldScale: number;
  protected readonly loMask: number;
  protected readonly loScale: number;
  protected readonly loInverse: number;
  protected readonly table: SlabPageTable;
  protected readonly large: LargeObjectTable;

  constructor(options: KvPoolOptions = {}) {
    const { pageSize, growthFactor, minSlotSize, retainedFreePages, largeObjectThreshold } =
      resolveKvPoolOptions(options);
    this.budgetBytes = KvPoolCore.checkBudget(options.budget ?? 0);
    this.checkAccess = options.checkAccess ?? false;
    this.pageSize = pageSize;
    this.maxSlabSize = largeObjectThreshold;
    this.growthFactor = growthFactor;

    const classes = new SizeClassTable(pageSize, minSlotSize, growthFactor);
    const loBits = classes.fieldBits + classes.classBits;
    if (loBits > 31) throw new RangeError(`pageSize ${pageSize} with minSlotSize ${minSlotSize} does not fit a handle`);
    this.classes = classes;
    this.sizes = classes.sizes;
    this.slotsPerPage = classes.slotsPerPage;
    this.tailBits = classes.tailBits;
    this.tailMask = Int32Array.from(classes.tailBits, (bits) => (1 << bits) - 1);
    this.largeClass = classes.count;
    this.fieldBits = classes.fieldBits;
    this.fieldMask = 2 ** classes.fieldBits - 1;
    this.fieldScale = 2 ** classes.fieldBits;
    this.loMask = 2 ** loBits - 1;
    this.loScale = 2 ** loBits;
    this.loInverse = 2 ** -loBits;
    // The page number sits above the low field and the generation; keep the whole handle below
    // 2^53 and the part above the low field below 2^32 so it decodes with 32-bit operations.
    const maxPages = 2 ** Math.min(53 - loBits - GEN_BITS, 32 - GEN_BITS);
    this.table = new SlabPageTable(pageSize, classes.slotsPerPage, maxPages, retainedFreePages);
    // A large object needs no slot or tail, so its number fills the in-page field and the page
    // field together: far more objects than pages (with 1 MiB pages, 2^30 instead of 2^19).
    this.large = new LargeObjectTable(Math.min(maxPages * this.fieldScale, 2 ** 30));
  }

  /**
   * Takes a free slot of `cls` and returns the upper part of its handle (`page << 7 | gen`),
   * leaving the lower part in `lastLo`; -1 when no page can be had. Returning two small integers
   * instead of the composed double keeps V8 from boxing a number on every call.
   */
  protected takeSlot(cls: number, size: number, usable: number): number {
    const table = this.table;
    let page = table.partialHead[cls] as number;
    if (page < 0) {
      page = table.acquire(cls);
      if (page < 0) return -1;
    }
    let slot = table.freeHead[page] as number;
    const bump = table.bump[page] as number;
    if (slot >= 0) {
      const next = (table.words[page] as Int32Array)[(slot * usable) >> 2] as number;
      if (next < -1 || next >= bump)
        throw new Error(`kv-pool: free list of page ${page} is corrupt (written after free?)`);
      table.freeHead[page] = next;
    } else {
      slot = bump;
      table.bump[page] = bump + 1;
    }
    const live = (table.live[page] as number) + 1;
    table.live[page] = live;
    if (live === this.slotsPerPage[cls]) table.unlinkPartial(cls, page);
    const states = table.states[page] as Uint8Array;
    const state = states[slot] as number;
    if ((state & 1) !== 0) throw new Error(`kv-pool: free list of page ${page} is corrupt (slot ${slot} is live)`);
    states[slot] = state | 1;
    this.used += usable;
    this.requested += size;
    this.liveCount++;
    this.lastLo = (cls << this.fieldBits) | (slot << (this.tailBits[cls] as number)) | (usable - size);
    return page * GEN_SCALE + (state >>> 1);
  }

  /**
   * A large object of `size` bytes in a buffer of `capacity` bytes (default: just enough), charged
   * its buffer plus the per-object overhead.
   */
  protected allocLarge(size: number, checkBudget: boolean, capacity = largeCapacityFor(size)): KvHandle | OutOfMemory {
    if (!isUint32(size)) throw new RangeError(`allocation size must be an integer from 0 to 2^32-1, got ${size}`);
    const charge = largeChargeFor(capacity);
    if (checkBudget && this.budgetBytes !== 0 && this.used + charge > this.budgetBytes) return OUT_OF_MEMORY;
    const index = this.large.allocate(size, capacity);
    if (index < 0) return OUT_OF_MEMORY;
    this.used += charge;
    this.requested += size;
    this.liveCount++;
    const field = index % this.fieldScale;
    const high = (index - field) / this.fieldScale;
    return ((high * GEN_SCALE + ((this.large.state[index] as number) >>> 1)) * this.loScale +
      this.largeClass * this.fieldScale +
      field) as KvHandle;
  }

  /** The large-object number of the handle split into `lo`/`hi`. */
  protected largeIndex(lo: number, hi: number): number {
    return (hi >>> GEN_BITS) * this.fieldScale + (lo & this.fieldMask);
  }

  /** Frees the allocation whose handle splits into `lo`/`hi` (already validated as live). */
  protected release(lo: number, hi: number): void {
    const cls = lo >>> this.fieldBits;
    const page = hi >>> GEN_BITS;
    this.liveCount--;
    if (cls === this.largeClass) {
      const large = this.large;
      const index = this.largeIndex(lo, hi);
      this.used -= largeChargeFor((large.buffers[index] as Uint8Array).length);
      this.requested -= large.length[index] as number;
      large.release(index);
      return;
    }
    const table = this.table;
    const field = lo & this.fieldMask;
    const usable = this.sizes[cls] as number;
    const slot = field >>> (this.tailBits[cls] as number);
    const states = table.states[page] as Uint8Array;
    states[slot] = ((states[slot] as number) + 1) & 0xff;
    (table.words[page] as Int32Array)[(slot * usable) >> 2] = table.freeHead[page] as number;
    table.freeHead[page] = slot;
    const live = table.live[page] as number;
    table.live[page] = live - 1;
    if (live === this.slotsPerPage[cls]) table.linkPartial(cls, page);
    if (live === 1) table.pageEmptied(cls, page);
    this.used -= usable;
    this.requested -= usable - (field & (this.tailMask[cls] as number));
  }

  /** Whether the handle split into `lo`/`hi` (`hi` an integer in 0..2^32-1) is live. */
  protected isLiveParts(lo: number, hi: number): boolean {
    const cls = lo >>> this.fieldBits;
    const field = lo & this.fieldMask;
    const liveState = ((hi & GEN_MASK) << 1) | 1;
    const page = hi >>> GEN_BITS;
    if (cls === this.largeClass) {
      const index = page * this.fieldScale + field;
      return index < this.large.limit && this.large.state[index] === liveState;
    }
    const table = this.table;
    if (page >= table.pageLimit || table.pageClass[page] !== cls) return false;
    const slot = field >>> (this.tailBits[cls] as number);
    const tail = field & (this.tailMask[cls] as number);
    if (slot >= (table.bump[page] as number) || tail > (this.classes.maxTail[cls] as number)) return false;
    return (table.states[page] as Uint8Array)[slot] === liveState;
  }

  protected locate(handle: number): Uint8Array {
    if (this.checkAccess) this.assertLive(handle as KvHandle);
    const lo = handle & this.loMask;
    const cls = lo >>> this.fieldBits;
    const page = ((handle - lo) * this.loInverse) >>> GEN_BITS;
    if (cls === this.largeClass) {
      const index = page * this.fieldScale + (lo & this.fieldMask);
      this.locatedOffset = 0;
      this.locatedLength = this.large.length[index] as number;
      return this.large.buffers[index] as Uint8Array;
    }
    const field = lo & this.fieldMask;
    const size = this.sizes[cls] as number;
    this.locatedOffset = (field >>> (this.tailBits[cls] as number)) * size;
    this.locatedLength = size - (field & (this.tailMask[cls] as number));
    return this.table.pages[page] as Uint8Array;
  }

  protected pageOfUnchecked(handle: number): Uint8Array {
    const lo = handle & this.loMask;
    const page = ((handle - lo) * this.loInverse) >>> GEN_BITS;
    return (
      lo >>> this.fieldBits === this.largeClass
        ? this.large.buffers[page * this.fieldScale + (lo & this.fieldMask)]
        : this.table.pages[page]
    ) as Uint8Array;
  }

  protected offsetOfUnchecked(handle: number): number {
    const lo = handle & this.loMask;
    const cls = lo >>> this.fieldBits;
    if (cls === this.largeClass) return 0;
    return ((lo & this.fieldMask) >>> (this.tailBits[cls] as number)) * (this.sizes[cls] as number);
  }

  protected assertLive(handle: KvHandle): void {
    const lo = handle & this.loMask;
    const hi = (handle - lo) * this.loInverse;
    if (hi >>> 0 !== hi || !this.isLiveParts(lo, hi)) throw new InvalidHandleError(handle, this.describe(handle));
  }

  protected describe(handle: number): string {
    if (handle === OUT_OF_MEMORY) return "OUT_OF_MEMORY is not a handle";
    if (!Number.isSafeInteger(handle) || handle <= 0) return "not a handle of this pool";
    return "not live (freed, reallocated, or never allocated by this pool)";
  }

  protected static checkBudget(bytes: number): number {
    if (!Number.isSafeInteger(bytes) || bytes < 0)
      throw new RangeError(`budget must be a non-negative integer, got ${bytes}`);
    return bytes;
  }
}
