/**
 * One open-addressing table with linear probing: a power-of-two number of 16-byte records in a
 * single `ArrayBuffer`, so a probe touches one cache line for the hash, the meta word and the
 * entry handle together:
 *
 * ```
 * record i = words[4i]: hash (u32) | words[4i+1]: meta (u32) | handles[2i+1]: kv-pool handle (f64)
 * ```
 *
 * A handle of 0 marks an empty record (the pool never issues 0). Deletion shifts later records
 * of the cluster back (no tombstones), which keeps the invariant every lookup and scan relies
 * on: between an entry's home bucket (`hash & mask`) and its record there is no empty record.
 */
export class HashTable {
  readonly size: number;
  readonly mask: number;
  /** Entries the table may hold before it must grow (75% load). */
  readonly maxCount: number;
  readonly words: Uint32Array;
  readonly handles: Float64Array;
  count = 0;

  constructor(size: number) {
    if (size < 4 || (size & (size - 1)) !== 0 || size > 2 ** 30) throw new RangeError(`table size must be a power of two, got ${size}`);
    this.size = size;
    this.mask = size - 1;
    this.maxCount = Math.floor(size * 0.75);
    const buffer = new ArrayBuffer(size * 16);
    this.words = new Uint32Array(buffer);
    this.handles = new Float64Array(buffer);
  }

  /** Bytes of the table's buffer. */
  get bytes(): number {
    return this.size * 16;
  }

  hashAt(slot: number): number {
    return this.words[slot << 2]!;
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
    this.words[i << 2] = hash;
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
