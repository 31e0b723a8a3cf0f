import type { KvHandle, KvPool } from "@nedis/allocators/kv-pool";
import { writeU32 } from "../entry/EntryLayout.js";

const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

/**
 * The time-ordered index of a database's volatile keys: a binary min-heap of
 * (deadline, entry handle), so the active expiry cycle finds the next key to expire in O(1)
 * and removes it in O(log n) — keys go within milliseconds of their deadline instead of
 * waiting for random sampling to hit them.
 *
 * The heap is *indexed*: each volatile entry keeps its heap position in the last 4 bytes of its
 * kv-pool allocation (the expiry trailer), updated on every move, so changing or removing a
 * key's expiry is O(log n) with no stale heap records. Storage is chunked typed arrays (4 K
 * records per chunk): growing never copies, so there is no pause with millions of keys.
 */
export class ExpiryHeap {
  size = 0;
  /** Sum of (deadline − `base`) over the heap, for INFO's avg_ttl. */
  deadlineSum = 0;
  readonly base = Date.now();
  private deadlines: Float64Array[] = [];
  private handles: Float64Array[] = [];

  constructor(private readonly pool: KvPool) {}

  /** Earliest deadline, or Infinity when empty. */
  peekDeadline(): number {
    return this.size === 0 ? Infinity : this.deadlines[0]![0]!;
  }

  /** Handle of the entry with the earliest deadline (0 when empty). */
  peekHandle(): number {
    return this.size === 0 ? 0 : this.handles[0]![0]!;
  }

  deadlineAt(pos: number): number {
    return this.deadlines[pos >>> CHUNK_BITS]![pos & CHUNK_MASK]!;
  }

  handleAt(pos: number): number {
    return this.handles[pos >>> CHUNK_BITS]![pos & CHUNK_MASK]!;
  }

  /** Adds an entry whose trailer is in place; writes its position into the trailer. */
  push(deadline: number, handle: number): void {
    const pos = this.size++;
    if (pos >>> CHUNK_BITS >= this.deadlines.length) {
      this.deadlines.push(new Float64Array(CHUNK));
      this.handles.push(new Float64Array(CHUNK));
      this.pool.adjustExternal(CHUNK * 16);
    }
    this.deadlineSum += deadline - this.base;
    this.siftUp(pos, deadline, handle);
  }

  /** Removes the record at `pos`. */
  remove(pos: number): void {
    const last = --this.size;
    this.deadlineSum -= this.deadlineAt(pos) - this.base;
    if (pos !== last) {
      const deadline = this.deadlineAt(last);
      const handle = this.handleAt(last);
      this.place(pos, deadline, handle);
      if (pos > 0 && deadline < this.deadlineAt((pos - 1) >>> 1)) this.siftUp(pos, deadline, handle);
      else this.siftDown(pos, deadline, handle);
    }
    this.shrinkChunks();
  }

  /** Changes the deadline of the record at `pos`. */
  update(pos: number, deadline: number): void {
    const old = this.deadlineAt(pos);
    const handle = this.handleAt(pos);
    this.deadlineSum += deadline - old;
    if (deadline < old) this.siftUp(pos, deadline, handle);
    else this.siftDown(pos, deadline, handle);
  }

  /** Records that the entry at `pos` now lives at `handle` (after a realloc); its trailer holds `pos`. */
  setHandle(pos: number, handle: number): void {
    this.handles[pos >>> CHUNK_BITS]![pos & CHUNK_MASK] = handle;
  }

  /** Forgets every record (their entries are being freed). */
  clear(): void {
    this.pool.adjustExternal(-this.deadlines.length * CHUNK * 16);
    this.deadlines = [];
    this.handles = [];
    this.size = 0;
    this.deadlineSum = 0;
  }

  /** Bytes new chunks would add for `entries` more records. */
  growthBytes(entries: number): number {
    const chunks = Math.ceil((this.size + entries) / CHUNK) - this.deadlines.length;
    return chunks > 0 ? chunks * CHUNK * 16 : 0;
  }

  /** Bytes of the heap's arrays. */
  get bytes(): number {
    return this.deadlines.length * CHUNK * 16;
  }

  private siftUp(pos: number, deadline: number, handle: number): void {
    while (pos > 0) {
      const parent = (pos - 1) >>> 1;
      const pd = this.deadlineAt(parent);
      if (pd <= deadline) break;
      this.place(pos, pd, this.handleAt(parent));
      pos = parent;
    }
    this.place(pos, deadline, handle);
  }

  private siftDown(pos: number, deadline: number, handle: number): void {
    const size = this.size;
    for (;;) {
      let child = pos * 2 + 1;
      if (child >= size) break;
      let cd = this.deadlineAt(child);
      if (child + 1 < size) {
        const rd = this.deadlineAt(child + 1);
        if (rd < cd) {
          child++;
          cd = rd;
        }
      }
      if (cd >= deadline) break;
      this.place(pos, cd, this.handleAt(child));
      pos = child;
    }
    this.place(pos, deadline, handle);
  }

  private place(pos: number, deadline: number, handle: number): void {
    this.deadlines[pos >>> CHUNK_BITS]![pos & CHUNK_MASK] = deadline;
    this.handles[pos >>> CHUNK_BITS]![pos & CHUNK_MASK] = handle;
    const pool = this.pool;
    const h = handle as KvHandle;
    writeU32(pool.pageOf(h), pool.offsetOf(h) + pool.sizeOf(h) - 4, pos);
  }

  private shrinkChunks(): void {
    // Keep one spare chunk so a key flapping at a chunk boundary does not reallocate.
    while (this.deadlines.length > 1 && (this.deadlines.length - 2) * CHUNK >= this.size) {
      this.deadlines.pop();
      this.handles.pop();
      this.pool.adjustExternal(-CHUNK * 16);
    }
  }
}
