import { growFloat64, growInt32, growUint8 } from "../shared/bits.js";

const EMPTY_BYTES = new Uint8Array(0);

/** Bytes reserved for a large object of `size` bytes: its own buffer, rounded up to 8 bytes. */
export function largeCapacityFor(size: number): number {
  return Math.ceil(size / 8) * 8;
}

/**
 * Objects bigger than a page, each in its own `ArrayBuffer`. Indexes are reused after a free;
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
  /** Bytes reserved by live large objects. */
  bytes = 0;
  private freeIndexes = new Int32Array(8);
  private freeCount = 0;

  constructor(private readonly maxObjects: number) {}

  /** Creates an object of `size` bytes; returns its number, or -1 when memory is exhausted. */
  allocate(size: number): number {
    const capacity = largeCapacityFor(size);
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
    this.bytes += capacity;
    return index;
  }

  /** Frees object `index` (already validated as live). */
  release(index: number): void {
    const buffer = this.buffers[index] as Uint8Array;
    this.bytes -= buffer.length;
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
