import type { KvHandle, KvPool } from "@nedis/allocators/kv-pool";
import type { MemoryBudget } from "../../memory/MemoryBudget.js";
import type { OutOfLineValue } from "../ValueType.js";
import type { ConsumerGroups } from "./ConsumerGroups.js";
import { MAX_SEGMENT_BYTES, MIN_SEGMENT_BYTES, NodeSegments } from "./NodeSegments.js";
import { StreamIdArray } from "./StreamIdArray.js";
import { type StreamId, type U64, zeroStreamId } from "./streamId.js";

const INITIAL_NODES = 4;

/**
 * A stream (Redis's `stream`, encoding `stream`): its entries packed in kv-pool listpack nodes
 * exactly as Redis lays them out (a master entry, then delta-encoded entries), and an index of
 * the nodes sorted by master ID in typed arrays — Redis's radix tree keyed by the 128-bit ID,
 * with a binary search for its seeks. No JS object exists per entry.
 */
export class StreamObject implements OutOfLineValue {
  /** Pool handle of each node's listpack (its own allocation, or a segment), in ID order. */
  handles = new Float64Array(INITIAL_NODES);
  /** 0 for a node in its own allocation; 1 + where it starts for a node in a segment. */
  nodeOffsets = new Int32Array(INITIAL_NODES);
  /** The allocations closed nodes are packed into. */
  readonly segments: NodeSegments;
  /** The master ID of each node (the rax key). */
  masters = new StreamIdArray(INITIAL_NODES);
  nodeCount = 0;
  /** Entries not deleted (`s->length`). */
  length = 0;
  lastId: StreamId = zeroStreamId();
  firstId: StreamId = zeroStreamId();
  maxDeletedId: StreamId = zeroStreamId();
  /** Entries ever added (`s->entries_added`, a u64). */
  entriesAdded: U64 = 0;
  /** Consumer groups, created on demand (`s->cgroups`). */
  groups: ConsumerGroups | null = null;

  constructor(
    readonly pool: KvPool,
    readonly memory: MemoryBudget,
  ) {
    this.segments = new NodeSegments(pool, memory);
  }

  /** The page holding node `i`'s listpack. */
  page(i: number): Uint8Array {
    return this.pool.pageOf(this.handles[i] as KvHandle);
  }

  /** The offset of node `i`'s listpack in its {@link page}. */
  offset(i: number): number {
    const at = this.nodeOffsets[i]!;
    return this.pool.offsetOf(this.handles[i] as KvHandle) + (at === 0 ? 0 : at - 1);
  }

  /** Whether node `i` shares a segment (its bytes are exactly its listpack, no room to grow). */
  inSegment(i: number): boolean {
    return this.nodeOffsets[i] !== 0;
  }

  /**
   * Node `i` (`bytes` long) was closed: once the closed nodes not packed yet add up to a batch,
   * the run of them that ends at `i` is packed into one segment.
   */
  closed(i: number, bytes: number): void {
    const segments = this.segments;
    segments.pendingBytes += bytes;
    if (segments.pendingBytes < segments.batchBytes()) return;
    let first = i;
    let total = 0;
    while (first >= 0 && !this.inSegment(first)) total += this.listpackBytes(first--);
    segments.pendingBytes = total;
    if (total >= MIN_SEGMENT_BYTES) {
      this.pack(first + 1, i + 1, total);
      segments.pendingBytes = 0;
    }
  }

  /** Packs every closed node (all but the last) in segments: after a load or a copy. */
  packClosed(): void {
    let first = 0;
    let total = 0;
    for (let i = 0; i < this.nodeCount - 1; i++) {
      const bytes = this.listpackBytes(i);
      if (total + bytes > MAX_SEGMENT_BYTES && total >= MIN_SEGMENT_BYTES) {
        this.pack(first, i, total);
        first = i;
        total = 0;
      }
      total += bytes;
    }
    if (total >= MIN_SEGMENT_BYTES) this.pack(first, this.nodeCount - 1, total);
    else this.segments.pendingBytes = total;
  }

  /** Moves nodes `[from, to)` (in their own allocations, `total` bytes) into one new segment. */
  private pack(from: number, to: number, total: number): void {
    const segment = this.segments.allocate(total);
    const target = this.pool.pageOf(segment as KvHandle);
    const base = this.pool.offsetOf(segment as KvHandle);
    let at = 0;
    for (let i = from; i < to; i++) {
      const page = this.page(i);
      const off = this.offset(i);
      const bytes = this.listpackBytes(i);
      target.set(page.subarray(off, off + bytes), base + at);
      this.pool.free(this.handles[i] as KvHandle);
      this.handles[i] = segment;
      this.nodeOffsets[i] = at + 1;
      this.segments.addNode(segment);
      at += bytes;
    }
  }

  /** Node `i`'s listpack size (its header's total bytes). */
  private listpackBytes(i: number): number {
    const page = this.page(i);
    const off = this.offset(i);
    return (page[off]! | (page[off + 1]! << 8) | (page[off + 2]! << 16)) + page[off + 3]! * 0x1000000;
  }

  /** Moves node `i` out of its segment into an allocation of `size` bytes (it must grow). */
  unseal(i: number, size: number): void {
    const page = this.page(i);
    const off = this.offset(i);
    const bytes = this.listpackBytes(i);
    const handle = this.memory.alloc(Math.max(size, bytes));
    this.pool.pageOf(handle).set(page.subarray(off, off + bytes), this.pool.offsetOf(handle));
    this.segments.release(this.handles[i]!);
    this.handles[i] = handle;
    this.nodeOffsets[i] = 0;
  }

  /** Frees node `i`'s storage (its allocation, or its share of a segment). */
  private releaseNode(i: number): void {
    if (this.inSegment(i)) this.segments.release(this.handles[i]!);
    else this.pool.free(this.handles[i] as KvHandle);
  }

  masterId(i: number): StreamId {
    return this.masters.id(i);
  }

  /** The last node whose master ID is <= `id`, or -1 (raxSeek "<="). */
  seekLE(id: StreamId): number {
    let lo = 0;
    let hi = this.nodeCount - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.masters.compareAt(mid, id);
      if (c <= 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Adds a node at the tail (its master ID is greater than every other). */
  pushNode(handle: number, master: StreamId): void {
    if (this.nodeCount === this.handles.length) this.grow();
    const i = this.nodeCount++;
    this.handles[i] = handle;
    this.nodeOffsets[i] = 0;
    this.masters.set(i, master);
  }

  /** Frees node `i`'s listpack and closes its slot. */
  removeNode(i: number): void {
    this.releaseNode(i);
    const n = this.nodeCount;
    this.handles.copyWithin(i, i + 1, n);
    this.nodeOffsets.copyWithin(i, i + 1, n);
    this.masters.copyWithin(i, i + 1, n);
    this.nodeCount = n - 1;
  }

  /** Sets node `i`'s handle after a reallocation moved its own allocation. */
  setHandle(i: number, handle: number): void {
    this.handles[i] = handle;
    this.nodeOffsets[i] = 0;
  }

  memoryUsage(): number {
    return (
      this.handles.byteLength +
      this.nodeOffsets.byteLength +
      this.masters.byteLength +
      this.segments.heapBytes() +
      (this.groups === null ? 0 : this.groups.memoryUsage())
    );
  }

  /**
   * How many nodes Redis's radix tree would have for these master IDs (XINFO STREAM's
   * `radix-tree-nodes`): the path-compressed trie of the 16-byte big-endian keys, where a
   * compressed run, a branching point and each key's end are one node each.
   */
  raxNodeCount(): number {
    const n = this.nodeCount;
    if (n === 0) return 1;
    const keys = new Uint8Array(n * 16);
    const view = new DataView(keys.buffer);
    const words = this.masters.words;
    for (let i = 0; i < n * 4; i++) view.setUint32(i * 4, words[i]!, false);
    const count = (from: number, to: number, depth: number): number => {
      if (depth === 16) return 1;
      let common = 0;
      while (depth + common < 16 && keys[from * 16 + depth + common] === keys[(to - 1) * 16 + depth + common]) common++;
      if (common > 0) return 1 + count(from, to, depth + common);
      let nodes = 1;
      for (let i = from; i < to; ) {
        let j = i + 1;
        while (j < to && keys[j * 16 + depth] === keys[i * 16 + depth]) j++;
        nodes += count(i, j, depth + 1);
        i = j;
      }
      return nodes;
    };
    return count(0, n, 0);
  }

  /** Pool bytes the nodes take. */
  nodeBytes(): number {
    let sum = this.segments.poolBytes();
    for (let i = 0; i < this.nodeCount; i++)
      if (!this.inSegment(i)) sum += this.pool.usableSize(this.handles[i] as KvHandle);
    return sum;
  }

  /** Frees every node and group (the object stays usable, empty). */
  free(): void {
    for (let i = 0; i < this.nodeCount; i++) if (!this.inSegment(i)) this.pool.free(this.handles[i] as KvHandle);
    this.segments.clear();
    this.nodeCount = 0;
    this.length = 0;
    this.groups = null;
  }

  private grow(): void {
    // ×1.5: the index is most of a stream's heap bytes (28 per node), so it is kept tight.
    const capacity = Math.ceil(this.handles.length * 1.5);
    const handles = new Float64Array(capacity);
    handles.set(this.handles);
    this.handles = handles;
    const offsets = new Int32Array(capacity);
    offsets.set(this.nodeOffsets);
    this.nodeOffsets = offsets;
    this.masters.grow(capacity);
  }
}
