import { isUint32 } from "../shared/bits.js";
import { copyBytes } from "../shared/copyBytes.js";
import { InvalidHandleError } from "../shared/InvalidHandleError.js";
import { collectKvPoolStats } from "./collectKvPoolStats.js";
import { type KvHandle, OUT_OF_MEMORY, type OutOfMemory } from "./KvHandle.js";
import { GEN_BITS, GEN_SCALE, KvPoolCore } from "./KvPoolCore.js";
import type { KvPoolStats } from "./KvPoolOptions.js";
import { largeCapacityFor, largeChargeFor } from "./LargeObjectTable.js";

/**
 * A budgeted allocator of byte strings outside the V8 heap.
 *
 * Memory comes in large pages carved into slab size classes (memcached style); allocations
 * bigger than a page get their own buffer. Every allocation is an integer {@link KvHandle}: no
 * object is created per allocation, and the slab path of `alloc`/`free` allocates nothing at all.
 * Bytes are reached without allocation through `pageOf(handle)` + `offsetOf(handle)`, or with a
 * fresh view through `view(handle)`.
 *
 * The budget bounds `usedBytes` (slot sizes of live allocations, like Redis's `used_memory`);
 * `alloc` returns {@link OUT_OF_MEMORY} instead of exceeding it, so the caller can evict and retry.
 *
 * @example
 * ```ts
 * const pool = new KvPool({ budget: 64 << 20 });
 * const h = pool.alloc(5);
 * if (isOutOfMemory(h)) throw new Error("evict first");
 * pool.pageOf(h).set(new TextEncoder().encode("hello"), pool.offsetOf(h));
 * pool.free(h);
 * ```
 */
export class KvPool extends KvPoolCore {
  /** Most bytes that may be in use; 0 = unlimited. Lowering it below `usedBytes` only makes allocations fail until frees bring usage down. */
  get budget(): number {
    return this.budgetBytes;
  }

  set budget(bytes: number) {
    this.budgetBytes = KvPool.checkBudget(bytes);
  }

  /** Bytes in use, the number checked against the budget (see {@link KvPoolStats.usedBytes}). */
  get usedBytes(): number {
    return this.used;
  }

  /** Sum of the lengths requested for live allocations. */
  get requestedBytes(): number {
    return this.requested;
  }

  /** Live allocations. */
  get liveAllocations(): number {
    return this.liveCount;
  }

  /** Bytes by which usage exceeds the budget (after the budget was lowered); 0 when within. */
  get bytesOverBudget(): number {
    return this.budgetBytes === 0 || this.used <= this.budgetBytes ? 0 : this.used - this.budgetBytes;
  }

  /** Number of slab size classes. */
  get classCount(): number {
    return this.classes.count;
  }

  /**
   * Bytes that an allocation of `size` bytes is charged against the budget: its slot size, or
   * for a large object its buffer (`size` rounded up to 8, or to malloc's pages from 128 KiB)
   * plus the per-object overhead.
   */
  usableSizeFor(size: number): number {
    if (!isUint32(size)) throw new RangeError(`allocation size must be an integer from 0 to 2^32-1, got ${size}`);
    return size > this.maxSlabSize
      ? largeChargeFor(largeCapacityFor(size))
      : (this.sizes[this.classes.classOf(size)] as number);
  }

  /**
   * Allocates `size` bytes (contents unspecified: freed slots are not cleared). Returns
   * {@link OUT_OF_MEMORY} when `usedBytes + usableSizeFor(size)` would exceed the budget (or the
   * process cannot get more memory). Throws `RangeError` if `size` is not an integer in `0..2^32-1`.
   */
  alloc(size: number): KvHandle | OutOfMemory {
    if (size > this.maxSlabSize || !isUint32(size)) return this.allocLarge(size, true);
    const cls = this.classes.classOf(size);
    const usable = this.sizes[cls] as number;
    const hi = this.budgetBytes !== 0 && this.used + usable > this.budgetBytes ? -1 : this.takeSlot(cls, size, usable);
    return hi < 0 ? OUT_OF_MEMORY : ((hi * this.loScale + this.lastLo) as KvHandle);
  }

  /**
   * Like {@link KvPool.alloc}, but stores the handle at `out[index]` and returns true, or returns
   * false (out of memory, `out` untouched). Handles are doubles above 2^31, and V8 boxes a double
   * returned from a call it did not inline; writing into the caller's `Float64Array` never
   * allocates, whatever the JIT decides.
   */
  allocInto(size: number, out: Float64Array, index: number): boolean {
    if (size > this.maxSlabSize || !isUint32(size)) {
      const handle = this.allocLarge(size, true);
      if (handle === OUT_OF_MEMORY) return false;
      out[index] = handle;
      return true;
    }
    const cls = this.classes.classOf(size);
    const usable = this.sizes[cls] as number;
    if (this.budgetBytes !== 0 && this.used + usable > this.budgetBytes) return false;
    const hi = this.takeSlot(cls, size, usable);
    if (hi < 0) return false;
    out[index] = hi * this.loScale + this.lastLo;
    return true;
  }

  /**
   * Frees a live allocation. Throws {@link InvalidHandleError} for a handle that is not live
   * (double free, stale handle, garbage).
   */
  free(handle: KvHandle): void {
    const lo = handle & this.loMask;
    const hi = (handle - lo) * this.loInverse;
    if (hi >>> 0 !== hi || !this.isLiveParts(lo, hi)) throw new InvalidHandleError(handle, this.describe(handle));
    this.release(lo, hi);
  }

  /**
   * Frees the allocation whose handle is stored at `handles[index]` (the handle is read inside
   * the pool, so no double crosses a call boundary and nothing is boxed). Checked like `free`.
   */
  freeAt(handles: Float64Array, index: number): void {
    const handle = handles[index] as number;
    const lo = handle & this.loMask;
    const hi = (handle - lo) * this.loInverse;
    if (hi >>> 0 !== hi || !this.isLiveParts(lo, hi)) throw new InvalidHandleError(handle, this.describe(handle));
    this.release(lo, hi);
  }

  /**
   * Resizes an allocation, preserving `min(old, new)` bytes, and returns its new handle; the old
   * handle is dead afterwards even when the slot did not move (its generation changed). The result
   * is charged exactly as a fresh `alloc(size)`. On {@link OUT_OF_MEMORY} the old allocation is
   * untouched. Only growth of the charged size can fail for the budget; shrinking always succeeds
   * unless the process is out of memory.
   */
  realloc(handle: KvHandle, size: number): KvHandle | OutOfMemory {
    return this.resize(handle, size, false);
  }

  /**
   * Like {@link KvPool.realloc}, for an allocation that grows in small steps (an appended string,
   * a filling list node): a large object grows in place while its buffer has room, and one that
   * must move gets `growthFactor` times its old length, so growing to `n` bytes copies O(n)
   * bytes in all (slab classes are that far apart already). The price is up to `growthFactor - 1`
   * of unused capacity while the value grows, as Redis's sds preallocation; falls back to an exact
   * fit when the headroom would pass the budget.
   */
  grow(handle: KvHandle, size: number): KvHandle | OutOfMemory {
    return this.resize(handle, size, true);
  }

  private resize(handle: KvHandle, size: number, amortise: boolean): KvHandle | OutOfMemory {
    const lo = handle & this.loMask;
    const hi = (handle - lo) * this.loInverse;
    if (hi >>> 0 !== hi || !this.isLiveParts(lo, hi)) throw new InvalidHandleError(handle, this.describe(handle));
    if (!isUint32(size)) throw new RangeError(`allocation size must be an integer from 0 to 2^32-1, got ${size}`);
    const cls = lo >>> this.fieldBits;
    const page = hi >>> GEN_BITS;
    const oldLength = this.sizeOf(handle);
    const isLarge = cls === this.largeClass;
    const index = isLarge ? this.largeIndex(lo, hi) : 0;
    const oldCapacity = isLarge ? (this.large.buffers[index] as Uint8Array).length : 0;
    if (isLarge) {
      if (size > this.maxSlabSize && (amortise ? size <= oldCapacity : largeCapacityFor(size) === oldCapacity)) {
        const large = this.large;
        const state = (((large.state[index] as number) + 2) & 0xff) | 1;
        large.state[index] = state;
        large.length[index] = size;
        this.requested += size - oldLength;
        return ((page * GEN_SCALE + (state >>> 1)) * this.loScale + lo) as KvHandle;
      }
    } else if (size <= this.maxSlabSize && this.classes.classOf(size) === cls) {
      const states = this.table.states[page] as Uint8Array;
      const slot = (lo & this.fieldMask) >>> (this.tailBits[cls] as number);
      const state = (((states[slot] as number) + 2) & 0xff) | 1;
      states[slot] = state;
      this.requested += size - oldLength;
      const field = (slot << (this.tailBits[cls] as number)) | ((this.sizes[cls] as number) - size);
      return ((page * GEN_SCALE + (state >>> 1)) * this.loScale + ((cls << this.fieldBits) | field)) as KvHandle;
    }
    const oldCharge = isLarge ? largeChargeFor(oldCapacity) : (this.sizes[cls] as number);
    let capacity = 0;
    let charge: number;
    if (size > this.maxSlabSize) {
      capacity = largeCapacityFor(size);
      if (amortise && size > oldLength) {
        const roomy = largeCapacityFor(
          Math.min(2 ** 32 - 1, Math.max(size, Math.floor(oldLength * this.growthFactor))),
        );
        if (this.budgetBytes === 0 || this.used - oldCharge + largeChargeFor(roomy) <= this.budgetBytes) {
          capacity = roomy;
        }
      }
      charge = largeChargeFor(capacity);
    } else {
      charge = this.sizes[this.classes.classOf(size)] as number;
    }
    if (this.budgetBytes !== 0 && charge > oldCharge && this.used - oldCharge + charge > this.budgetBytes) {
      return OUT_OF_MEMORY;
    }
    let moved: KvHandle | OutOfMemory;
    if (size > this.maxSlabSize) {
      moved = this.allocLarge(size, false, capacity);
    } else {
      const movedHi = this.takeSlot(this.classes.classOf(size), size, charge);
      moved = movedHi < 0 ? OUT_OF_MEMORY : ((movedHi * this.loScale + this.lastLo) as KvHandle);
    }
    if (moved === OUT_OF_MEMORY) return OUT_OF_MEMORY;
    const keep = oldLength < size ? oldLength : size;
    copyBytes(
      this.pageOfUnchecked(handle),
      this.offsetOfUnchecked(handle),
      this.pageOfUnchecked(moved),
      this.offsetOfUnchecked(moved),
      keep,
    );
    this.release(lo, hi);
    return moved;
  }

  /** True when `handle` is a live allocation of this pool. Never throws. */
  isLive(handle: number): boolean {
    const lo = handle & this.loMask;
    const hi = (handle - lo) * this.loInverse;
    // A fractional, negative, NaN or too-large value leaves `hi` outside 0..2^32-1 or fractional.
    return hi >>> 0 === hi && this.isLiveParts(lo, hi);
  }

  /**
   * The array holding the allocation's bytes (a whole page, or a large object's own buffer):
   * read and write at `offsetOf(handle)` for `sizeOf(handle)` bytes. Never allocates. Unchecked
   * unless the pool was built with `checkAccess`.
   */
  pageOf(handle: KvHandle): Uint8Array {
    if (this.checkAccess) this.assertLive(handle);
    return this.pageOfUnchecked(handle);
  }

  /**
   * The array holding the allocation whose handle is stored at `handles[index]`, with its offset
   * and length left in {@link KvPool.lastOffset} and {@link KvPool.lastLength}. Nothing crosses
   * the call as a double, so this never allocates even where V8 does not inline it: the safest
   * accessor on a hot path whose handles live in a `Float64Array`. Unchecked unless `checkAccess`.
   */
  bytesAt(handles: Float64Array, index: number): Uint8Array {
    return this.locate(handles[index] as number);
  }

  /** Like {@link KvPool.bytesAt} for a handle in hand: returns the page, sets `lastOffset`/`lastLength`. */
  bytesOf(handle: KvHandle): Uint8Array {
    return this.locate(handle);
  }

  /** Offset of the allocation located by the last `bytesAt`/`bytesOf`. */
  get lastOffset(): number {
    return this.locatedOffset;
  }

  /** Requested length of the allocation located by the last `bytesAt`/`bytesOf`. */
  get lastLength(): number {
    return this.locatedLength;
  }

  /** Byte offset of the allocation within `pageOf(handle)`. Unchecked unless `checkAccess`. */
  offsetOf(handle: KvHandle): number {
    if (this.checkAccess) this.assertLive(handle);
    return this.offsetOfUnchecked(handle);
  }

  /**
   * The length requested for the allocation. Slab allocations carry it in the handle itself
   * (zero bytes of memory per allocation); large objects keep it in their table entry. Unchecked
   * unless `checkAccess`.
   */
  sizeOf(handle: KvHandle): number {
    if (this.checkAccess) this.assertLive(handle);
    const lo = handle & this.loMask;
    const cls = lo >>> this.fieldBits;
    if (cls === this.largeClass)
      return this.large.length[this.largeIndex(lo, (handle - lo) * this.loInverse)] as number;
    return (this.sizes[cls] as number) - (lo & (this.tailMask[cls] as number));
  }

  /** Bytes the allocation is charged (its slot size, or a large object's buffer plus overhead). Checked. */
  usableSize(handle: KvHandle): number {
    this.assertLive(handle);
    const lo = handle & this.loMask;
    const cls = lo >>> this.fieldBits;
    if (cls !== this.largeClass) return this.sizes[cls] as number;
    return largeChargeFor(
      (this.large.buffers[this.largeIndex(lo, (handle - lo) * this.loInverse)] as Uint8Array).length,
    );
  }

  /** A new `Uint8Array` over exactly the allocation's requested bytes. Checked; allocates the view. */
  view(handle: KvHandle): Uint8Array {
    this.assertLive(handle);
    const offset = this.offsetOfUnchecked(handle);
    return this.pageOfUnchecked(handle).subarray(offset, offset + this.sizeOf(handle));
  }

  /** Copies `bytes` into the allocation at `at` (default 0). Checked, including bounds. */
  write(handle: KvHandle, bytes: Uint8Array, at = 0): void {
    this.assertLive(handle);
    if (!isUint32(at) || at + bytes.length > this.sizeOf(handle)) {
      throw new RangeError(`write of ${bytes.length} bytes at ${at} exceeds allocation of ${this.sizeOf(handle)}`);
    }
    this.pageOfUnchecked(handle).set(bytes, this.offsetOfUnchecked(handle) + at);
  }

  /**
   * Charges `bytes` of memory held elsewhere (e.g. an index or a JS structure) to the budget.
   * Returns false, charging nothing, if that would exceed the budget.
   */
  tryChargeExternal(bytes: number): boolean {
    if (!(bytes >= 0) || !Number.isSafeInteger(bytes))
      throw new RangeError(`bytes must be a non-negative integer, got ${bytes}`);
    if (this.budgetBytes !== 0 && this.used + bytes > this.budgetBytes) return false;
    this.external += bytes;
    this.used += bytes;
    return true;
  }

  /** Adjusts the external charge by `delta` bytes without a budget check (growth that must happen). */
  adjustExternal(delta: number): void {
    if (!Number.isSafeInteger(delta) || this.external + delta < 0) {
      throw new RangeError(`external bytes would become ${this.external + delta}`);
    }
    this.external += delta;
    this.used += delta;
  }

  /** Frees every allocation at once (all handles become stale); external charges are kept. */
  clear(): void {
    this.table.releaseAll();
    this.large.releaseAll();
    this.used = this.external;
    this.requested = 0;
    this.liveCount = 0;
  }

  /** Changes how many unassigned pages keep their buffers, dropping extras now. */
  set retainedFreePages(pages: number) {
    if (!isUint32(pages)) throw new RangeError(`retainedFreePages must be a non-negative integer`);
    this.table.retainedFreePages = pages;
    this.table.trimFreePages();
  }

  get retainedFreePages(): number {
    return this.table.retainedFreePages;
  }

  /** Exact accounting at this moment (walks the page table; not for the hot path). */
  stats(): KvPoolStats {
    return collectKvPoolStats(this.table, this.large, this.classes, {
      budget: this.budgetBytes,
      usedBytes: this.used,
      requestedBytes: this.requested,
      externalBytes: this.external,
      liveAllocations: this.liveCount,
      pageSize: this.pageSize,
    });
  }
}
