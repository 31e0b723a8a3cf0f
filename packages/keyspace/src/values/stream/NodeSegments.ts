import type { KvHandle, KvPool } from "@nedis/allocators/kv-pool";
import type { MemoryBudget } from "../../memory/MemoryBudget.js";

/** Closed nodes are packed once a stream has this many (small streams keep one allocation each). */
export const SEGMENT_MIN_NODES = 8;
/**
 * Segments are large objects (exact size plus a small header) that grow with the stream up to
 * this: below malloc's mmap threshold, past which the pool charges whole 4 KiB pages.
 */
const MAX_SEGMENT_BYTES = 120_000;
const MIN_SEGMENT_BYTES = 16 * 1024 + 1;

/**
 * Where a stream's closed nodes live: packed back to back in a few large allocations instead of
 * one slab slot each, whose size classes (×1.25 apart) would round a 1.5 KB node up by ~20%
 * where Redis's jemalloc classes round it by a few percent. A closed node is immutable but for
 * counters edited in place, so it never moves again unless one grows (then it gets its own
 * allocation back). A segment is freed when its last node goes (trimming frees them in order).
 */
export class NodeSegments {
  /** Live nodes per segment handle. */
  private readonly live = new Map<number, number>();
  private open = 0;
  private openUsed = 0;
  private openSize = 0;
  private totalBytes = 0;
  /** Where the last {@link place} put the node. */
  placedHandle = 0;
  placedOffset = 0;

  constructor(
    private readonly pool: KvPool,
    private readonly memory: MemoryBudget,
  ) {}

  /** Copies the node `page[off, off + bytes)` into a segment: {@link placedHandle}, {@link placedOffset}. */
  place(page: Uint8Array, off: number, bytes: number): void {
    if (this.open === 0 || this.openUsed + bytes > this.openSize) {
      const size = Math.min(MAX_SEGMENT_BYTES, Math.max(MIN_SEGMENT_BYTES, this.totalBytes, bytes));
      const handle = this.memory.alloc(Math.max(size, bytes));
      this.open = handle;
      this.openUsed = 0;
      this.openSize = this.pool.sizeOf(handle as KvHandle);
      this.live.set(handle, 0);
      this.totalBytes += this.openSize;
    }
    const at = this.pool.offsetOf(this.open as KvHandle) + this.openUsed;
    this.pool.pageOf(this.open as KvHandle).set(page.subarray(off, off + bytes), at);
    this.placedHandle = this.open;
    this.placedOffset = this.openUsed;
    this.openUsed += bytes;
    this.live.set(this.open, (this.live.get(this.open) ?? 0) + 1);
  }

  /** Drops one node of segment `handle`, freeing the segment with its last node. */
  release(handle: number): void {
    const n = (this.live.get(handle) ?? 1) - 1;
    if (n > 0) {
      this.live.set(handle, n);
      return;
    }
    this.live.delete(handle);
    this.totalBytes -= this.pool.sizeOf(handle as KvHandle);
    this.pool.free(handle as KvHandle);
    if (handle === this.open) this.open = 0;
  }

  /** Frees every segment. */
  clear(): void {
    for (const handle of this.live.keys()) this.pool.free(handle as KvHandle);
    this.live.clear();
    this.open = 0;
    this.totalBytes = 0;
  }

  /** Pool bytes of the segments. */
  poolBytes(): number {
    let sum = 0;
    for (const handle of this.live.keys()) sum += this.pool.usableSize(handle as KvHandle);
    return sum;
  }

  /** Heap bytes of the bookkeeping (a map entry per segment). */
  heapBytes(): number {
    return this.live.size * 32;
  }
}
