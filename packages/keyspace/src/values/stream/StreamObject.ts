import type { KvHandle, KvPool } from "@nedis/allocators/kv-pool";
import type { MemoryBudget } from "../../memory/MemoryBudget.js";
import type { OutOfLineValue } from "../ValueType.js";
import type { ConsumerGroups } from "./ConsumerGroups.js";
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
  /** Pool handle of each node's listpack, in ID order. */
  handles = new Float64Array(INITIAL_NODES);
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
  ) {}

  /** The page holding node `i`'s listpack. */
  page(i: number): Uint8Array {
    return this.pool.pageOf(this.handles[i] as KvHandle);
  }

  /** The offset of node `i`'s listpack in its {@link page}. */
  offset(i: number): number {
    return this.pool.offsetOf(this.handles[i] as KvHandle);
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
    this.masters.set(i, master);
  }

  /** Frees node `i`'s listpack and closes its slot. */
  removeNode(i: number): void {
    this.pool.free(this.handles[i] as KvHandle);
    const n = this.nodeCount;
    this.handles.copyWithin(i, i + 1, n);
    this.masters.copyWithin(i, i + 1, n);
    this.nodeCount = n - 1;
  }

  /** Sets node `i`'s handle after a reallocation moved it. */
  setHandle(i: number, handle: number): void {
    this.handles[i] = handle;
  }

  memoryUsage(): number {
    return this.handles.byteLength + this.masters.byteLength + (this.groups === null ? 0 : this.groups.memoryUsage());
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
    let sum = 0;
    for (let i = 0; i < this.nodeCount; i++) sum += this.pool.usableSize(this.handles[i] as KvHandle);
    return sum;
  }

  /** Frees every node and group (the object stays usable, empty). */
  free(): void {
    for (let i = 0; i < this.nodeCount; i++) this.pool.free(this.handles[i] as KvHandle);
    this.nodeCount = 0;
    this.length = 0;
    this.groups = null;
  }

  private grow(): void {
    const capacity = this.handles.length * 2;
    const handles = new Float64Array(capacity);
    handles.set(this.handles);
    this.handles = handles;
    this.masters.grow(capacity);
  }
}
