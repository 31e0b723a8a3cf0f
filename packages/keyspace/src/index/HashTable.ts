/**
 * One open-addressing table with linear probing: a power-of-two number of 16-byte records in a
 * single `ArrayBuffer`, so a probe touches one cache line for the hash, the meta word and the
 * entry handle together:
 *
 * ```
 * record i = hashes[4i]: hash (i32) | words[4i+1]: meta (u32) | handles[2i+1]: kv-pool handle (f64)
 * ```
 *
 * A handle of 0 marks an empty record (the pool never issues 0). Deletion shifts later records
 * of the cluster back (no tombstones), which keeps the invariant every lookup and scan relies
 * on: between an entry's home bucket (`hash & mask`) and its record there is no empty record.
 */
/** Tables this big get a buffer they can give back to the OS piece by piece (see {@link HashTable.reclaim}). */
const RECLAIMABLE_BYTES = 1 << 20;

type ResizableArrayBuffer = ArrayBuffer & { resize(byteLength: number): void; readonly resizable: boolean };
const canResize = typeof (ArrayBuffer.prototype as Partial<ResizableArrayBuffer>).resize === "function";

export function tableBuffer(bytes: number): ArrayBuffer {
  if (!canResize || bytes < RECLAIMABLE_BYTES) return new ArrayBuffer(bytes);
  const Resizable = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer;
  return new Resizable(bytes, { maxByteLength: bytes });
}

export class HashTable {
  readonly size: number;
  readonly mask: number;
  /** Entries the table may hold before it should grow (75% load). */
  readonly maxCount: number;
  /**
   * Entries past which it must grow: 93.75% load, or 98.4% in tables of up to 4096 records
   * (64 KB), where even a long probe is short. Between the two, growth waits while the new table
   * would not fit under maxmemory (Redis's `dictExpandAllowed`, which lets chains reach a load
   * of 1.618 first): probes get longer, but a write that fits is not refused, nor memory taken
   * past the limit, for the index's sake.
   */
  readonly hardMaxCount: number;
  readonly words: Uint32Array;
  /** `words` read as signed: key hashes are int32 (see halfSipHashSigned). */
  readonly hashes: Int32Array;
  readonly handles: Float64Array;
  count = 0;

  constructor(size: number) {
    if (size < 4 || (size & (size - 1)) !== 0 || size > 2 ** 30)
      throw new RangeError(`table size must be a power of two, got ${size}`);
    this.size = size;
    this.mask = size - 1;
    this.maxCount = Math.floor(size * 0.75);
    // Never full: a probe stops only at an empty record.
    this.hardMaxCount =
      size <= 4096 ? Math.max(this.maxCount, size - Math.max(4, size >> 6)) : Math.floor(size * 0.9375);
    const buffer = tableBuffer(size * 16);
    this.buffer = buffer;
    // Fixed-length views (a resizable buffer's shrinking leaves them empty, never shorter).
    this.words = new Uint32Array(buffer, 0, size * 4);
    this.hashes = new Int32Array(buffer, 0, size * 4);
    this.handles = new Float64Array(buffer, 0, size * 2);
  }

  private readonly buffer: ArrayBuffer;

  /**
   * Gives up to `maxBytes` of a retired table's memory back to the OS; true once all of it is
   * gone. Without this, V8 frees a table of many megabytes in one piece during a full
   * collection (5 ms pauses while a 5M-key index grows); reclaimed a few MB at a time, the
   * cost is spread over commands and the collector finds nothing left to unmap.
   */
  reclaim(maxBytes: number): boolean {
    if (!this.reclaimable) return true;
    const buffer = this.buffer as ResizableArrayBuffer;
    buffer.resize(Math.max(0, buffer.byteLength - maxBytes));
    return buffer.byteLength === 0;
  }

  /** Whether {@link reclaim} has memory left to give back. */
  get reclaimable(): boolean {
    return canResize && (this.buffer as ResizableArrayBuffer).resizable && this.buffer.byteLength > 0;
  }

  /** Bytes of the table's buffer. */
  get bytes(): number {
    return this.size * 16;
  }

  hashAt(slot: number): number {
    return this.hashes[slot << 2]!;
  }

  metaAt(slot: number): number {
    return this.words[(slot << 2) | 1]!;
  }

  setMeta(slot: number, meta: number): void {
    this.words[(slot << 2) | 1] = meta;
  }

  handleAt(slot: number): number {
    return this.handles[(slot << 1) | 1]!;
  }

  setHandle(slot: number, handle: number): void {
    this.handles[(slot << 1) | 1] = handle;
  }

  /** Stores a new record in the first empty slot from its home bucket; returns the slot. */
  insert(hash: number, meta: number, handle: number): number {
    const mask = this.mask;
    const handles = this.handles;
    let i = hash & mask;
    while (handles[(i << 1) | 1] !== 0) i = (i + 1) & mask;
    this.hashes[i << 2] = hash;
    this.words[(i << 2) | 1] = meta;
    handles[(i << 1) | 1] = handle;
    this.count++;
    return i;
  }

  /** Removes the record at `slot`, shifting later records of its cluster back (Knuth's algorithm R). */
  remove(slot: number): void {
    const mask = this.mask;
    const words = this.words;
    const handles = this.handles;
    let hole = slot;
    let j = slot;
    for (;;) {
      j = (j + 1) & mask;
      const h = handles[(j << 1) | 1]!;
      if (h === 0) break;
      const home = words[j << 2]! & mask;
      // The record at j may fill the hole unless its home lies cyclically in (hole, j].
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      words[hole << 2] = words[j << 2]!;
      words[(hole << 2) | 1] = words[(j << 2) | 1]!;
      handles[(hole << 1) | 1] = h;
      hole = j;
    }
    words[hole << 2] = 0;
    words[(hole << 2) | 1] = 0;
    handles[(hole << 1) | 1] = 0;
    this.count--;
  }

  /** Clears a slot without repairing its cluster (only while draining whole clusters). */
  clearUnchecked(slot: number): void {
    this.words[slot << 2] = 0;
    this.words[(slot << 2) | 1] = 0;
    this.handles[(slot << 1) | 1] = 0;
    this.count--;
  }
}
