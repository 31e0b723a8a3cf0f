import { bitLength } from "../shared/bits.js";

/** Sizes up to this many bytes find their class through a lookup table instead of a search. */
const LOOKUP_LIMIT = 4096;

/**
 * The slab size classes of a kv-pool and the handle bit layout they imply.
 *
 * Classes grow by `growthFactor` from `minSlotSize`, rounded to a multiple of 8 bytes (at least
 * 8 more than the previous class) so every slot is 8-byte aligned. Each class size is then widened to `floor(pageSize / slotsPerPage)` (rounded
 * down to 8) so that no class leaves a tail of its page unused; near the top this yields the
 * classes `pageSize/4, pageSize/3, pageSize/2, pageSize`.
 *
 * A slab handle stores the slot index and the *tail* (`classSize - requestedLength`) in one
 * field `slot << tailBits | tail`, so the requested length costs no memory anywhere: it is
 * recovered from the handle. A request of `n` bytes always lands in the smallest class that fits,
 * so for class `k > 0` the length lies in `(size[k-1], size[k]]` and the tail needs only a few
 * bits; class 0 also holds length 0.
 */
export class SizeClassTable {
  /** Slot size of each class in bytes, ascending. */
  readonly sizes: Int32Array;
  /** Slots carved from one page, per class. */
  readonly slotsPerPage: Int32Array;
  /** Bits of the tail field, per class. */
  readonly tailBits: Int32Array;
  /** Largest tail (`size - smallest length of the class`), per class. */
  readonly maxTail: Int32Array;
  /** Number of slab classes; also the class code used for large objects. */
  readonly count: number;
  /** Bits of the in-page field (`slot << tailBits | tail`), the widest over all classes. */
  readonly fieldBits: number;
  /** Bits of the class code (enough for `count`, the large-object code). */
  readonly classBits: number;
  /** The largest slab class: bigger requests take the large-object path. */
  readonly maxSlabSize: number;
  private readonly lookup: Uint8Array;

  constructor(pageSize: number, minSlotSize: number, growthFactor: number) {
    const sizes: number[] = [];
    let candidate = minSlotSize;
    for (;;) {
      const slots = Math.floor(pageSize / candidate);
      const widened = Math.floor(pageSize / slots / 8) * 8;
      if (sizes.length === 0 || widened > (sizes[sizes.length - 1] ?? 0)) sizes.push(widened);
      if (widened >= pageSize) break;
      candidate = Math.min(pageSize, Math.max(widened + 8, Math.round((widened * growthFactor) / 8) * 8));
    }
    this.count = sizes.length;
    this.sizes = Int32Array.from(sizes);
    this.slotsPerPage = Int32Array.from(sizes, (size) => Math.floor(pageSize / size));
    this.maxTail = Int32Array.from(sizes, (size, k) => (k === 0 ? size : size - (sizes[k - 1] ?? 0) - 1));
    this.tailBits = Int32Array.from(this.maxTail, (maxTail) => bitLength(maxTail));
    let fieldBits = 0;
    for (let k = 0; k < this.count; k++) {
      const bits = bitLength((this.slotsPerPage[k] ?? 1) - 1) + (this.tailBits[k] ?? 0);
      if (bits > fieldBits) fieldBits = bits;
    }
    this.fieldBits = fieldBits;
    this.classBits = bitLength(this.count);
    this.maxSlabSize = pageSize;

    const lookupLimit = Math.min(LOOKUP_LIMIT, pageSize);
    this.lookup = new Uint8Array(lookupLimit / 8 + 1);
    let k = 0;
    for (let i = 0; i < this.lookup.length; i++) {
      while ((this.sizes[k] ?? Infinity) < i * 8) k++;
      this.lookup[i] = k;
    }
  }

  /** The class index for a request of `size` bytes (`0 <= size <= maxSlabSize`). */
  classOf(size: number): number {
    const slot = (size + 7) >>> 3;
    if (slot < this.lookup.length) return this.lookup[slot] as number;
    const sizes = this.sizes;
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sizes[mid] as number) < size) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
