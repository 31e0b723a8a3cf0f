import { tableBuffer } from "./HashTable.js";

/**
 * An open-addressing table like {@link HashTable} (linear probing, shift-delete, power-of-two
 * sizes) whose records have no meta word: the collections' member indexes need none, and at a
 * million members every record byte is a megabyte. A record is `stride` u32 words:
 *
 * ```
 * stride 2 (8 bytes):  hash (i32) | payload (u32, never 0)
 * stride 3 (12 bytes): hash (i32) | 0x80000000 | payload >> 32 | payload & 0xffffffff
 * ```
 *
 * The payload is a node number (stride 2) or a kv-pool handle (stride 3: a 53-bit integer
 * split in two words, the high one flagged so that it is never 0). Word 1 of a record is 0
 * exactly when the record is empty.
 */
export class CompactTable {
  readonly size: number;
  readonly mask: number;
  /** Entries the table may hold before it should grow (75% load). */
  readonly maxCount: number;
  /** Entries past which it must grow (see {@link HashTable.hardMaxCount}). */
  readonly hardMaxCount: number;
  readonly words: Uint32Array;
  /** `words` read as signed: hashes are int32. */
  readonly hashes: Int32Array;
  count = 0;
  private readonly buffer: ArrayBuffer;

  constructor(
    size: number,
    readonly stride: 2 | 3,
  ) {
    if (size < 4 || (size & (size - 1)) !== 0 || size > 2 ** 30)
      throw new RangeError(`table size must be a power of two, got ${size}`);
    this.size = size;
    this.mask = size - 1;
    this.maxCount = Math.floor(size * 0.75);
    this.hardMaxCount =
      size <= 4096 ? Math.max(this.maxCount, size - Math.max(4, size >> 6)) : Math.floor(size * 0.9375);
    const buffer = tableBuffer(size * stride * 4);
    this.buffer = buffer;
    this.words = new Uint32Array(buffer, 0, size * stride);
    this.hashes = new Int32Array(buffer, 0, size * stride);
  }

  /** Bytes of the table's buffer. */
  get bytes(): number {
    return this.size * this.stride * 4;
  }

  /** See {@link HashTable.reclaim}. */
  reclaim(maxBytes: number): boolean {
    if (!this.reclaimable) return true;
    const buffer = this.buffer as ArrayBuffer & { resize(byteLength: number): void };
    buffer.resize(Math.max(0, buffer.byteLength - maxBytes));
    return buffer.byteLength === 0;
  }

  /** Whether {@link reclaim} has memory left to give back. */
  get reclaimable(): boolean {
    const buffer = this.buffer as ArrayBuffer & { readonly resizable?: boolean };
    return buffer.resizable === true && buffer.byteLength > 0;
  }

  /** Whether the record at `slot` holds an entry. */
  occupied(slot: number): boolean {
    return this.words[slot * this.stride + 1] !== 0;
  }

  hashAt(slot: number): number {
    return this.hashes[slot * this.stride]!;
  }

  /** The payload of the record at `slot` (0 when empty). */
  payloadAt(slot: number): number {
    const at = slot * this.stride;
    const w1 = this.words[at + 1]!;
    if (this.stride === 2 || w1 === 0) return w1;
    return (w1 & 0x7fffffff) * 0x100000000 + this.words[at + 2]!;
  }

  /**
   * Writes the payload of `slot` to `out[index]`: a handle above 2^31 returned from a call V8
   * does not inline would be boxed in a heap number, one per lookup.
   */
  payloadInto(slot: number, out: Float64Array, index: number): void {
    const at = slot * this.stride;
    const w1 = this.words[at + 1]!;
    out[index] = this.stride === 2 || w1 === 0 ? w1 : (w1 & 0x7fffffff) * 0x100000000 + this.words[at + 2]!;
  }

  setPayload(slot: number, payload: number): void {
    const at = slot * this.stride;
    if (this.stride === 2) {
      this.words[at + 1] = payload;
    } else {
      this.words[at + 1] = (Math.floor(payload / 0x100000000) | 0x80000000) >>> 0;
      this.words[at + 2] = payload >>> 0;
    }
  }

  /** Stores a new record in the first empty slot from its home bucket; returns the slot. */
  insert(hash: number, payload: number): number {
    const mask = this.mask;
    const stride = this.stride;
    const words = this.words;
    let i = hash & mask;
    while (words[i * stride + 1] !== 0) i = (i + 1) & mask;
    this.hashes[i * stride] = hash;
    this.setPayload(i, payload);
    this.count++;
    return i;
  }

  /** Copies record `from` of `source` (a table of the same stride) into this table; returns the slot. */
  insertFrom(source: CompactTable, from: number): number {
    const mask = this.mask;
    const stride = this.stride;
    const words = this.words;
    const src = source.words;
    const at = from * stride;
    const hash = src[at]!;
    let i = hash & mask;
    while (words[i * stride + 1] !== 0) i = (i + 1) & mask;
    const to = i * stride;
    words[to] = hash;
    words[to + 1] = src[at + 1]!;
    if (stride === 3) words[to + 2] = src[at + 2]!;
    this.count++;
    return i;
  }

  /** Removes the record at `slot`, shifting later records of its cluster back (Knuth's algorithm R). */
  remove(slot: number): void {
    const mask = this.mask;
    const stride = this.stride;
    const words = this.words;
    let hole = slot;
    let j = slot;
    for (;;) {
      j = (j + 1) & mask;
      const at = j * stride;
      if (words[at + 1] === 0) break;
      const home = words[at]! & mask;
      // The record at j may fill the hole unless its home lies cyclically in (hole, j].
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      const to = hole * stride;
      words[to] = words[at]!;
      words[to + 1] = words[at + 1]!;
      if (stride === 3) words[to + 2] = words[at + 2]!;
      hole = j;
    }
    this.clearUnchecked(hole);
  }

  /** Clears a slot without repairing its cluster (only while draining whole clusters). */
  clearUnchecked(slot: number): void {
    const at = slot * this.stride;
    this.words[at] = 0;
    this.words[at + 1] = 0;
    if (this.stride === 3) this.words[at + 2] = 0;
    this.count--;
  }
}
