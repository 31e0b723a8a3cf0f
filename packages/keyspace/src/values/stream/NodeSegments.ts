import type { KvHandle, KvPool } from "@nedis/allocators/kv-pool";
import type { MemoryBudget } from "../../memory/MemoryBudget.js";

/** The smallest segment: a kv-pool large object, allocated at its exact size. */
export const MIN_SEGMENT_BYTES = 16 * 1024 + 1;
/** Below malloc's mmap threshold, past which the pool charges whole 4 KiB pages. */
export const MAX_SEGMENT_BYTES = 120_000;

/**
 * The allocations a stream's closed nodes are packed into: a run of closed nodes is copied back
 * to back into one exact-size large object once it adds up to a batch, instead of each keeping a
 * slab slot whose size class (×1.25 apart) rounds a 1.5 KB node up by ~20% where Redis's jemalloc
 * rounds it by a few percent. Batches grow with the stream (a quarter of what is packed, up to
 * {@link MAX_SEGMENT_BYTES}). A segment is freed with its last node (trimming frees them in order).
 */
export class NodeSegments {
  /** Live nodes per segment handle. */
  private readonly live = new Map<number, number>();
  /** Bytes of closed nodes not packed yet. */
  pendingBytes = 0;
  private packedBytes = 0;

  constructor(
    private readonly pool: KvPool,
    private readonly memory: MemoryBudget,
  ) {}

  /** Bytes of closed nodes worth packing into one segment now. */
  batchBytes(): number {
    return Math.min(MAX_SEGMENT_BYTES, Math.max(MIN_SEGMENT_BYTES, this.packedBytes >>> 2));
  }

  /** A new segment of `size` bytes (nodes join it with {@link addNode}). */
  allocate(size: number): number {
    const handle = this.memory.alloc(size);
    this.live.set(handle, 0);
    this.packedBytes += size;
    return handle;
  }

  addNode(handle: number): void {
    this.live.set(handle, (this.live.get(handle) ?? 0) + 1);
  }

  /** Drops one node of segment `handle`, freeing the segment with its last node. */
  release(handle: number): void {
    const n = (this.live.get(handle) ?? 1) - 1;
    if (n > 0) {
      this.live.set(handle, n);
      return;
    }
    this.live.delete(handle);
    this.packedBytes -= this.pool.sizeOf(handle as KvHandle);
    this.pool.free(handle as KvHandle);
  }

  /** Frees every segment. */
  clear(): void {
    for (const handle of this.live.keys()) this.pool.free(handle as KvHandle);
    this.live.clear();
    this.pendingBytes = 0;
    this.packedBytes = 0;
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
