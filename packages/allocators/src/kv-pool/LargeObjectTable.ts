import { growFloat64, growInt32, growUint8 } from "../shared/bits.js";

const EMPTY_BYTES = new Uint8Array(0);

/**
 * What one large object costs beyond its buffer's bytes, measured on Node 20 / glibc (RSS of
 * 2,000 live `Uint8Array`s of 2–64 KiB, minus their lengths: 430–446 bytes each): the
 * `Uint8Array` and `ArrayBuffer` objects on the V8 heap, V8's backing-store record, and malloc's
 * chunk header. Charged to the budget with the buffer so a large value costs what it holds.
 */
export const LARGE_OBJECT_OVERHEAD = 448;

/**
 * From this size glibc's malloc serves a buffer with its own `mmap` (its default
 * `M_MMAP_THRESHOLD`), i.e. in whole 4 KiB pages after a 16-byte header.
 */
const MMAP_THRESHOLD = 128 * 1024;
const OS_PAGE = 4096;
const MMAP_HEADER = 16;

/**
 * Buffer length of a large object of `size` bytes: `size` rounded up to 8, or, where malloc
 * maps whole pages anyway, up to the end of the last page (those bytes are held either way, and
 * an object can then grow into them in place).
 */
export function largeCapacityFor(size: number): number {
  if (size < MMAP_THRESHOLD) return Math.ceil(size / 8) * 8;
  return Math.ceil((size + MMAP_HEADER) / OS_PAGE) * OS_PAGE - MMAP_HEADER;
}

/** Bytes a large object with a buffer of `capacity` bytes is charged: the buffer plus its overhead. */
export function largeChargeFor(capacity: number): number {
  return capacity + LARGE_OBJECT_OVERHEAD;
}

/**
 * Objects above the pool's large-object threshold, each in its own `ArrayBuffer` (whose length
 * is the object's capacity; its requested length is kept beside it). Indexes are reused after a free;
 * each index carries a 7-bit generation like a slab slot, so stale handles are caught the same
 * way. Index 0 is reserved so that no handle is 0.
 */
export class LargeObjectTable {
  /** The buffer of each object, indexed by object number. */
  readonly buffers: Uint8Array[] = [EMPTY_BYTES];
  /** Requested length of each object. */
  length = new Float64Array(8);
  /** State byte (`generation << 1 | live`) of each object number. */
  state = new Uint8Array(8);
  /** Object numbers handed out so far. */
  limit = 1;
  /** Live large objects. */
  count = 0;
  /** Bytes charged for live large objects: their buffers plus {@link LARGE_OBJECT_OVERHEAD} each. */
  bytes = 0;
  private freeIndexes = new Int32Array(8);
  private freeCount = 0;

  constructor(private readonly maxObjects: number) {}

  /**
   * Creates an object of `size` bytes in a buffer of `capacity` bytes (at least `size`); returns
   * its number, or -1 when memory is exhausted.
   */
  allocate(size: number, capacity: number): number {
    let buffer: Uint8Array;
    try {
      buffer = new Uint8Array(capacity);
    } catch {
      return -1;
    }
    let index: number;
    if (this.freeCount > 0) {
      index = this.freeIndexes[--this.freeCount] as number;
      this.buffers[index] = buffer;
    } else {
      if (this.limit >= this.maxObjects) return -1;
      index = this.limit++;
      if (index >= this.state.length) {
        this.state = growUint8(this.state, index + 1);
        this.length = growFloat64(this.length, index + 1);
      }
      this.buffers.push(buffer);
    }
    this.state[index] = (this.state[index] as number) | 1;
    this.length[index] = size;
    this.count++;
    this.bytes += largeChargeFor(capacity);
    return index;
  }

  /** Frees object `index` (already validated as live). */
  release(index: number): void {
    const buffer = this.buffers[index] as Uint8Array;
    this.bytes -= largeChargeFor(buffer.length);
    this.count--;
    this.buffers[index] = EMPTY_BYTES;
    this.state[index] = ((this.state[index] as number) + 1) & 0xff;
    this.length[index] = 0;
    if (this.freeCount >= this.freeIndexes.length)
      this.freeIndexes = growInt32(this.freeIndexes, this.freeCount + 1, 0);
    this.freeIndexes[this.freeCount++] = index;
  }

  /** Frees every live object. */
  releaseAll(): void {
    for (let index = 1; index < this.limit; index++) {
      if (((this.state[index] as number) & 1) !== 0) this.release(index);
    }
  }
}
